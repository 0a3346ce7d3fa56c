/**
 * What was validated is what runs (issue 13, part 2), for forkThread: over exec, the argv the
 * recording fake codex saw holds what was checked; over app-server, the thread forked is the one
 * checked. Each argument is given as a two-faced getter or Proxy — a valid value on the first
 * read, a hostile one after. (read-once.spec.ts covers the other entry points beyond the turn.)
 */
import { writeFile } from "node:fs/promises";

import type { Thread } from "../../lib/core/thread.js";
import { openAppServer } from "../../lib/shell/app-server/open.js";
import { forkThread, readThread, type LifecycleDeps } from "../../lib/shell/lifecycle.js";
import { runTurn } from "../../lib/shell/run.js";
import {
  UNKNOWN_UUID,
  withStubEnv,
  type StubEnv,
  RECORDER,
  BYPASS_FLAG,
  argvsOf,
} from "../support/run-env.js";
import { okOf } from "../support/results.js";
import { twoFaced, twoFacedProxy } from "../support/two-faced.js";
import { untyped } from "../support/untyped.js";

const PARENT = "0199a0f0-0000-7000-8000-0000000000aa";

/** A started thread (it has an id) that runs the recording fake, logging to `log`. */
const recorded = (env: StubEnv, log: string): Thread => {
  const t = env.resume(PARENT, { model: "gpt-5" }, { env: { FAKE_CODEX_LOG: log } });
  return { ...t, codexOptions: { ...t.codexOptions, codexPathOverride: RECORDER } };
};

describe("forkThread over exec: the argv holds what was validated", () => {
  it.concurrent(
    "getters and Proxies on the thread, its options and the fork options",
    async () => {
      await withStubEnv(undefined, async (env) => {
        const log = env.scratch.file("invocations.jsonl");
        const base = recorded(env, log);
        const cases: Array<[string, () => Thread]> = [
          [
            "model getter",
            () => ({
              ...base,
              threadOptions: twoFaced(base.threadOptions, "model", "gpt-5", BYPASS_FLAG),
            }),
          ],
          [
            "model proxy",
            () => ({
              ...base,
              threadOptions: twoFacedProxy(base.threadOptions, "model", "gpt-5", BYPASS_FLAG),
            }),
          ],
          [
            "workingDirectory getter",
            () => ({
              ...base,
              threadOptions: twoFaced(
                base.threadOptions,
                "workingDirectory",
                env.sandbox.cwd,
                "--cd --help",
              ),
            }),
          ],
          ["threadId getter", () => twoFaced(base, "threadId", PARENT, BYPASS_FLAG)],
          ["threadId proxy", () => twoFacedProxy(base, "threadId", PARENT, UNKNOWN_UUID)],
          [
            "codexPathOverride getter",
            () => ({
              ...base,
              codexOptions: twoFaced(base.codexOptions, "codexPathOverride", RECORDER, "/bin/sh"),
            }),
          ],
        ];
        const outcomes: Array<[string, true | string]> = [];
        for (const [what, make] of cases) {
          const r = await forkThread(make(), {}, {});
          outcomes.push([what, r.isOk() || r.error._tag]);
        }
        const argvs = argvsOf(log);
        for (const argv of argvs) {
          expect(argv).not.toContain(BYPASS_FLAG);
          expect(argv.join(" ")).not.toContain("--help");
          expect(argv).not.toContain(UNKNOWN_UUID);
          expect(argv.slice(-2)).toEqual(["fork", PARENT]);
        }
        for (const argv of argvs) expect(argv[argv.indexOf("--model") + 1]).toBe("gpt-5");
        // Every case ran the recorder once, and each fork was made from the first answers.
        expect(argvs).toHaveLength(cases.length);
        expect(outcomes).toEqual(cases.map(([what]) => [what, true]));
        expect(env.stub.requests).toHaveLength(0);
      });
    },
    120_000,
  );

  it.concurrent(
    "deps read once: a two-faced codexPath or processEnv runs the first answer",
    async () => {
      await withStubEnv(undefined, async (env) => {
        const log = env.scratch.file("invocations.jsonl");
        const other = env.scratch.file("other-codex");
        await writeFile(other, '#!/bin/sh\necho \'{"type":"thread.started","thread_id":"x"}\'\n', {
          mode: 0o755,
        });
        const thread = env.resume(PARENT, {}, { env: { FAKE_CODEX_LOG: log } });
        const deps: LifecycleDeps[] = [
          twoFaced({}, "codexPath", RECORDER, other),
          twoFacedProxy({}, "codexPath", RECORDER, other),
        ];
        for (const d of deps) expect((await forkThread(thread, {}, d)).isOk()).toBe(true);
        expect(argvsOf(log)).toHaveLength(deps.length);
        // `deps` itself may be hostile: a Proxy whose every read throws is a typed error.
        const hostile = new Proxy(
          {},
          {
            get: () => {
              throw new Error("hostile");
            },
          },
        );
        expect((await forkThread(thread, {}, untyped(hostile)))._unsafeUnwrapErr()).toMatchObject({
          _tag: "InvalidOptions",
          path: "deps",
        });
      });
    },
  );
});

describe("forkThread over app-server: the thread forked is the one checked", () => {
  it.concurrent(
    "a two-faced threadId (getter and Proxy) forks the first answer",
    async () => {
      await withStubEnv(undefined, async (env) => {
        const server = okOf(await openAppServer(env.codexOptions()));
        try {
          const transport = server.transport;
          const parent = okOf(await runTurn(env.thread(), "parent", {}, { transport }));
          const id = String(parent.thread.threadId);
          for (const t of [
            twoFaced(parent.thread, "threadId", id, UNKNOWN_UUID),
            twoFacedProxy(parent.thread, "threadId", id, UNKNOWN_UUID),
          ]) {
            const fork = okOf(await forkThread(t, {}, { transport }));
            const record = okOf(await readThread(String(fork.threadId), {}, { transport }));
            expect(record.thread.forkedFromId).toBe(id);
          }
        } finally {
          await server.close();
        }
      });
    },
    120_000,
  );
});
