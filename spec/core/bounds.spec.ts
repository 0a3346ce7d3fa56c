/**
 * Bounded inputs (issue 13, part 4): the snapshot runTurn takes of its arguments checks lengths,
 * sizes and depth before anything is iterated, each failing as a typed error at its path. A
 * sparse array of length 2**32-1 ran V8 out of heap; it is refused on its `length` alone.
 */
import { DEFAULT_INPUT_LIMITS, snapshot } from "../../lib/core/internal/snapshot.js";

const sparse = (length: number): unknown[] => {
  const a: unknown[] = [];
  a.length = length;
  return a;
};

describe("bounded inputs", () => {
  it.each([
    [
      "configOverrides",
      { codexOptions: { configOverrides: sparse(2 ** 32 - 1) } },
      "thread.codexOptions.configOverrides",
    ],
    [
      "a config array value",
      { codexOptions: { config: { a: { b: sparse(2 ** 32 - 1) } } } },
      "thread.codexOptions.config.a.b",
    ],
    [
      "additionalDirectories",
      { threadOptions: { additionalDirectories: sparse(2 ** 32 - 1) } },
      "thread.threadOptions.additionalDirectories",
    ],
    [
      "additionalDirectories at 1e7",
      { threadOptions: { additionalDirectories: sparse(1e7) } },
      "thread.threadOptions.additionalDirectories",
    ],
  ])("%s: refused at its path before it is read", (_what, value, path) => {
    const began = performance.now();
    expect(snapshot(value, "thread")._unsafeUnwrapErr()).toEqual({
      path,
      message: `longer than ${DEFAULT_INPUT_LIMITS.maxArrayLength} elements`,
    });
    expect(performance.now() - began).toBeLessThan(5_000);
  });

  it("an array at the limit passes; one past it does not", () => {
    const limits = { ...DEFAULT_INPUT_LIMITS, maxArrayLength: 3 };
    expect(snapshot([1, 2, 3], "x", limits).isOk()).toBe(true);
    expect(snapshot([1, 2, 3, 4], "x", limits)._unsafeUnwrapErr()).toEqual({
      path: "x",
      message: "longer than 3 elements",
    });
  });

  it("depth, string length, key count, value count and cycles are bounded", () => {
    const small = {
      maxArrayLength: 10,
      maxStringLength: 5,
      maxKeys: 2,
      maxDepth: 2,
      maxValues: 6,
    };
    expect(snapshot({ a: { b: { c: 1 } } }, "o", small)._unsafeUnwrapErr().message).toMatch(
      /deeper than 2/,
    );
    expect(snapshot({ a: "123456" }, "o", small)._unsafeUnwrapErr()).toEqual({
      path: "o.a",
      message: "longer than 5 characters",
    });
    expect(snapshot({ a: 1, b: 2, c: 3 }, "o", small)._unsafeUnwrapErr().message).toMatch(
      /more than 2 keys/,
    );
    expect(snapshot([1, 2, 3, 4, 5, 6, 7], "o", small)._unsafeUnwrapErr().message).toMatch(
      /more than 6 values/,
    );
    const cyclic: Record<string, unknown> = {};
    cyclic["self"] = cyclic;
    expect(snapshot(cyclic, "o")._unsafeUnwrapErr()).toEqual({
      path: "o.self",
      message: "contains itself",
    });
    // Shared (not cyclic) values are fine.
    const shared = { x: 1 };
    expect(snapshot({ a: shared, b: shared }, "o").isOk()).toBe(true);
  });

  it("the defaults are far above real use", () => {
    const dirs = Array.from({ length: 1_000 }, (_, i) => `/tmp/d${i}`);
    expect(snapshot({ additionalDirectories: dirs }, "threadOptions").isOk()).toBe(true);
    expect(DEFAULT_INPUT_LIMITS).toEqual({
      maxArrayLength: 100_000,
      maxStringLength: 64 * 1024 * 1024,
      maxKeys: 100_000,
      maxDepth: 64,
      maxValues: 1_000_000,
    });
  });
});
