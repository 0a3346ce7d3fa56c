/**
 * A snapshot of a caller's value as a Result (the copy itself is `copyWithin`), and an options
 * argument read once.
 */
import { err, ok, type Result } from "neverthrow";
import { decodingError } from "../errors/make.js";
import type { DecodingError, Issue } from "../errors/thread.js";
import type { ResolvedInputLimits } from "../limits.js";
import { DEFAULT_INPUT_LIMITS } from "./bounds.js";
import { copyWithin } from "./copy.js";
import { isLeft } from "fp-ts/lib/Either.js";

/** The bounds of a snapshot (see `InputLimits` in core/limits.ts). */
export type InputLimits = ResolvedInputLimits;
export { DEFAULT_INPUT_LIMITS };

/**
 * The copy of `u` (see `copyWithin`, the one copy routine) as a Result: a value over a bound,
 * a cycle or a value that threw while it was read is the issue at its path under `root`.
 */
export const snapshot = (
  u: unknown,
  root: string,
  limits: InputLimits = DEFAULT_INPUT_LIMITS,
): Result<unknown, Issue> => {
  const copied = copyWithin(u, root, limits);
  return isLeft(copied) ? err(copied.left) : ok(copied.right);
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
