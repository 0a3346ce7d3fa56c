/**
 * assertProperty, the runner every property spec uses: a property counts only the cases it
 * checked, so one whose precondition filters everything fails instead of passing vacuously.
 */
import fc from "fast-check";
import { assertProperty } from "../support/property.js";

describe("assertProperty", () => {
  it("passes when every case is checked, running each exactly numRuns times", () => {
    let checked = 0;
    assertProperty(
      fc.property(fc.integer(), (n) => {
        expect(Number.isInteger(n)).toBe(true);
        checked++;
      }),
      { numRuns: 37 },
    );
    expect(checked).toBe(37);
  });

  it("fails a property whose precondition filters every case", () => {
    expect(() =>
      assertProperty(
        fc.property(fc.integer(), (n) => {
          fc.pre(n !== n);
        }),
        { numRuns: 20 },
      ),
    ).toThrow();
  });

  it("fails when preconditions leave fewer checked cases than asked for", () => {
    expect(() =>
      assertProperty(
        fc.property(fc.nat(9), (n) => {
          fc.pre(n === 0);
        }),
        { numRuns: 50, maxSkipsPerRun: 1 },
      ),
    ).toThrow(/checked \d+ of 50 cases|pre-?condition/i);
  });

  it("reports a counterexample like fc.assert", () => {
    expect(() =>
      assertProperty(
        fc.property(fc.nat(), (n) => n < 10),
        { numRuns: 200, seed: 1 },
      ),
    ).toThrow(/Counterexample/);
  });

  it("runs async properties and checks their count too", async () => {
    let checked = 0;
    await assertProperty(
      fc.asyncProperty(fc.string(), async (s) => {
        await Promise.resolve();
        expect(typeof s).toBe("string");
        checked++;
      }),
      { numRuns: 25 },
    );
    expect(checked).toBe(25);
    await expect(
      assertProperty(
        fc.asyncProperty(fc.boolean(), async () => {
          fc.pre(false);
        }),
        { numRuns: 5 },
      ),
    ).rejects.toThrow();
  });
});
