/**
 * What was validated is what runs (issue 13, part 2), for the entry points beyond the turn
 * (preflight.spec.ts covers runTurn / runStreamed, read-once-fork.spec.ts forkThread): the
 * lifecycle calls, openAppServer, the session store and the archives. Each argument is given as
 * a two-faced getter or Proxy, or a Proxy that counts its reads, and the spec looks at what
 * actually ran: the store that was read, or how often a field was read.
 */
import { copyFile, mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { openAppServer } from "../../lib/shell/app-server/open.js";
import { exportSession, importSession } from "../../lib/shell/archive.js";
import {
  archiveThread,
  deleteThread,
  listThreads,
  readThread,
  setThreadName,
  unarchiveThread,
  type LifecycleDeps,
} from "../../lib/shell/lifecycle.js";
import { resumeLast } from "../../lib/shell/resume-last.js";
import {
  findSession,
  lastSession,
  listSessions,
  observeSession,
  readSession,
} from "../../lib/shell/sessions.js";
import { readLog, withStubEnv, RECORDER, BYPASS_FLAG, argvsOf } from "../support/run-env.js";
import { okOf } from "../support/results.js";
import { twoFaced, twoFacedProxy } from "../support/two-faced.js";
import { untyped } from "../support/untyped.js";

/** A Proxy over `base` that counts the reads of each key (`reads`). */
const countingProxy = <T extends object>(base: T): { value: T; reads: Map<string, number> } => {
  const reads = new Map<string, number>();
  const value = new Proxy(
    { ...base },
    {
      get: (target, k, receiver) => {
        if (typeof k === "string") reads.set(k, (reads.get(k) ?? 0) + 1);
        return Reflect.get(target, k, receiver) as unknown;
      },
    },
  );
  return { value, reads };
};

/** Keys read more than once. */
const readTwice = (reads: Map<string, number>): string[] =>
  [...reads].filter(([, n]) => n > 1).map(([k, n]) => `${k}×${n}`);

const ID = "0199a0f0-0000-7000-8000-0000000000bb";
const MISSING = "/nonexistent/codex-fp-read-once/codex";

describe("the lifecycle calls: deps and options read once", () => {
  const calls: Array<[string, (deps: LifecycleDeps) => unknown]> = [
    ["archiveThread", (d) => archiveThread(ID, d)],
    ["unarchiveThread", (d) => unarchiveThread(ID, d)],
    ["deleteThread", (d) => deleteThread(ID, d)],
    ["listThreads", (d) => listThreads({ cwd: "/x" }, d)],
    ["readThread", (d) => readThread(ID, { includeTurns: true }, d)],
    ["setThreadName", (d) => setThreadName(ID, "a name", d)],
  ];

  it.each(calls)("%s reads each field of deps at most once", async (_name, call) => {
    const deps = countingProxy<LifecycleDeps>({
      codexPath: MISSING,
      codexOptions: { baseUrl: "http://127.0.0.1:9" },
      processEnv: { PATH: "/usr/bin" },
      timeoutMs: 5_000,
      secret: "s",
      sink: () => undefined,
      now: () => new Date(0),
    });
    await call(deps.value);
    expect(readTwice(deps.reads)).toEqual([]);
    expect(deps.reads.get("codexOptions")).toBe(1);
  });

  it.each(calls)("%s: a two-faced deps.server is used as first read", async (_name, call) => {
    // The first answer is not an AppServer (refused); the second would be the exec CLI path.
    const r = (await call(twoFaced({ codexPath: MISSING }, "server", 42, undefined))) as {
      _unsafeUnwrapErr(): unknown;
    };
    expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: "InvalidOptions", path: "deps.server" });
  });

  it.concurrent(
    "archive, unarchive, delete over the CLI: the argv and the binary are what was checked",
    async () => {
      await withStubEnv(undefined, async (env) => {
        const log = env.scratch.file("invocations.jsonl");
        const options = env.codexOptions({ env: { FAKE_CODEX_LOG: log } });
        const other = env.scratch.file("other-log.jsonl");
        const makers: Array<[string, () => LifecycleDeps]> = [
          [
            "codexPath getter",
            () => twoFaced({ codexOptions: options }, "codexPath", RECORDER, MISSING),
          ],
          [
            "codexPath proxy",
            () => twoFacedProxy({ codexOptions: options }, "codexPath", RECORDER, MISSING),
          ],
          [
            "codexOptions getter",
            () =>
              twoFaced({ codexPath: RECORDER }, "codexOptions", options, {
                ...options,
                codexPathOverride: MISSING,
              }),
          ],
          [
            "codexOptions.env getter",
            () => ({
              codexPath: RECORDER,
              codexOptions: twoFaced(options, "env", options.env, {
                ...options.env,
                FAKE_CODEX_LOG: other,
              }),
            }),
          ],
          [
            "configOverrides proxy",
            () => ({
              codexPath: RECORDER,
              codexOptions: twoFacedProxy(
                { ...options, configOverrides: ["a=1"] },
                "configOverrides",
                ["a=1"],
                [BYPASS_FLAG],
              ),
            }),
          ],
        ];
        const ops = [archiveThread, unarchiveThread, deleteThread];
        for (const [what, make] of makers)
          for (const op of ops) expect([what, (await op(ID, make())).isOk()]).toEqual([what, true]);
        const argvs = argvsOf(log);
        expect(argvs).toHaveLength(makers.length * ops.length);
        for (const argv of argvs) {
          expect(argv).not.toContain(BYPASS_FLAG);
          expect(argv[argv.length - 1]).toBe(ID);
        }
        expect(readLog(other)).toEqual([]);
      });
    },
    120_000,
  );
});

