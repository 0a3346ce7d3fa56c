/**
 * One error vocabulary: the same input error gets the same `_tag` and `path` from every public
 * entry point that takes that input. Each row is an input error; each column an entry point.
 * Nothing may start a process: the lifecycle calls and openAppServer are given a binary that
 * does not exist (reaching it would say `CodexNotFound`), and turns a transport that counts the
 * turns it was asked to start (it must stay at 0).
 */
import { untyped } from "../support/untyped.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { errAsync, type Result, type ResultAsync } from "neverthrow";

import {
  deserializeThread,
  resumeLast,
  resumeThread,
  runStreamed,
  runTurn,
  serializeThread,
  startThread,
  type Thread,
} from "../../lib/index.js";
import { foldTurn } from "../../lib/advanced/index.js";
import {
  archiveThread,
  deleteThread,
  forkThread,
  listThreads,
  openAppServer,
  readThread,
  setThreadName,
  unarchiveThread,
} from "../../lib/app-server/index.js";
import { exportSession, findSession } from "../../lib/sessions/index.js";
import type { Transport } from "../../lib/advanced/index.js";
import { spawnFailed } from "../../lib/core/errors/index.js";

const ID = "0199a213-81c0-7800-8aa1-bbab2a035a53";
const MISSING = "/nonexistent/codex-fp-same-tag/codex";

let started = 0;
/** A transport that only counts: no entry point may reach it with a bad input. */
const counting: Transport = {
  kind: "exec",
  startTurn: () => {
    started++;
    return errAsync(spawnFailed("transport", "the counting transport runs nothing"));
  },
};

let home = "";
beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), "codex-fp-same-tag-"));
});
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
  expect(started).toBe(0);
});

const good = (): Thread => startThread({}, {})._unsafeUnwrap();
const withBadKey = (): unknown => {
  const t = good();
  return { ...t, codexOptions: { ...t.codexOptions, apiKey: "" } };
};

/** Any of the results an entry point returns, as its error (or null when it succeeded). */
type Outcome = Result<unknown, { _tag: string; path: string }>;
const errorOf = async (
  r: Outcome | ResultAsync<unknown, { _tag: string; path: string }> | Promise<Outcome>,
): Promise<{ _tag: string; path: string } | null> => {
  const settled = await r;
  return settled.isErr() ? { _tag: settled.error._tag, path: settled.error.path } : null;
};

type Call = () => Outcome | ResultAsync<unknown, { _tag: string; path: string }> | Promise<Outcome>;

const lifecycle = (codexOptions: unknown) => ({
  codexOptions: untyped(codexOptions),
  codexPath: MISSING,
});

