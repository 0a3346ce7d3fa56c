/**
 * Private decoding helpers: closed objects (unknown keys are errors), refined strings with
 * their own messages, and io-ts errors turned into `{ path, message }` issues.
 */
import * as t from "io-ts";
import { isLeft, left, right, type Either } from "fp-ts/lib/Either.js";
import type { Issue } from "../errors/index.js";
import type { ResolvedInputLimits } from "../limits.js";
import { DEFAULT_INPUT_LIMITS } from "./bounds.js";
import { prototypeOf } from "./unknown.js";
import { copyWithin, UNREADABLE_INPUT } from "./copy.js";

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** True when `Array.isArray` says so; false for a revoked Proxy (on which it throws). */
const isArrayOrFalse = (u: object): boolean => {
  try {
    return Array.isArray(u);
  } catch {
    return false;
  }
};

/**
 * True for an object that is not an array (a revoked Proxy counts as one: reading it then fails
 * where reads are caught). Never throws.
 */
export const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !isArrayOrFalse(u);

/** Describes a value by its kind only: values may be secrets, so they are never echoed. */
export const describe = (u: unknown): string => {
  if (u === undefined) return "nothing";
  if (u === null) return "null";
  if (typeof u === "boolean" || typeof u === "number") return String(u);
  if (typeof u === "string") return u.length === 0 ? "an empty string" : "a string";
  if (typeof u === "object" && isArrayOrFalse(u)) return "an array";
  return `a ${typeof u}`;
};

/** The codec `closed` and `open` build: required properties `R`, optional properties `O`. */
export type ObjectCodec<R extends t.Props, O extends t.Props> = t.Type<
  t.TypeOf<t.TypeC<R>> & t.TypeOf<t.PartialC<O>>,
  t.OutputOf<t.TypeC<R>> & t.OutputOf<t.PartialC<O>>,
  unknown
>;

/** True when `x` and `y` are one value, which then has both their types. */
const sameValue = <X, Y>(x: X, y: Y): x is X & Y => Object.is(x, y);

/**
 * The value of an object decoded by its required half (`a`, from the input `u`) and then its
 * optional half (`b`, from `a`): the input itself when neither transformed anything (both hand
 * it back: no copy), else `b`'s fields (a copy holding every decoded field, other keys kept).
 */
const merged = <X extends object, Y extends object>(u: unknown, a: X, b: Y): X & Y =>
  a === u && sameValue(a, b) ? a : { ...a, ...b };

/**
 * An object codec whose required and optional properties are typed and whose other keys are
 * reported, one issue each, together with every other problem of the same object.
 */
export const closed = <R extends t.Props, O extends t.Props>(
  name: string,
  required: R,
  optional: O,
): ObjectCodec<R, O> => {
  const req = t.type(required);
  const opt = t.partial(optional);
  type A = t.TypeOf<t.TypeC<R>> & t.TypeOf<t.PartialC<O>>;
  const known = (k: string) => hasOwn(required, k) || hasOwn(optional, k);
  return new t.Type(
    name,
    (u): u is A => req.is(u) && opt.is(u) && Object.keys(u).every(known),
    (u, c) => {
      if (!isRecord(u)) return t.failure(u, c, `expected ${name} (an object), got ${describe(u)}`);
      // A class instance (Date, Map, a getter on its prototype …) is not copied by `copyWithin`:
      // it would be kept as it is, unfrozen, and its getters read again after validation.
      if (!isPlainObject(u))
        return t.failure(u, c, `expected ${name} (a plain object), got a class instance`);
      // The optional half validates what the required half decoded (so both halves' decoded
      // fields are kept), against the same context: paths have no member steps.
      const a = req.validate(u, c);
      const b = opt.validate(isLeft(a) ? u : a.right, c);
      let extra: t.Errors | null = null;
      for (const k in u) {
        if (!hasOwn(u, k) || known(k)) continue;
        (extra ??= []).push({
          value: u[k],
          context: [...c, { key: k, type: t.never, actual: u[k] }],
          message: `unknown key "${k}"`,
        });
      }
      if (extra !== null || isLeft(a) || isLeft(b))
        return t.failures([
          ...(isLeft(a) ? a.left : []),
          ...(isLeft(b) ? b.left : []),
          ...(extra ?? []),
        ]);
      return t.success(merged(u, a.right, b.right));
    },
    (a) => ({ ...req.encode(a), ...opt.encode(a) }),
  );
};

