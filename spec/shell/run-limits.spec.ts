/**
 * `deps.limits`: runTurn and runStreamed bound the thread, the input and the turn options with
 * the caller's limits (default: DEFAULT_INPUT_LIMITS) before anything is read or run.
 */
import { errAsync } from "neverthrow";
import { startThread } from "../../lib/core/thread.js";
import { spawnFailed } from "../../lib/core/errors/index.js";
import { runStreamed, runTurn } from "../../lib/shell/run.js";
import type { Transport } from "../../lib/shell/transport.js";
import type { UserInput } from "../../lib/core/input.js";
import { untyped } from "../support/untyped.js";

let started = 0;
/** Counts turns that got as far as the transport. */
const counting: Transport = {
  kind: "replay",
  startTurn: () => {
    started++;
    return errAsync(spawnFailed("transport", "the counting transport runs nothing"));
  },
};

const thread = () => startThread({}, { skipGitRepoCheck: true })._unsafeUnwrap();
const parts = (n: number): UserInput[] =>
  Array.from({ length: n }, (_, i) => ({ type: "text" as const, text: `part ${i}` }));

beforeEach(() => {
  started = 0;
});

describe("runTurn deps.limits", () => {
  it("refuses an input over the caller's bound at its path, before the transport", async () => {
    const r = await runTurn(
      thread(),
      parts(10),
      {},
      { transport: counting, limits: { maxArrayLength: 5 } },
    );
    expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: "InvalidOptions", path: "input" });
    expect(r._unsafeUnwrapErr().message).toContain("limits.maxArrayLength");
    expect(started).toBe(0);
  });

  it("lets the same input through under the defaults (it reaches the transport)", async () => {
    const r = await runTurn(thread(), parts(10), {}, { transport: counting });
    expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: "SpawnFailed" });
    expect(started).toBe(1);
  });

  it("raises a bound as well as lowers it: an input the defaults refuse runs under a higher one", async () => {
    const big = parts(100_001);
    const refused = await runTurn(thread(), big, {}, { transport: counting });
    expect(refused._unsafeUnwrapErr()).toMatchObject({ _tag: "InvalidOptions", path: "input" });
    expect(started).toBe(0);
    const r = await runTurn(
      thread(),
      big,
      {},
      { transport: counting, limits: { maxArrayLength: 200_000 } },
    );
    expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: "SpawnFailed" });
    expect(started).toBe(1);
  });

  it("takes a Thread the library built under raised limits without deps.limits", async () => {
    const dirs = Array.from({ length: 100_001 }, (_, i) => `/d${i}`);
    const big = startThread({}, { additionalDirectories: dirs }, { maxArrayLength: 200_000 });
    const r = await runTurn(big._unsafeUnwrap(), "hi", {}, { transport: counting });
    expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: "SpawnFailed" });
    expect(started).toBe(1);
    // A copy of it is not the library's value: decoded under the defaults, and refused.
    const copy = await runTurn({ ...big._unsafeUnwrap() }, "hi", {}, { transport: counting });
    expect(copy._unsafeUnwrapErr()).toMatchObject({ _tag: "NotAThread" });
    expect(started).toBe(1);
  });

  it("refuses a sparse array of length 2**32-1 at once, under the defaults", async () => {
    const huge: UserInput[] = [];
    huge.length = 2 ** 32 - 1;
    const began = Date.now();
    const r = await runTurn(thread(), huge, {}, { transport: counting });
    expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: "InvalidOptions", path: "input" });
    expect(Date.now() - began).toBeLessThan(5_000);
    expect(started).toBe(0);
  });

  it("bounds runStreamed the same way", async () => {
    const s = runStreamed(
      thread(),
      parts(10),
      {},
      { transport: counting, limits: { maxArrayLength: 5 } },
    );
    expect((await s.outcome)._unsafeUnwrapErr()).toMatchObject({
      _tag: "InvalidOptions",
      path: "input",
    });
    expect(started).toBe(0);
  });

  it("refuses bad limits with InvalidOptions at deps.limits", async () => {
    for (const bad of [0, "10", { maxDepth: -1 }, { nope: 1 }]) {
      const r = await runTurn(thread(), "hi", {}, { transport: counting, limits: untyped(bad) });
      expect(r._unsafeUnwrapErr()).toMatchObject({
        _tag: "InvalidOptions",
        path: expect.stringMatching(/^deps\.limits/),
      });
    }
    expect(started).toBe(0);
  });
});