/** input error → the tag and path every entry point must answer, and the entry points. */
const TABLE: ReadonlyArray<{
  readonly input: string;
  readonly expected: { readonly _tag: string; readonly path: string };
  readonly calls: Readonly<Record<string, Call>>;
}> = [
  {
    input: "a bad API key in client options",
    expected: { _tag: "InvalidApiKey", path: "codexOptions.apiKey" },
    calls: {
      startThread: () => startThread({ apiKey: "" }),
      resumeThread: () => resumeThread(ID, { apiKey: "" }),
      deserializeThread: () =>
        deserializeThread(serializeThread(good())._unsafeUnwrap(), { apiKey: "" }),
      resumeLast: () => resumeLast({ apiKey: "" }, {}, { codexHome: home }),
      openAppServer: () => openAppServer({ apiKey: "" }, { codexPath: MISSING }),
      archiveThread: () => archiveThread(ID, lifecycle({ apiKey: "" })),
      unarchiveThread: () => unarchiveThread(ID, lifecycle({ apiKey: "" })),
      deleteThread: () => deleteThread(ID, lifecycle({ apiKey: "" })),
      readThread: () => readThread(ID, {}, lifecycle({ apiKey: "" })),
      setThreadName: () => setThreadName(ID, "a name", lifecycle({ apiKey: "" })),
      listThreads: () => listThreads({}, lifecycle({ apiKey: "" })),
    },
  },
  {
    input: "a bad API key inside a Thread",
    expected: { _tag: "InvalidApiKey", path: "thread.codexOptions.apiKey" },
    calls: {
      runTurn: () => runTurn(withBadKey() as Thread, "hi", {}, { transport: counting }),
      runStreamed: () =>
        runStreamed(withBadKey() as Thread, "hi", {}, { transport: counting }).outcome,
      forkThread: () => forkThread(withBadKey() as Thread, {}, { codexPath: MISSING }),
    },
  },
  {
    input: "other bad client options",
    expected: { _tag: "InvalidOptions", path: "codexOptions.baseUrl" },
    calls: {
      startThread: () => startThread({ baseUrl: "ftp://example.com" }),
      resumeThread: () => resumeThread(ID, { baseUrl: "ftp://example.com" }),
      resumeLast: () => resumeLast({ baseUrl: "ftp://example.com" }, {}, { codexHome: home }),
      openAppServer: () => openAppServer({ baseUrl: "ftp://example.com" }, { codexPath: MISSING }),
      archiveThread: () => archiveThread(ID, lifecycle({ baseUrl: "ftp://example.com" })),
      unarchiveThread: () => unarchiveThread(ID, lifecycle({ baseUrl: "ftp://example.com" })),
      deleteThread: () => deleteThread(ID, lifecycle({ baseUrl: "ftp://example.com" })),
    },
  },
  {
    input: "a bad thread id",
    expected: { _tag: "InvalidThreadId", path: "threadId" },
    calls: {
      resumeThread: () => resumeThread("-rf"),
      archiveThread: () => archiveThread("-rf", { codexPath: MISSING }),
      unarchiveThread: () => unarchiveThread("-rf", { codexPath: MISSING }),
      deleteThread: () => deleteThread("-rf", { codexPath: MISSING }),
      readThread: () => readThread("-rf", {}, { codexPath: MISSING }),
      setThreadName: () => setThreadName("-rf", "a name", { codexPath: MISSING }),
      findSession: () => findSession("-rf", { codexHome: home }),
      exportSession: () => exportSession("-rf", { codexHome: home }),
    },
  },
  {
    input: "a value that is not a Thread",
    expected: { _tag: "NotAThread", path: "thread" },
    calls: {
      runTurn: () => runTurn(42 as unknown as Thread, "hi", {}, { transport: counting }),
      runStreamed: () =>
        runStreamed(42 as unknown as Thread, "hi", {}, { transport: counting }).outcome,
      forkThread: () => forkThread(42 as unknown as Thread, {}, { codexPath: MISSING }),
      foldTurn: () => foldTurn(42 as unknown as Thread, []),
    },
  },
  {
    input: "bad thread options",
    expected: { _tag: "InvalidOptions", path: "threadOptions.sandbox" },
    calls: {
      startThread: () => startThread({}, untyped({ sandbox: "read-only" })),
      resumeThread: () => resumeThread(ID, {}, untyped({ sandbox: "read-only" })),
    },
  },
  {
    input: "bad turn options",
    expected: { _tag: "InvalidOptions", path: "turnOptions.timeoutMs" },
    calls: {
      runTurn: () => runTurn(good(), "hi", { timeoutMs: -1 }, { transport: counting }),
      runStreamed: () =>
        runStreamed(good(), "hi", { timeoutMs: -1 }, { transport: counting }).outcome,
    },
  },
  {
    input: "a bad input",
    expected: { _tag: "InvalidOptions", path: "input" },
    calls: {
      runTurn: () => runTurn(good(), untyped(42), {}, { transport: counting }),
      runStreamed: () => runStreamed(good(), untyped(42), {}, { transport: counting }).outcome,
    },
  },
  // A secret that is not a non-empty string: refused before any transport starts (the counting
  // transport stays at 0) and before any lifecycle call runs anything.
  ...([5, "", null, {}] as const).map((secret) => ({
    input: `deps.secret = ${JSON.stringify(secret)}`,
    expected: { _tag: "InvalidOptions", path: "deps.secret" },
    calls: {
      runTurn: () => runTurn(good(), "hi", {}, { transport: counting, secret: untyped(secret) }),
      runStreamed: () =>
        runStreamed(good(), "hi", {}, { transport: counting, secret: untyped(secret) }).outcome,
      forkThread: () =>
        forkThread(
          resumeThread(ID)._unsafeUnwrap(),
          {},
          {
            codexPath: MISSING,
            secret: untyped(secret),
          },
        ),
      archiveThread: () => archiveThread(ID, { codexPath: MISSING, secret: untyped(secret) }),
      listThreads: () => listThreads({}, { codexPath: MISSING, secret: untyped(secret) }),
    },
  })),
  // The shared fields of deps: one reader, one set of rules, the same error from every entry
  // point that takes the field (runTurn's deps have no processEnv).
  ...(
    [
      ["deps = 5", untyped(5), "deps"],
      ["deps = []", untyped([]), "deps"],
      ["deps.sink = 5", { sink: untyped(5) }, "deps.sink"],
      ["deps.now = 'x'", { now: untyped("x") }, "deps.now"],
      ["deps.codexPath = 5", { codexPath: untyped(5) }, "deps.codexPath"],
      ["deps.codexPath = ''", { codexPath: "" }, "deps.codexPath"],
      ["deps.limits = 0", { limits: untyped(0) }, "deps.limits"],
    ] as const
  ).map(([input, deps, path]) => ({
    input,
    expected: { _tag: "InvalidOptions", path },
    calls: {
      runTurn: () => runTurn(good(), "hi", {}, deps),
      runStreamed: () => runStreamed(good(), "hi", {}, deps).outcome,
      forkThread: () => forkThread(resumeThread(ID)._unsafeUnwrap(), {}, deps),
      archiveThread: () => archiveThread(ID, deps),
      listThreads: () => listThreads({}, deps),
      // openAppServer takes no clock.
      ...(path === "deps.now" ? {} : { openAppServer: () => openAppServer({}, untyped(deps)) }),
    },
  })),
  {
    input: "deps.processEnv with a value that is not a string",
    expected: { _tag: "InvalidOptions", path: "deps.processEnv.A" },
    calls: {
      forkThread: () =>
        forkThread(
          resumeThread(ID)._unsafeUnwrap(),
          {},
          { codexPath: MISSING, processEnv: untyped({ A: 5 }) },
        ),
      listThreads: () => listThreads({}, { codexPath: MISSING, processEnv: untyped({ A: 5 }) }),
      openAppServer: () => openAppServer({}, { codexPath: MISSING, processEnv: untyped({ A: 5 }) }),
    },
  },
];

describe.each(TABLE.map((row) => [row.input, row] as const))("%s", (_, row) => {
  it.each(Object.entries(row.calls))(
    `is ${row.expected._tag} at ${row.expected.path} from %s, before any process`,
    async (_name, call) => {
      expect(await errorOf(call())).toEqual(row.expected);
    },
  );
});