/** A string codec refined by a check that names what is wrong, or returns null when fine. */
export const checkedString = <A extends string>(
  name: string,
  problem: (s: string) => string | null,
): t.Type<A, string, unknown> => {
  const isA = (u: unknown): u is A => typeof u === "string" && problem(u) === null;
  return new t.Type<A, string, unknown>(
    name,
    isA,
    (u, c) => {
      if (typeof u !== "string") return t.failure(u, c, `expected a string, got ${describe(u)}`);
      // (the problem is looked up again only for a string that has one)
      return isA(u) ? t.success(u) : t.failure(u, c, problem(u) ?? "invalid");
    },
    (a) => a,
  );
};

/** The problem with a string that will reach the CLI's argv or environment, or null. */
export const argvProblem = (s: string): string | null => {
  if (s.length === 0) return "must not be empty";
  if (s.includes("\u0000")) return "must not contain a NUL character";
  return null;
};

const isMemberStep = (type: t.Decoder<unknown, unknown>): boolean => {
  const tag: unknown = Reflect.get(type, "_tag");
  return tag === "UnionType" || tag === "IntersectionType" || tag === "RefinementType";
};

/** The dotted path of one io-ts error under `root`, skipping union/intersection member steps. */
export const pathOf = (root: string, context: t.Context): string => {
  let path = root;
  for (let i = 1; i < context.length; i++) {
    const parent = context[i - 1];
    const entry = context[i];
    if (entry === undefined || parent === undefined || isMemberStep(parent.type)) continue;
    path = /^\d+$/.test(entry.key) ? `${path}[${entry.key}]` : `${path}.${entry.key}`;
  }
  return path;
};

/** io-ts errors as issues, one per failing path (alternatives of a union are joined by "or"). */
export const toIssues = (root: string, errors: t.Errors): Issue[] => {
  const byPath = new Map<string, string>();
  for (const e of errors) {
    const path = pathOf(root, e.context);
    const last = e.context[e.context.length - 1];
    const message =
      e.message ?? `expected ${last?.type.name ?? "a valid value"}, got ${describe(e.value)}`;
    const prior = byPath.get(path);
    if (prior === undefined) byPath.set(path, message);
    else if (!prior.includes(message)) byPath.set(path, `${prior}, or ${message}`);
  }
  return [...byPath].map(([path, message]) => ({ path, message }));
};

/** True for an object whose prototype is Object.prototype or null (not a class instance). */
export const isPlainObject = (u: object): u is Record<string, unknown> => {
  const proto = prototypeOf(u);
  return proto === Object.prototype || proto === null;
};

/**
 * The copy of `u` (see `copyWithin`) as decoding takes it: a cycle, a value over one of
 * `limits` or a value that threw while it was read is one issue at its path under `root`.
 */
export const takeSnapshot = (
  u: unknown,
  root: string,
  limits: ResolvedInputLimits = DEFAULT_INPUT_LIMITS,
): Either<Issue[], unknown> => {
  const copied = copyWithin(u, root, limits);
  return isLeft(copied) ? left([copied.left]) : copied;
};

/**
 * Decodes `u` with `codec`, reporting every problem as an issue under `root`. A value over one
 * of `limits` (checked before it is read) is one issue at its path. Never throws.
 */
export const decodeAll = <A>(
  codec: t.Decoder<unknown, A>,
  u: unknown,
  root: string,
  limits: ResolvedInputLimits = DEFAULT_INPUT_LIMITS,
): Either<Issue[], A> => {
  const snap = takeSnapshot(u, root, limits);
  if (isLeft(snap)) return snap;
  try {
    const r = codec.decode(snap.right);
    return isLeft(r) ? left(toIssues(root, r.left)) : right(r.right);
  } catch {
    return left([{ path: root, message: UNREADABLE_INPUT }]);
  }
};

/**
 * An open object codec (extra keys kept, as the CLI adds fields every release) with required
 * and optional properties. Its `is` is one tight loop, so decoding hot event lines stays cheap;
 * `validate` reports every problem like `t.type` and `t.partial` would.
 */
