/**
 * The fuzz harness: a property runner that counts and times every case, and the checks every
 * result must pass (errors are tagged data; Ok threads are valid, frozen and round-trip).
 */
import fc from "fast-check";
import { assertProperty } from "../../support/property.js";
import { isLeft } from "fp-ts/lib/Either.js";

import {
  Thread,
  deserializeThread,
  serializeThread,
  type Thread as ThreadValue,
} from "../../../lib/index.js";
import { unfrozenPaths } from "../../support/core-helpers.js";
import { CASE_LIMIT_MS } from "./budget.js";

/** What one property run measured. */
export interface FuzzStats {
  cases: number;
  maxMs: number;
  totalMs: number;
}

/** A seed from FUZZ_SEED, to replay a run; otherwise fast-check picks one (and prints it on failure). */
const SEED = process.env["FUZZ_SEED"] === undefined ? undefined : Number(process.env["FUZZ_SEED"]);

/**
 * Runs `check` on `runs` values of `arb`. A case that throws fails the property (fast-check
 * shrinks it and prints the seed); so does a case slower than CASE_LIMIT_MS.
 */
export const runFuzz = <T>(
  arb: fc.Arbitrary<T>,
  runs: number,
  check: (value: T) => void,
): FuzzStats => {
  const stats: FuzzStats = { cases: 0, maxMs: 0, totalMs: 0 };
  assertProperty(
    fc.property(arb, (value) => {
      const started = performance.now();
      check(value);
      const ms = performance.now() - started;
      stats.cases += 1;
      stats.totalMs += ms;
      stats.maxMs = Math.max(stats.maxMs, ms);
      if (ms > CASE_LIMIT_MS)
        throw new Error(`one case took ${ms.toFixed(1)} ms (limit ${CASE_LIMIT_MS} ms)`);
    }),
    { numRuns: runs, ...(SEED !== undefined ? { seed: SEED } : {}) },
  );
  return stats;
};

/** A jest test running `runs` cases of a property; its name carries the count. */
export const fuzzIt = <T>(
  name: string,
  runs: number,
  arb: fc.Arbitrary<T>,
  check: (value: T) => void,
): void => {
  it(`${name} (${runs} cases)`, () => {
    const stats = runFuzz(arb, runs, check);
    if (process.env["FUZZ_STATS"] !== undefined)
      process.stdout.write(
        `${name}: ${stats.cases} cases, ${stats.totalMs.toFixed(0)} ms in checks, slowest ${stats.maxMs.toFixed(1)} ms\n`,
      );
    expect(stats.cases).toBe(runs);
    expect(stats.maxMs).toBeLessThan(CASE_LIMIT_MS);
  });
};

