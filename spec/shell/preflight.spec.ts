/**
 * Inputs checked once, before anything runs (issue 13, parts 2 and 5): what the CLI would
 * refuse after it started is refused before any process starts, as a typed error at its path,
 * and no request reaches the model (the stub's request count) nor any binary starts (the
 * recording fake's log). A getter or a Proxy read once validates what runs: the argv the
 * recording fake saw holds the value that was checked, never a second answer.
 */
import { writeFile } from "node:fs/promises";

import { startThread, type Thread } from "../../lib/core/thread.js";
import { forkThread } from "../../lib/shell/lifecycle.js";
import { runStreamed, runTurn, type RunDeps } from "../../lib/shell/run.js";
import {
  readLog,
  withStubEnv,
  type StubEnv,
  RECORDER,
  BYPASS_FLAG,
  argvsOf,
  unrunnableBinaries,
} from "../support/run-env.js";
import { errOf, okOf } from "../support/results.js";
import { twoFaced, twoFacedProxy } from "../support/two-faced.js";
import { untyped } from "../support/untyped.js";
import type { TurnInput } from "../../lib/core/input.js";

/** A thread on the stub, with `codexOptions` and `threadOptions` patched in. */
const threadWith = (
  env: StubEnv,
  threadOptions: Record<string, unknown> = {},
  codexOptions: Record<string, unknown> = {},
  extraEnv: Record<string, string> = {},
): Thread =>
  okOf(
    startThread(
      { ...env.codexOptions({ env: extraEnv }), ...codexOptions },
      { skipGitRepoCheck: true, workingDirectory: env.sandbox.cwd, ...threadOptions },
    ),
  );

const noObserve: RunDeps = { observe: false };

type Run = (
  thread: Thread,
  input: TurnInput,
  deps: RunDeps,
) => ReturnType<typeof runTurn> | Awaited<ReturnType<typeof runTurn>>;

/** Both ways of running a turn: each must refuse the same inputs the same way. */
const RUNS: Array<[string, Run]> = [
  ["runTurn", (thread, input, deps) => runTurn(thread, input, {}, deps)],
  ["runStreamed", (thread, input, deps) => runStreamed(thread, input, {}, deps).outcome],
];

describe.each(RUNS)("%s: refused before any process starts", (_name, runOne) => {
  it.concurrent(
    "working directory, additional directories, input, images: typed errors at their paths, no request",
    async () => {
      await withStubEnv(undefined, async (env) => {
        const file = env.scratch.file("plain.txt");
        await writeFile(file, "not a folder");
        const missing = env.scratch.file("nowhere");
        const cases: Array<[Thread, TurnInput, string, RegExp]> = [
          [
            threadWith(env, { workingDirectory: missing }),
            "hi",
            "threadOptions.workingDirectory",
            /does not exist/,
          ],
          [
            threadWith(env, { workingDirectory: file }),
            "hi",
            "threadOptions.workingDirectory",
            /not a directory/,
          ],
          [
            threadWith(env, { additionalDirectories: [env.sandbox.cwd, missing] }),
            "hi",
            "threadOptions.additionalDirectories[1]",
            /does not exist/,
          ],
          [threadWith(env), "", "input", /prompt is empty/],
          [threadWith(env), "  \n\t", "input", /prompt is empty/],
          [threadWith(env), [], "input", /prompt is empty/],
          [
            threadWith(env),
            [
              { type: "text", text: "look" },
              { type: "local_image", path: missing },
            ],
            "input[1].path",
            /does not exist/,
          ],
          [
            threadWith(env),
            [
              { type: "text", text: "look" },
              { type: "local_image", path: env.sandbox.cwd },
            ],
            "input[1].path",
            /not a file/,
          ],
        ];
        for (const [thread, input, path, message] of cases) {
          const e = errOf(await runOne(thread, input, noObserve), path);
          expect(e).toMatchObject({ _tag: "InvalidOptions", path });
          expect(e.message).toMatch(message);
        }
        expect(env.stub.requests).toHaveLength(0);
        // The control: the same thread and a real prompt do reach the model.
        okOf(await runOne(threadWith(env), "hi", noObserve));
        expect(env.stub.requests).toHaveLength(1);
      });
    },
    120_000,
  );

  it.concurrent(
    "a codexPathOverride that cannot run is named, and nothing starts",
    async () => {
      await withStubEnv(undefined, async (env) => {
        const log = env.scratch.file("invocations.jsonl");
        // A missing binary keeps its own tag (as from every entry point); the rest are invalid.
        const binaries = await unrunnableBinaries(env.scratch);
        for (const [bin, message, tag] of binaries) {
          const thread = threadWith(env, {}, { codexPathOverride: bin }, { FAKE_CODEX_LOG: log });
          const e = errOf(await runOne(thread, "hi", noObserve), bin);
          expect(e).toMatchObject({ _tag: tag, path: "codexOptions.codexPathOverride" });
          expect(e.message).toContain(bin);
          expect(e.message).toMatch(message);
        }
        // deps.codexPath is checked the same way, at its own path.
        const e = errOf(
          await runOne(threadWith(env), "hi", { ...noObserve, codexPath: binaries[0]?.[0] ?? "" }),
        );
        expect(e).toMatchObject({ _tag: "InvalidOptions", path: "deps.codexPath" });
        // A missing working directory starts no binary either (the recorder logs every start).
        const recorded = threadWith(
          env,
          { workingDirectory: env.scratch.file("gone") },
          { codexPathOverride: RECORDER },
          { FAKE_CODEX_LOG: log },
        );
        errOf(await runOne(recorded, "hi", noObserve));
        expect(readLog(log)).toEqual([]);
        expect(env.stub.requests).toHaveLength(0);
        // The control: the recorder does record a turn it is allowed to run.
        const control = threadWith(
          env,
          {},
          { codexPathOverride: RECORDER },
          { FAKE_CODEX_LOG: log },
        );
        okOf(await runOne(control, "hi", noObserve));
        expect(readLog(log)).toHaveLength(1);
      });
    },
    120_000,
  );
});