export const open = <R extends t.Props, O extends t.Props>(
  name: string,
  required: R,
  optional: O,
): ObjectCodec<R, O> => {
  type A = t.TypeOf<t.TypeC<R>> & t.TypeOf<t.PartialC<O>>;
  const req = t.type(required);
  const opt = t.partial(optional);
  const is = compileIs<A>(required, optional);
  return new t.Type(
    name,
    is,
    (u, c) => {
      if (is(u)) return t.success(u);
      if (!isRecord(u)) return t.failure(u, c, `expected ${name} (an object), got ${describe(u)}`);
      // The optional half validates what the required half decoded (so both halves' decoded
      // fields are kept), against the same context: paths have no member steps.
      const a = req.validate(u, c);
      const b = opt.validate(isLeft(a) ? u : a.right, c);
      if (isLeft(a) || isLeft(b))
        return t.failures([...(isLeft(a) ? a.left : []), ...(isLeft(b) ? b.left : [])]);
      return t.success(merged(u, a.right, b.right));
    },
    (a) => ({ ...req.encode(a), ...opt.encode(a) }),
  );
};

/** An inline JavaScript test for a simple codec on the value `v`, or null for a complex one. */
const inlineTest = (c: t.Mixed, v: string, codecs: t.Mixed[]): string | null => {
  // The io-ts classes' own fields (`_tag`, a literal's `value`, a union's `types`), read as the
  // unknowns they are to the base type.
  const k = {
    _tag: Reflect.get(c, "_tag"),
    value: Reflect.get(c, "value"),
    types: Reflect.get(c, "types"),
  };
  switch (k._tag) {
    case "KeyofType":
      return `(typeof ${v} === "string" && Object.prototype.hasOwnProperty.call(C[${codecs.push(c) - 1}].keys, ${v}))`;
    case "StringType":
      return `typeof ${v} === "string"`;
    case "NumberType":
      return `typeof ${v} === "number"`;
    case "BooleanType":
      return `typeof ${v} === "boolean"`;
    case "UnknownType":
      return "true";
    case "NullType":
      return `${v} === null`;
    case "LiteralType":
      return typeof k.value === "string" ||
        typeof k.value === "number" ||
        typeof k.value === "boolean"
        ? `${v} === ${JSON.stringify(k.value)}`
        : null;
    case "UnknownRecordType":
      return `(typeof ${v} === "object" && ${v} !== null && !Array.isArray(${v}))`;
    case "UnionType": {
      const members: unknown[] = Array.isArray(k.types) ? k.types : [];
      const parts = members.map((m) => (m instanceof t.Type ? inlineTest(m, v, codecs) : null));
      return parts.every((p) => p !== null) ? `(${parts.join(" || ")})` : null;
    }
    default:
      return null;
  }
};

/**
 * Compiles the `is` guard of an open object into one function (simple fields inline, others
 * through their codec's `is`), falling back to a loop where code generation is not allowed.
 */
const compileIs = <A>(required: t.Props, optional: t.Props): ((u: unknown) => u is A) => {
  const codecs: t.Mixed[] = [];
  const test = (c: t.Mixed): string =>
    inlineTest(c, "v", codecs) ?? `C[${codecs.push(c) - 1}].is(v)`;
  const lines = [
    ...Object.entries(required).map(
      ([key, c]) => `v = o[${JSON.stringify(key)}]; if (!(${test(c)})) return false;`,
    ),
    ...Object.entries(optional).map(
      ([key, c]) =>
        `v = o[${JSON.stringify(key)}]; if (v !== undefined && !(${test(c)})) return false;`,
    ),
  ];
  const body = `return function (o) { if (typeof o !== "object" || o === null || Array.isArray(o)) return false; var v; ${lines.join(" ")} return true; };`;
  try {
    return new Function("C", body)(codecs) as (u: unknown) => u is A;
  } catch {
    const req = Object.entries(required);
    const opt = Object.entries(optional);
    return (u: unknown): u is A =>
      isRecord(u) &&
      req.every(([key, c]) => c.is(u[key])) &&
      opt.every(([key, c]) => u[key] === undefined || c.is(u[key]));
  }
};
