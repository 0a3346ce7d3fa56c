/**
 * The size of the fuzz suite: every property's case count is a constant in
 * support/budget.ts (each property asserts it ran exactly that many); their sum is checked here.
 */
import { CASES, CASE_LIMIT_MS, MIN_TOTAL_CASES, TOTAL_CASES } from "./support/budget.js";

describe("fuzz budget", () => {
  it(`runs ${TOTAL_CASES} cases in total (at least ${MIN_TOTAL_CASES}), each under ${CASE_LIMIT_MS} ms`, () => {
    const counts = Object.values(CASES).flatMap((g) => Object.values(g) as number[]);
    expect(counts.every((n) => Number.isInteger(n) && n > 0)).toBe(true);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(TOTAL_CASES);
    expect(TOTAL_CASES).toBeGreaterThanOrEqual(MIN_TOTAL_CASES);
  });
});
