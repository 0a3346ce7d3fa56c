/**
 * The append-only collections behind the fold: every version keeps meaning what it meant, however
 * the versions are extended and branched, checked against plain copying models.
 */
import fc from "fast-check";
import { assertProperty } from "../support/property.js";
import {
  appendMapAdd,
  appendMapGet,
  emptyAppendMap,
  emptyLog,
  logAppend,
  logLast,
  logLength,
  logToArray,
  type AppendLog,
  type AppendMap,
} from "../../lib/core/append-only.js";

/** A plan: each step extends version `from` (modulo the versions made so far) with `value`. */
const plan = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 9 })), { maxLength: 40 });

describe("AppendLog", () => {
  it("every version holds exactly what was appended along its own history", () => {
    let checked = 0;
    assertProperty(
      fc.property(plan, (steps) => {
        const versions: [AppendLog<number>, number[]][] = [[emptyLog(), []]];
        for (const [from, value] of steps) {
          const [log, model] = versions[from % versions.length] as [AppendLog<number>, number[]];
          versions.push([logAppend(log, value), [...model, value]]);
        }
        for (const [log, model] of versions) {
          expect(logToArray(log)).toEqual(model);
          expect(logLength(log)).toBe(model.length);
          expect(logLast(log)).toBe(model[model.length - 1]);
        }
        checked++;
      }),
      { numRuns: 100 },
    );
    expect(checked).toBe(100);
  });

  it("the array it gives is the caller's: changing it changes no version", () => {
    const log = logAppend(logAppend(emptyLog<number>(), 1), 2);
    logToArray(log).push(3);
    expect(logToArray(logAppend(log, 4))).toEqual([1, 2, 4]);
  });
});

describe("AppendMap", () => {
  it("every version maps exactly the keys added along its own history, first value kept", () => {
    let checked = 0;
    assertProperty(
      fc.property(plan, (steps) => {
        const versions: [AppendMap<number, number>, Map<number, number>][] = [
          [emptyAppendMap(), new Map()],
        ];
        steps.forEach(([from, key], i) => {
          const [m, model] = versions[from % versions.length] as [
            AppendMap<number, number>,
            Map<number, number>,
          ];
          const next = new Map(model);
          if (!next.has(key)) next.set(key, i);
          versions.push([appendMapAdd(m, key, i), next]);
        });
        for (const [m, model] of versions)
          for (let key = 0; key <= 9; key++) expect(appendMapGet(m, key)).toBe(model.get(key));
        checked++;
      }),
      { numRuns: 100 },
    );
    expect(checked).toBe(100);
  });
});
