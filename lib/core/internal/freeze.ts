import type { Redacted } from "../redacted.js";
import { isRecord } from "../decoding/decode.js";
import { prototypeOf } from "../decoding/unknown.js";

/** Readonly all the way down (Redacted boxes and functions stay as they are). */
export type DeepReadonly<A> = A extends
  | string
  | number
  | boolean
  | bigint
  | symbol
  | null
  | undefined
  | Redacted<unknown>
  | ((...args: never[]) => unknown)
  ? A
  : A extends readonly (infer E)[]
    ? readonly DeepReadonly<E>[]
    : A extends object
      ? { readonly [K in keyof A]: DeepReadonly<A[K]> }
      : A;

/** Freezes the plain objects and arrays of `u` in place, deepest first. */
const freezeAll = (u: unknown): void => {
  if (Array.isArray(u)) {
    for (const v of u) freezeAll(v);
    Object.freeze(u);
  } else if (isRecord(u)) {
    const proto = prototypeOf(u);
    if (proto !== Object.prototype && proto !== null) return;
    for (const k in u) freezeAll(u[k]);
    Object.freeze(u);
  }
};

/**
 * Deep-freezes plain objects and arrays in place (class instances are left as they are) and
 * says so in the type: the one place a value becomes `DeepReadonly`.
 */
export const deepFreeze = <A>(a: A): DeepReadonly<A> => {
  freezeAll(a);
  return a as DeepReadonly<A>;
};