describe("openAppServer: its options and deps read once", () => {
  it("reads each field at most once (and starts nothing with a missing binary)", async () => {
    const options = countingProxy({ baseUrl: "http://127.0.0.1:9", env: { PATH: "/usr/bin" } });
    const deps = countingProxy({ codexPath: MISSING, processEnv: { PATH: "/usr/bin" } });
    const r = await openAppServer(options.value, deps.value);
    expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: "CodexNotFound" });
    expect(readTwice(options.reads)).toEqual([]);
    expect(readTwice(deps.reads)).toEqual([]);
  });
});

const GOLDEN_ROLLOUT = join(process.cwd(), "golden/codex-cli-0.169.0/basic/rollout.jsonl");
const GOLDEN_ID = "01a20fb5-32b6-73c3-8683-50ee63f5dba7";
const DAY = "sessions/2026/11/24";
const NAME = `rollout-2026-11-24T22-37-42-${GOLDEN_ID}.jsonl`;

describe("the session store and the archives: the store read is the one checked", () => {
  let full = "";
  let empty = "";
  beforeAll(async () => {
    full = await mkdtemp(join(tmpdir(), "codex-fp-read-once-full-"));
    empty = await mkdtemp(join(tmpdir(), "codex-fp-read-once-empty-"));
    await mkdir(join(full, DAY), { recursive: true });
    await copyFile(GOLDEN_ROLLOUT, join(full, DAY, NAME));
  });
  afterAll(async () => {
    await rm(full, { recursive: true, force: true });
    await rm(empty, { recursive: true, force: true });
  });

  /** Options naming the full store on the first read and the empty one after, four ways. */
  const twoStores = (): Array<[string, Record<string, unknown>]> => [
    ["codexHome getter", twoFaced({}, "codexHome", full, empty)],
    ["codexHome proxy", twoFacedProxy({ codexHome: full }, "codexHome", full, empty)],
    ["env getter", twoFaced({}, "env", { CODEX_HOME: full }, { CODEX_HOME: empty })],
    ["env.CODEX_HOME getter", { env: twoFaced({}, "CODEX_HOME", full, empty) }],
  ];

  const reads: Array<[string, (o: Record<string, unknown>) => unknown]> = [
    [
      "listSessions",
      (o) =>
        listSessions(o).map((l) => expect(l.sessions.map((s) => s.threadId)).toEqual([GOLDEN_ID])),
    ],
    ["findSession", (o) => findSession(GOLDEN_ID, o)],
    ["lastSession", (o) => lastSession(o)],
    ["observeSession", (o) => observeSession(GOLDEN_ID, o)],
    ["exportSession", (o) => exportSession(GOLDEN_ID, o)],
  ];

  it.each(reads)("%s reads the store its options named first", async (name, call) => {
    for (const [what, o] of twoStores()) {
      const r = (await call(o)) as { isOk(): boolean; _unsafeUnwrapErr?: () => unknown };
      expect([name, what, r.isOk()]).toEqual([name, what, true]);
    }
  });

  it("resumeLast reads the store its options named first", async () => {
    for (const [what, o] of twoStores().filter(([w]) => w.startsWith("codexHome")))
      expect([what, (await resumeLast({}, {}, untyped(o))).isOk()]).toEqual([what, true]);
    const env = twoFaced({}, "CODEX_HOME", full, empty);
    expect((await resumeLast({ env }, {}, {})).isOk()).toBe(true);
  });

  it("resumeLast builds its Thread from the options it checked, read once", async () => {
    const client = twoFaced({}, "codexPathOverride", "/bin/first", "/bin/second");
    const thread = okOf(await resumeLast(client, {}, { codexHome: full }));
    expect(thread.codexOptions.codexPathOverride).toBe("/bin/first");
    const model = twoFacedProxy({ model: "" }, "model", "gpt-5", "--help");
    expect(okOf(await resumeLast({}, model, { codexHome: full })).threadOptions.model).toBe(
      "gpt-5",
    );
  });

  it.each([5, "", null, {}])(
    "resumeLast refuses a secret of %p before it reads the store",
    async (secret) => {
      const r = await resumeLast({}, {}, untyped({ codexHome: empty, secret }));
      expect(r.isErr() && [r.error._tag, r.error.path]).toEqual([
        "InvalidOptions",
        "options.secret",
      ]);
    },
  );

  it("readSession reads its options once", async () => {
    const opts = countingProxy({ scan: "full" as const });
    okOf(await readSession(join(full, DAY, NAME), opts.value));
    expect(readTwice(opts.reads)).toEqual([]);
  });

  it("importSession writes into the store its options named first", async () => {
    const archive = okOf(await exportSession(GOLDEN_ID, { codexHome: full }));
    const into = await mkdtemp(join(tmpdir(), "codex-fp-read-once-into-"));
    try {
      for (const o of [
        twoFaced({}, "codexHome", into, empty),
        { env: twoFaced({}, "CODEX_HOME", into, empty) },
      ])
        okOf(await importSession(archive, o));
      expect(await readdir(join(into, DAY))).toEqual([NAME]);
      expect(await readdir(empty)).toEqual([]);
    } finally {
      await rm(into, { recursive: true, force: true });
    }
  });
});