/** Calls `f`; an exception becomes a failure that names the entry point. */
export const call = <A>(name: string, f: () => A): A => {
  try {
    return f();
  } catch (e) {
    throw new Error(`${name} threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
};

/** Fails with `message` unless `cond`. Cheaper than `expect` in a loop of thousands. */
export const check = (cond: boolean, message: string | (() => string)): void => {
  if (!cond) throw new Error(typeof message === "string" ? message : message());
};

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** The `_tag`s of ThreadError. */
export const THREAD_ERROR_TAGS = [
  "InvalidOptions",
  "InvalidThreadId",
  "InvalidApiKey",
  "InvalidMetadata",
  "InvalidContinuationToken",
  "InvalidSerializedThread",
  "ContinuationMismatch",
  "MissingSecrets",
  "NotAThread",
] as const;
/** The `_tag`s of DecodeError. */
export const DECODE_ERROR_TAGS = ["InvalidJson", "InvalidEvent"] as const;
/** The `_tag`s of FoldError. */
export const FOLD_ERROR_TAGS = [
  "TurnFailed",
  "ProtocolViolation",
  "InvalidStructuredOutput",
] as const;

const MISMATCH_REASONS = ["thread_id", "stale", "forked", "signature", "malformed", "version"];
const VIOLATIONS = [
  "missing_thread_started",
  "thread_id_changed",
  "out_of_order",
  "after_completion",
  "incomplete",
  "invalid_usage",
];
const WITH_ISSUES = new Set<string>([
  "InvalidOptions",
  "InvalidThreadId",
  "InvalidApiKey",
  "InvalidMetadata",
  "InvalidContinuationToken",
  "InvalidSerializedThread",
  "NotAThread",
  "InvalidEvent",
]);

const isObj = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u);

const isNonEmptyString = (u: unknown): u is string => typeof u === "string" && u.length > 0;

/** Issues: a non-empty list of `{ path, message }` strings. */
export const issuesProblem = (issues: unknown): string | null => {
  if (!Array.isArray(issues) || issues.length === 0) return "issues is not a non-empty array";
  for (const i of issues as unknown[])
    if (!isObj(i) || typeof i["path"] !== "string" || !isNonEmptyString(i["message"]))
      return `an issue is not { path, message } strings: ${safeJson(i)}`;
  return null;
};

/** What is wrong with `e` as an error of one of `tags`, or null when it is well formed. */
export const errorProblem = (e: unknown, tags: readonly string[]): string | null => {
  if (!isObj(e)) return "the error is not an object";
  const tag = e["_tag"];
  if (typeof tag !== "string" || !tags.includes(tag))
    return `unexpected _tag ${safeJson(tag)} (expected one of ${tags.join(", ")})`;
  if (typeof e["path"] !== "string") return `${tag}: path is not a string`;
  // (TurnFailed carries the producer's own message, which may be empty.)
  if (tag === "TurnFailed" ? typeof e["message"] !== "string" : !isNonEmptyString(e["message"]))
    return `${tag}: message is not a non-empty string`;
  if (WITH_ISSUES.has(tag)) {
    const p = issuesProblem(e["issues"]);
    if (p !== null) return `${tag}: ${p}`;
  }
  if (tag === "ContinuationMismatch" && !MISMATCH_REASONS.includes(String(e["reason"])))
    return `ContinuationMismatch: unknown reason ${safeJson(e["reason"])}`;
  if (tag === "ProtocolViolation" && !VIOLATIONS.includes(String(e["violation"])))
    return `ProtocolViolation: unknown violation ${safeJson(e["violation"])}`;
  try {
    if (typeof JSON.stringify(e) !== "string") return `${tag}: does not serialize to JSON`;
  } catch (x) {
    return `${tag}: JSON.stringify threw (${String(x)})`;
  }
  return null;
};

/** Fails unless `e` is a well-formed error of one of `tags`. */
export const expectError = (e: unknown, tags: readonly string[], where: string): void => {
  const p = errorProblem(e, tags);
  check(p === null, () => `${where}: ${p ?? ""}`);
};

/** JSON for a failure message (cut at 400 characters); never throws. */
export const safeJson = (u: unknown): string => {
  let s: string;
  try {
    s = JSON.stringify(u, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v)) ?? "undefined";
  } catch {
    s = `(${typeof u})`;
  }
  return s.length > 400 ? `${s.slice(0, 400)}… (${s.length} characters)` : s;
};

/** A Result-like value: neverthrow's Ok/Err. */
interface ResultLike<A, E> {
  isOk(): this is { value: A };
  isErr(): this is { error: E };
}

/** Fails unless `r` is an Ok or an Err holding a well-formed error of `tags`; returns the Ok value. */
export const okOrTagged = <A, E>(
  r: ResultLike<A, E>,
  tags: readonly string[],
  where: string,
): A | undefined => {
  if (r.isOk()) return r.value;
  if (r.isErr()) {
    expectError(r.error, tags, where);
    return undefined;
  }
  throw new Error(`${where}: neither Ok nor Err`);
};

// ---------------------------------------------------------------------------------------------
// Threads
// ---------------------------------------------------------------------------------------------

/**
 * What is wrong with a Thread a public function returned: it must pass its own codec, be
 * frozen all the way down, and survive serialize → deserialize (secrets supplied again) → the
 * same serialization. Null when it is fine.
 */
export const threadProblem = (t: ThreadValue): string | null => {
  const decoded = Thread.decode(t);
  if (isLeft(decoded)) return `not a valid Thread: ${safeJson(decoded.left.map((e) => e.message))}`;
  const unfrozen = unfrozenPaths(t);
  if (unfrozen.length > 0) return `not frozen at ${unfrozen.join(", ")}`;
  const serialized = serializeThread(t);
  if (serialized.isErr())
    return `serializeThread refused a valid Thread: ${serialized.error.message}`;
  const json = serialized.value;
  const back = deserializeThread(json, {
    ...(t.codexOptions.apiKey !== undefined ? { apiKey: t.codexOptions.apiKey } : {}),
    ...(t.codexOptions.env !== undefined ? { env: t.codexOptions.env } : {}),
  });
  if (back.isErr()) return `its serialization does not read back: ${back.error.message}`;
  const again = serializeThread(back.value).unwrapOr("(refused)");
  if (again !== json) return `serialize → deserialize → serialize changed it:\n${json}\n${again}`;
  return null;
};

/** Fails unless `t` is a sound Thread. */
export const expectSoundThread = (t: ThreadValue, where: string): void => {
  const p = threadProblem(t);
  check(p === null, () => `${where}: ${p ?? ""}`);
};