describe("what was validated is what runs", () => {
  it.concurrent(
    "getters and Proxies on the thread, its options, the turn options and the input",
    async () => {
      await withStubEnv(undefined, async (env) => {
        const log = env.scratch.file("invocations.jsonl");
        const base = threadWith(env, {}, { codexPathOverride: RECORDER }, { FAKE_CODEX_LOG: log });
        const resumed = { ...base, threadId: "0199a0f0-0000-7000-8000-00000000fa4e" } as Thread;
        type Case = [string, () => [Thread, unknown, unknown]];
        const cases: Case[] = [
          [
            "threadId getter",
            () => [twoFaced(resumed, "threadId", resumed.threadId, BYPASS_FLAG), "hi", {}],
          ],
          [
            "threadId proxy",
            () => [twoFacedProxy(resumed, "threadId", resumed.threadId, BYPASS_FLAG), "hi", {}],
          ],
          [
            "model getter",
            () => [
              {
                ...base,
                threadOptions: twoFaced(base.threadOptions, "model", "gpt-5", BYPASS_FLAG),
              },
              "hi",
              {},
            ],
          ],
          [
            "workingDirectory proxy",
            () => [
              {
                ...base,
                threadOptions: twoFacedProxy(
                  base.threadOptions,
                  "workingDirectory",
                  env.sandbox.cwd,
                  "--cd --help",
                ),
              },
              "hi",
              {},
            ],
          ],
          [
            "additionalDirectories element getter",
            () => [
              {
                ...base,
                threadOptions: {
                  ...base.threadOptions,
                  additionalDirectories: twoFaced(
                    [env.sandbox.cwd],
                    "0",
                    env.sandbox.cwd,
                    BYPASS_FLAG,
                  ),
                },
              },
              "hi",
              {},
            ],
          ],
          [
            "input element getter",
            () => [
              base,
              twoFaced(
                [{ type: "text", text: "hi" }],
                "0",
                { type: "text", text: "hi" },
                { type: "local_image", path: BYPASS_FLAG },
              ),
              {},
            ],
          ],
          [
            "turn options getter",
            () => [base, "hi", twoFaced({}, "outputSchema", undefined, { type: BYPASS_FLAG })],
          ],
        ];
        for (const [what, make] of cases) {
          for (const run of [
            (a: [Thread, unknown, unknown]) =>
              runTurn(a[0], untyped(a[1]), untyped(a[2]), noObserve),
            (a: [Thread, unknown, unknown]) =>
              runStreamed(a[0], untyped(a[1]), untyped(a[2]), noObserve).outcome,
          ])
            okOf(await run(make()), what);
        }
        const argvs = argvsOf(log);
        expect(argvs).toHaveLength(cases.length * 2);
        for (const argv of argvs) {
          expect(argv).not.toContain(BYPASS_FLAG);
          expect(argv).not.toContain("--cd --help");
          expect(argv.join(" ")).not.toContain("--help");
        }
        expect(env.stub.requests).toHaveLength(0); // the recorder answers itself
      });
    },
    120_000,
  );

  it.concurrent(
    "a sparse array of length 2**32-1 in the thread or the input: refused at once",
    async () => {
      await withStubEnv(undefined, async (env) => {
        const huge = (): unknown[] => {
          const a: unknown[] = [];
          a.length = 2 ** 32 - 1;
          return a;
        };
        const base = threadWith(env);
        const cases: Array<[Thread, TurnInput, string]> = [
          [
            {
              ...base,
              threadOptions: { ...base.threadOptions, additionalDirectories: huge() },
            } as Thread,
            "hi",
            "thread.threadOptions.additionalDirectories",
          ],
          [
            { ...base, codexOptions: { ...base.codexOptions, configOverrides: huge() } } as Thread,
            "hi",
            "thread.codexOptions.configOverrides",
          ],
          [base, untyped(huge()), "input"],
        ];
        for (const [thread, input, path] of cases)
          for (const [, runOne] of RUNS)
            expect(errOf(await runOne(thread, input, noObserve))).toMatchObject({
              // A thread argument that does not decode is not a Thread; a bad input is bad options.
              _tag: path.startsWith("thread") ? "NotAThread" : "InvalidOptions",
              path,
            });
        expect(env.stub.requests).toHaveLength(0);
      });
    },
  );

  it.concurrent("deps with a throwing getter: a typed error, never a throw", async () => {
    const deps = Object.defineProperty({}, "sink", {
      get: () => {
        throw new Error("hostile");
      },
    }) as RunDeps;
    await withStubEnv(undefined, async (env) => {
      for (const [, runOne] of RUNS) {
        let thrown: unknown = null;
        let result: Awaited<ReturnType<typeof runTurn>> | null = null;
        try {
          result = await runOne(threadWith(env), "hi", deps);
        } catch (e) {
          thrown = e;
        }
        expect(thrown).toBeNull();
        expect(errOf(result!)).toMatchObject({ _tag: "InvalidOptions", path: "deps" });
      }
      expect(env.stub.requests).toHaveLength(0);
    });
  });
});

