/**
 * How many cases each fuzz property runs: the one place the suite's size is decided. Each
 * property asserts it ran exactly its number; budget.spec.ts asserts the sum.
 *
 * Measured on the project's 2-core machine: the whole fuzz suite (these cases plus jest's
 * start-up and ts-jest compilation) stays well under 40 s.
 */
export const CASES = {
  options: { startAnything: 8_000, startMutated: 8_000, resume: 6_000, withThreadOptions: 6_000 },
  ids: { parse: 8_000, resumeAgrees: 4_000 },
  tokens: { mint: 5_000, decodeAnything: 5_000, decodeMutated: 6_000, validate: 5_000 },
  events: { line: 8_000, lineMutated: 6_000, value: 4_000, transcript: 4_000, fold: 4_000 },
  rollout: { line: 6_000, summary: 1_500 },
  serialized: { anyString: 5_000, mutated: 6_000 },
  metadata: { anything: 9_000 },
  input: { normalize: 5_000 },
} as const;

/** The fuzz suite's total number of cases. */
export const TOTAL_CASES: number = Object.values(CASES)
  .flatMap((group) => Object.values(group) as number[])
  .reduce((a, b) => a + b, 0);

/** What the suite must reach at least. */
export const MIN_TOTAL_CASES = 100_000;

/**
 * The longest one case may take. Every entry point is synchronous, so a hang cannot be
 * interrupted: generated sizes are bounded instead, and every case is timed against this.
 * (Typical cases take microseconds; the bound leaves room for a GC pause on a busy machine.)
 */
export const CASE_LIMIT_MS = 500;
