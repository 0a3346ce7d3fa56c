/**
 * The one copy of a caller's value taken before it is decoded. Plain objects and arrays are
 * rebuilt from one read of each own enumerable property, so what is validated is what runs: a
 * getter or a Proxy cannot answer one thing to the check and another to the use, and freezing a
 * decoded value never freezes the caller's objects. Sizes are checked before anything is
 * iterated: an array's length, a string's length, an object's key count, the nesting depth and
 * the number of values.
 */
import { left, right, type Either } from "fp-ts/lib/Either.js";
import type { Issue } from "../errors/thread.js";
import type { ResolvedInputLimits } from "../limits.js";
import { Redacted } from "../redacted.js";
import { DEFAULT_INPUT_LIMITS } from "./bounds.js";
import { prototypeOf } from "./unknown.js";

/** The issue's message for a value that threw while it was read. */
export const UNREADABLE_INPUT = "could not be read (a getter or a Proxy threw)";

/** Arrays up to this length are read densely; longer ones only by the indices they hold. */
const DENSE_UP_TO = 4096;

type Key = string | number;

/** Thrown inside `copyWithin` for a value over a bound or a cycle; caught there. */
class Refused {
  constructor(readonly problem: string) {}
}

const pathOf = (root: string, keys: readonly Key[]): string => {
  let path = root;
  for (const k of keys) path += typeof k === "number" ? `[${k}]` : `.${k}`;
  return path;
};

const isPlain = (o: object): boolean => {
  const proto = prototypeOf(o);
  return proto === Object.prototype || proto === null;
};

/** One copy's state: the bounds, the ancestors (for cycles), the path and the values seen. */
interface Copying {
  readonly limits: ResolvedInputLimits;
  readonly ancestors: object[];
  readonly keys: Key[];
  values: number;
}

const refuse = (problem: string): never => {
  throw new Refused(problem); // throws-ok: caught by copyWithin, becomes the issue at the path
};

const copy = (c: Copying, v: unknown): unknown => {
  const limits = c.limits;
  if (++c.values > limits.maxValues)
    refuse(`more than ${limits.maxValues} values (limits.maxValues)`);
  if (typeof v === "string") {
    if (v.length > limits.maxStringLength)
      refuse(`longer than ${limits.maxStringLength} characters (limits.maxStringLength)`);
    return v;
  }
  if (typeof v !== "object" || v === null) return v;
  const isArray = Array.isArray(v);
  if (!isArray && !isPlain(v)) {
    // A caller's Redacted box holds a caller's value: it is copied too (into a new box), or a
    // getter in a boxed `env` would answer the check one thing and the child another.
    if (Redacted.is(v)) return Redacted.of(copy(c, v.reveal()));
    return v;
  }
  if (c.ancestors.length >= limits.maxDepth)
    refuse(`nested deeper than ${limits.maxDepth} (limits.maxDepth)`);
  // Options are shallow: a linear scan of the ancestors beats a Set here.
  if (c.ancestors.includes(v)) refuse("must not contain a cycle");
  c.ancestors.push(v);
  const out = isArray ? copyArray(c, v) : copyRecord(c, v);
  c.ancestors.pop();
  return out;
};

const copyArray = (c: Copying, v: readonly unknown[]): unknown[] => {
  // The length is checked before anything is read: a sparse array of length 2**32-1 is
  // refused here, without an element read or a key listed.
  const length: unknown = v.length;
  if (typeof length !== "number" || length > c.limits.maxArrayLength)
    refuse(`longer than ${c.limits.maxArrayLength} elements (limits.maxArrayLength)`);
  const n = Number(length);
  const keys = c.keys;
  if (n <= DENSE_UP_TO) {
    const arr: unknown[] = [];
    for (let i = 0; i < n; i++) {
      keys.push(i);
      arr.push(copy(c, v[i]));
      keys.pop();
    }
    return arr;
  }
  // Only the elements present are read, so a large sparse array costs what it holds.
  const arr = new Array<unknown>(n);
  for (const k of Object.keys(v)) {
    const i = Number(k);
    if (!Number.isInteger(i) || String(i) !== k) continue;
    keys.push(i);
    arr[i] = copy(c, v[i]);
    keys.pop();
  }
  return arr;
};

const copyRecord = (c: Copying, v: object): Record<string, unknown> => {
  const own = Object.keys(v);
  if (own.length > c.limits.maxKeys) refuse(`more than ${c.limits.maxKeys} keys (limits.maxKeys)`);
  const out: Record<string, unknown> = {};
  const keys = c.keys;
  for (const k of own) {
    keys.push(k);
    const item = copy(c, Reflect.get(v, k));
    keys.pop();
    // An own "__proto__" key (JSON.parse makes them) stays a key, not a prototype.
    if (k === "__proto__")
      Object.defineProperty(out, k, {
        value: item,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else out[k] = item;
  }
  return out;
};

/**
 * A copy of `u` (see the module's comment); a Redacted box is copied into a new box, while other
 * class instances (an AbortSignal), functions and primitives are kept as they are. A value over
 * one of `limits` (the message names the limit), a cycle, or a value that threw while it was
 * read is one issue at its path under `root` (indices written `[i]`, as decoding issues are).
 * Never throws.
 */
export const copyWithin = (
  u: unknown,
  root: string,
  limits: ResolvedInputLimits = DEFAULT_INPUT_LIMITS,
): Either<Issue, unknown> => {
  const c: Copying = { limits, ancestors: [], keys: [], values: 0 };
  try {
    return right(copy(c, u));
  } catch (e) {
    // The keys still on the stack are the path of the value that was being read.
    return left({
      path: pathOf(root, c.keys),
      message: e instanceof Refused ? e.problem : UNREADABLE_INPUT,
    });
  }
};
