/**
 * `limits` beyond the turn (issue 13, part 4): the lifecycle calls (`deps.limits`), the session
 * functions (`opts.limits`) and the archives (`options.limits`) bound their arguments with the
 * caller's limits, as runTurn does (run-limits.spec.ts): a small limit refuses, before anything
 * runs, an input the defaults accept, at the input's path; bad limits are `InvalidOptions` at
 * the `limits` path. No binary starts: the CLI path is given one that does not exist (reaching
 * it says `CodexNotFound`).
 */
import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { InputLimits } from "../../lib/core/limits.js";
import { resumeThread, type Thread } from "../../lib/core/thread.js";
import { exportSession, importSession } from "../../lib/shell/archive.js";
import {
  archiveThread,
  deleteThread,
  forkThread,
  listThreads,
  readThread,
  setThreadName,
  unarchiveThread,
} from "../../lib/shell/lifecycle.js";
import {
  findSession,
  lastSession,
  listSessions,
  observeSession,
  readSession,
} from "../../lib/shell/sessions.js";
import { untyped } from "../support/untyped.js";

const ID = "01a20fb5-32b6-73c3-8683-50ee63f5dba7"; // the golden rollout's thread
const MISSING = "/nonexistent/codex-fp-input-limits/codex";
const DAY = "sessions/2026/11/24";
const NAME = `rollout-2026-11-24T22-37-42-${ID}.jsonl`;

let home = "";
let into = "";
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "codex-fp-limits-"));
  into = await mkdtemp(join(tmpdir(), "codex-fp-limits-into-"));
  await mkdir(join(home, DAY), { recursive: true });
  await copyFile(
    join(process.cwd(), "golden/codex-cli-0.169.0/basic/rollout.jsonl"),
    join(home, DAY, NAME),
  );
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
  await rm(into, { recursive: true, force: true });
});

type Outcome = { isErr(): boolean; error?: unknown };
type Call = (limits: InputLimits | undefined) => unknown;

/** A thread with an id and an additional directory (an array, two levels down). */
const parent = (): Thread =>
  resumeThread(
    ID,
    { codexPathOverride: MISSING },
    { additionalDirectories: ["/a"] },
  )._unsafeUnwrap();

