/**
 * A snapshot of a caller's value, taken before it is decoded: plain objects and arrays copied,
 * every property read exactly once, so what is validated is what runs (a getter or a Proxy
 * cannot answer one thing to the check and another to the use). Sizes are bounded and checked
 * before anything is iterated: an array's length, a string's length, an object's key count,
 * the nesting depth and the total number of values.
 */
import { err, ok, type Result } from "neverthrow";
import { decodingError } from "../errors/make.js";
import type { DecodingError, Issue } from "../errors/thread.js";
import type { ResolvedInputLimits } from "../limits.js";
import { DEFAULT_INPUT_LIMITS } from "./bounds.js";

/** The bounds of a snapshot (see `InputLimits` in core/limits.ts). */
export type InputLimits = ResolvedInputLimits;
export { DEFAULT_INPUT_LIMITS };

const isPlain = (o: object): boolean => {
  const proto: unknown = Object.getPrototypeOf(o);
  return proto === Object.prototype || proto === null || Array.isArray(o);
};

/**
 * A copy of `u` in which plain objects and arrays are new values built from one read of each
 * own enumerable property; class instances (Redacted, AbortSignal), functions and primitives
 * are kept as they are. An unreadable value, a cycle or a value over a bound is an issue at its
 * path (under `root`).
 */
export const snapshot = (
  u: unknown,
  root: string,
  limits: InputLimits = DEFAULT_INPUT_LIMITS,
): Result<unknown, Issue> => {
  let values = 0;
  const onPath = new Set<object>();
  const mine = new WeakSet<object>();
  const problem = (path: string, message: string): Issue => {
    const issue = { path, message };
    mine.add(issue);
    return issue;
  };
  /** A value over one of the limits: the message names the limit. */
  const over = (path: string, what: string, limit: keyof InputLimits): Issue =>
    problem(path, `${what} (limits.${limit})`);
  let reading = root;
  const copy = (v: unknown, path: string, depth: number): unknown => {
    reading = path;
    if (++values > limits.maxValues)
      throw over(path, `more than ${limits.maxValues} values`, "maxValues"); // throws-ok caught below
    if (typeof v === "string" && v.length > limits.maxStringLength)
      throw over(path, `longer than ${limits.maxStringLength} characters`, "maxStringLength"); // throws-ok caught below
    if (typeof v !== "object" || v === null) return v;
    if (!isPlain(v)) return v;
    if (depth >= limits.maxDepth)
      throw over(path, `nested deeper than ${limits.maxDepth}`, "maxDepth"); // throws-ok caught below
    if (onPath.has(v)) throw problem(path, "contains itself"); // throws-ok caught below
    onPath.add(v);
    try {
      if (Array.isArray(v)) {
        const length: unknown = v.length;
        if (typeof length !== "number" || length > limits.maxArrayLength)
          throw over(path, `longer than ${limits.maxArrayLength} elements`, "maxArrayLength"); // throws-ok caught below
        const out: unknown[] = [];
        for (let i = 0; i < length; i++) out.push(copy(v[i], `${path}.${i}`, depth + 1));
        return out;
      }
      const keys = Object.keys(v);
      if (keys.length > limits.maxKeys)
        throw over(path, `more than ${limits.maxKeys} keys`, "maxKeys"); // throws-ok caught below
      const out: Record<string, unknown> = {};
      for (const k of keys) {
        const item = copy(Reflect.get(v, k), `${path}.${k}`, depth + 1);
        Object.defineProperty(out, k, {
          value: item,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    } finally {
      onPath.delete(v);
    }
  };
  try {
    return ok(copy(u, root, 0));
  } catch (e) {
    if (typeof e === "object" && e !== null && mine.has(e)) return err(e as Issue);
    return err(problem(reading, "could not be read (a getter or a Proxy threw)"));
  }
};

/**
 * An options argument read once: `undefined` (and `null`) are `{}`, a plain object is its
 * snapshot, anything else (or an unreadable object) is an `InvalidOptions` error at `root`.
 */
export const snapshotOptions = <O extends object>(
  u: unknown,
  root: string,
  limits?: ResolvedInputLimits,
): Result<Partial<O>, DecodingError<"InvalidOptions">> => {
  if (u === undefined || u === null) return ok({});
  const bad = (issue: Issue): DecodingError<"InvalidOptions"> =>
    decodingError("InvalidOptions", issue.path, "invalid options", [issue]);
  const snap = snapshot(u, root, limits);
  if (snap.isErr()) return err(bad(snap.error));
  const v = snap.value;
  if (typeof v !== "object" || v === null || Array.isArray(v) || v === u)
    return err(bad({ path: root, message: "must be an object" }));
  return ok(v as Partial<O>);
};
