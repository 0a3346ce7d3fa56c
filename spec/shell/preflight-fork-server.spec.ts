/**
 * What the CLI would refuse after it started is refused before (issue 13, part 5), for the calls
 * that take a thread or a binary but run no turn: `forkThread` checks the parent's folders as a
 * turn does (over exec and over app-server), and `openAppServer` checks a given binary as a
 * turn does. Each is a typed error at its path; nothing is spawned and no request reaches the
 * model (the recorder logs every start, the stub counts every request).
 */
import { writeFile } from "node:fs/promises";

import { resumeThread, type Thread } from "../../lib/core/thread.js";
import { openAppServer } from "../../lib/shell/app-server/open.js";
import { forkThread } from "../../lib/shell/lifecycle.js";
import {
  readLog,
  RECORDER,
  unrunnableBinaries,
  withStubEnv,
  type StubEnv,
} from "../support/run-env.js";
import { errOf, okOf } from "../support/results.js";

const PARENT = "0199a0f0-0000-7000-8000-00000000fb01";

/** A started parent on the stub, with `threadOptions` and `codexOptions` patched in. */
const parentWith = (
  env: StubEnv,
  threadOptions: Record<string, unknown>,
  codexOptions: Record<string, unknown> = {},
  log?: string,
): Thread =>
  okOf(
    resumeThread(
      PARENT,
      {
        ...env.codexOptions(log !== undefined ? { env: { FAKE_CODEX_LOG: log } } : {}),
        ...codexOptions,
      },
      { skipGitRepoCheck: true, workingDirectory: env.sandbox.cwd, ...threadOptions },
    ),
  );

/** The parents whose folders the CLI would refuse, with the path and message expected. */
const badFolders = async (
  env: StubEnv,
): Promise<Array<[Record<string, unknown>, string, RegExp]>> => {
  const file = env.scratch.file("plain.txt");
  await writeFile(file, "not a folder");
  const missing = env.scratch.file("nowhere");
  return [
    [{ workingDirectory: missing }, "threadOptions.workingDirectory", /does not exist/],
    [{ workingDirectory: file }, "threadOptions.workingDirectory", /not a directory/],
    [
      { additionalDirectories: [env.sandbox.cwd, missing] },
      "threadOptions.additionalDirectories[1]",
      /does not exist/,
    ],
  ];
};

describe("forkThread: the parent's folders are checked before anything starts", () => {
  it.concurrent(
    "over exec: typed errors at their paths, and the CLI is never spawned",
    async () => {
      await withStubEnv(undefined, async (env) => {
        const log = env.scratch.file("invocations.jsonl");
        for (const [threadOptions, path, message] of await badFolders(env)) {
          const parent = parentWith(env, threadOptions, { codexPathOverride: RECORDER }, log);
          const e = errOf(await forkThread(parent), path);
          expect(e).toMatchObject({ _tag: "InvalidOptions", path });
          expect(e.message).toMatch(message);
        }
        expect(readLog(log)).toEqual([]);
        expect(env.stub.requests).toHaveLength(0);
        // The control: a parent with good folders is forked by the recorder.
        okOf(await forkThread(parentWith(env, {}, { codexPathOverride: RECORDER }, log)));
        expect(readLog(log)).toHaveLength(1);
      });
    },
    120_000,
  );

  it.concurrent(
    "over app-server: the same errors, and no request to the server's model",
    async () => {
      await withStubEnv(undefined, async (env) => {
        const server = okOf(await openAppServer(env.codexOptions()));
        try {
          for (const [threadOptions, path, message] of await badFolders(env)) {
            const e = errOf(await forkThread(parentWith(env, threadOptions), {}, { server }), path);
            expect(e).toMatchObject({ _tag: "InvalidOptions", path });
            expect(e.message).toMatch(message);
          }
          expect(env.stub.requests).toHaveLength(0);
        } finally {
          await server.close();
        }
      });
    },
    120_000,
  );
});

describe("openAppServer: a given binary is checked before it is spawned", () => {
  it.concurrent(
    "not executable, a folder, missing: the same typed errors as a turn's, at their paths",
    async () => {
      await withStubEnv(undefined, async (env) => {
        for (const [bin, message, tag] of await unrunnableBinaries(env.scratch)) {
          const viaOptions = errOf(
            await openAppServer({ ...env.codexOptions(), codexPathOverride: bin }),
            bin,
          );
          expect(viaOptions).toMatchObject({ _tag: tag, path: "codexOptions.codexPathOverride" });
          expect(viaOptions.message).toContain(bin);
          expect(viaOptions.message).toMatch(message);
          const viaDeps = errOf(await openAppServer(env.codexOptions(), { codexPath: bin }), bin);
          expect(viaDeps).toMatchObject({ _tag: tag, path: "deps.codexPath" });
        }
        expect(env.stub.requests).toHaveLength(0);
      });
    },
    120_000,
  );
});