describe("forkThread over exec: the binary is checked before it is spawned", () => {
  it.concurrent(
    "a codexPathOverride or deps.codexPath that cannot run: the same typed error as a turn's",
    async () => {
      await withStubEnv(undefined, async (env) => {
        const log = env.scratch.file("invocations.jsonl");
        const started = (codexOptions: Record<string, unknown>): Thread =>
          untyped({
            ...threadWith(env, {}, codexOptions, { FAKE_CODEX_LOG: log }),
            threadId: "0199a0f0-0000-7000-8000-00000000fa4e",
          });
        for (const [bin, message, tag] of await unrunnableBinaries(env.scratch)) {
          const viaOptions = errOf(await forkThread(started({ codexPathOverride: bin })), bin);
          // The same error runTurn gives for the same binary.
          const turn = errOf(
            await runTurn(started({ codexPathOverride: bin }), "hi", {}, noObserve),
          );
          expect(viaOptions).toEqual(turn);
          expect(viaOptions).toMatchObject({ _tag: tag, path: "codexOptions.codexPathOverride" });
          expect(viaOptions.message).toContain(bin);
          expect(viaOptions.message).toMatch(message);
          const viaDeps = errOf(await forkThread(started({}), {}, { codexPath: bin }), bin);
          expect(viaDeps).toMatchObject({ _tag: tag, path: "deps.codexPath" });
        }
        expect(readLog(log)).toEqual([]);
        expect(env.stub.requests).toHaveLength(0);
        // The control: the recorder, allowed to run, is run.
        okOf(await forkThread(started({ codexPathOverride: RECORDER })));
        expect(readLog(log)).toHaveLength(1);
      });
    },
    120_000,
  );
});