/** Each entry point, the small limit, and the error it gives under it (tag and path). */
const ROWS: ReadonlyArray<[string, InputLimits, { _tag: string; path: string }, Call]> = [
  [
    "archiveThread",
    { maxStringLength: 8 },
    { _tag: "InvalidThreadId", path: "threadId" },
    (limits) => archiveThread(ID, { codexPath: MISSING, ...(limits ? { limits } : {}) }),
  ],
  [
    "unarchiveThread",
    { maxStringLength: 8 },
    { _tag: "InvalidThreadId", path: "threadId" },
    (limits) => unarchiveThread(ID, { codexPath: MISSING, ...(limits ? { limits } : {}) }),
  ],
  [
    "deleteThread",
    { maxStringLength: 8 },
    { _tag: "InvalidThreadId", path: "threadId" },
    (limits) => deleteThread(ID, { codexPath: MISSING, ...(limits ? { limits } : {}) }),
  ],
  [
    "listThreads",
    { maxStringLength: 4 },
    { _tag: "InvalidOptions", path: "query.cwd" },
    (limits) => listThreads({ cwd: "/a/b/c/d" }, { ...(limits ? { limits } : {}) }),
  ],
  [
    "readThread",
    { maxStringLength: 8 },
    { _tag: "InvalidThreadId", path: "threadId" },
    (limits) => readThread(ID, {}, { ...(limits ? { limits } : {}) }),
  ],
  [
    "setThreadName",
    { maxStringLength: 8 },
    { _tag: "InvalidThreadId", path: "threadId" },
    (limits) => setThreadName(ID, "a name", { ...(limits ? { limits } : {}) }),
  ],
  [
    "forkThread",
    { maxDepth: 2 },
    { _tag: "NotAThread", path: "thread.threadOptions.additionalDirectories" },
    // A copy: a Thread the library made was bounded when it was built, and is taken as it is.
    (limits) => forkThread({ ...parent() }, {}, { ...(limits ? { limits } : {}) }),
  ],
  [
    "listSessions",
    { maxStringLength: 8 },
    { _tag: "InvalidOptions", path: "opts.codexHome" },
    (limits) => listSessions({ codexHome: home, ...(limits ? { limits } : {}) }),
  ],
  [
    "findSession",
    { maxArrayLength: 1 },
    { _tag: "InvalidOptions", path: "opts.env.PATHS" },
    (limits) =>
      findSession(ID, {
        codexHome: home,
        env: untyped({ PATHS: ["a", "b"] }),
        ...(limits ? { limits } : {}),
      }),
  ],
  [
    "lastSession",
    { maxKeys: 1 },
    { _tag: "InvalidOptions", path: "opts" },
    (limits) => lastSession({ codexHome: home, cwd: "/", ...(limits ? { limits } : {}) }),
  ],
  [
    "observeSession",
    { maxStringLength: 8 },
    { _tag: "InvalidOptions", path: "opts.codexHome" },
    (limits) => observeSession(ID, { codexHome: home, ...(limits ? { limits } : {}) }),
  ],
  [
    "readSession",
    { maxStringLength: 8 },
    { _tag: "InvalidOptions", path: "path" },
    (limits) => readSession(join(home, DAY, NAME), limits ? { limits } : {}),
  ],
  [
    "exportSession",
    { maxStringLength: 8 },
    { _tag: "InvalidOptions", path: "options.codexHome" },
    (limits) => exportSession(ID, { codexHome: home, ...(limits ? { limits } : {}) }),
  ],
  [
    "importSession",
    { maxStringLength: 256 },
    { _tag: "InvalidArchive", path: "archive.bytes" },
    async (limits) => {
      const archive = (
        await exportSession(ID, { codexHome: home, compress: false })
      )._unsafeUnwrap();
      return importSession(archive, { codexHome: into, ...(limits ? { limits } : {}) });
    },
  ],
];

/** The error of an outcome as tag and path, or null for Ok. */
const errorOf = async (o: unknown): Promise<unknown> => {
  const r = (await o) as Outcome;
  if (!r.isErr()) return null;
  const e = r.error as { _tag: string; path: string };
  return { _tag: e._tag, path: e.path };
};

describe.each(ROWS)("%s", (_name, small, refused, call) => {
  it("refuses under a small limit what the defaults accept, at the input's path", async () => {
    expect(await errorOf(call(small))).toEqual(refused);
    // The defaults accept it: whatever the call then says, it is not that refusal.
    expect(await errorOf(call(undefined))).not.toEqual(refused);
  });

  it("bad limits are InvalidOptions at the limits path", async () => {
    for (const bad of [{ maxDepth: 0 }, { maxKeys: -1 }, { nope: 1 }, 5])
      expect(await errorOf(call(untyped(bad)))).toEqual({
        _tag: "InvalidOptions",
        path: expect.stringMatching(/^(deps|opts|options)\.limits/) as unknown,
      });
  });
});

describe("raised limits", () => {
  /** An environment with more variables than the default `maxKeys` (100,000). */
  const wideEnv = (): Record<string, string> => {
    const env: Record<string, string> = { CODEX_HOME: home };
    for (let i = 0; i < 100_001; i++) env[`V${i}`] = "x";
    return env;
  };

  it("a session function takes what only a raised bound admits", async () => {
    const env = wideEnv();
    expect(await errorOf(listSessions({ env }))).toEqual({
      _tag: "InvalidOptions",
      path: "opts.env",
    });
    expect(await errorOf(listSessions({ env, limits: { maxKeys: 200_000 } }))).toBeNull();
  });

  it("importSession holds a big archive to a bound only when the caller sets that bound", async () => {
    const archive = (await exportSession(ID, { codexHome: home, compress: false }))._unsafeUnwrap();
    // A depth bound leaves the archive's text unbounded (it holds a whole rollout).
    const r = await importSession(archive, { codexHome: into, limits: { maxDepth: 10 } });
    expect(r.isOk()).toBe(true);
  });
});
