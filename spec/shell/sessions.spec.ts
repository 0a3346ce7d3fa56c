/**
 * The session store: a temporary CODEX_HOME holding the golden rollouts (golden/codex-cli-0.169.0
 * and golden/recorded/codex-cli-0.163.0) copied under sessions/YYYY/MM/DD/ with the CLI's file
 * names, next to corrupt, partial, foreign and oversized files built in the test.
 */
import fs from "node:fs";
import fsPromises from "node:fs/promises";
import { mkdir, mkdtemp, open, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";

import { parseSessionMeta } from "../../lib/core/rollout.js";
import type { SessionProblem } from "../../lib/core/errors/index.js";
import {
  dayFoldersOf,
  findSession,
  lastSession,
  listSessions,
  observeSession,
  readSession,
  resolveCodexHome,
  SESSION_READ_LIMITS,
} from "../../lib/shell/sessions.js";

const GOLDEN = join(process.cwd(), "golden");
const BASIC = join(GOLDEN, "codex-cli-0.169.0/basic/rollout.jsonl");
const RESUME = join(GOLDEN, "codex-cli-0.169.0/resume/rollout.jsonl");
const SHELL = join(GOLDEN, "codex-cli-0.169.0/shell/rollout.jsonl");
const STRUCTURED = join(GOLDEN, "codex-cli-0.169.0/structured/rollout.jsonl");
const RESUME_163 = join(GOLDEN, "recorded/codex-cli-0.163.0/resume/rollout.jsonl");
const FAIL_163 = join(GOLDEN, "recorded/codex-cli-0.163.0/fail500/rollout.jsonl");

const ID = {
  basic: "01a20fb5-32b6-73c3-8683-50ee63f5dba7",
  resume: "01a20fb5-345b-7f51-b6d3-8f2a9ee94142",
  shell: "01a20fb7-112a-7ee1-a5e0-1b5ddc30161c",
  structured: "01a20fb7-136e-7bc0-a76d-f37accc41805",
  resume163: "01a21201-d015-77d0-8db2-b767406ebc5e",
  fail163: "01a21201-d418-7b02-a186-28f21f81ebdb",
  // Built in the test:
  otherCwd: "0b000000-0000-7000-8000-000000000001",
  partial: "0b000000-0000-7000-8000-000000000002",
  corrupt: "0b000000-0000-7000-8000-000000000003",
  mismatch: "0b000000-0000-7000-8000-000000000004",
  packed: "0b000000-0000-7000-8000-000000000005",
  empty: "0b000000-0000-7000-8000-000000000006",
  folder: "0b000000-0000-7000-8000-000000000007",
  long: "0b000000-0000-7000-8000-000000000008",
  sparse: "0b000000-0000-7000-8000-000000000009",
  sameSecondA: "0b000000-0000-7000-8000-00000000000a",
  sameSecondB: "0b000000-0000-7000-8000-00000000000b",
  halfHead: "0b000000-0000-7000-8000-00000000000c",
};

type Json = Record<string, unknown>;
const linesOf = (t: string): string[] => t.split("\n").slice(0, -1);
const edit = (line: string, f: (o: Json) => Json): string =>
  JSON.stringify(f(JSON.parse(line) as Json));
/** A recording with its thread id replaced (file names and contents stay consistent). */
const withId = (t: string, from: string, to: string): string => t.split(from).join(to);

let home = "";
let sessions = "";
const rel = (p: string): string => p.slice(sessions.length + 1);

/** Writes `content` as sessions/<day>/<name>. */
const put = async (day: string, name: string, content: string | Buffer): Promise<string> => {
  const dir = join(sessions, day);
  await mkdir(dir, { recursive: true });
  const p = join(dir, name);
  await writeFile(p, content);
  return p;
};

/** Copies a rollout under the day and name the CLI would give it (from its session_meta). */
const install = async (content: string): Promise<string> => {
  const head = parseSessionMeta(content.slice(0, content.indexOf("\n")));
  if (head._tag === "Left") throw new Error("not a rollout");
  const { threadId, createdAt } = head.right;
  const at = (createdAt ?? "").slice(0, 19);
  const day = at.slice(0, 10).replace(/-/g, "/");
  return put(day, `rollout-${at.replace(/:/g, "-")}-${threadId}.jsonl`, content);
};

/** A long rollout: the resume recording's second run repeated `turns` times, renumbered. */
const manyTurns = (base: string, id: string, turns: number): string => {
  const lines = linesOf(withId(base, ID.resume, id));
  const turn = lines.slice(18, 28);
  const turnId = "01a20fb5-355b-73d1-88a1-ff655e8f6858";
  const out = [lines[0] ?? ""];
  for (let k = 0; k < turns; k++)
    for (const l of turn) out.push(withId(l, turnId, `turn-${String(k).padStart(5, "0")}`));
  return `${out.map((l, i) => edit(l, (o) => ({ ...o, ordinal: i }))).join("\n")}\n`;
};

const paths: Record<string, string> = {};
let sparseSize = 0;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "codex-fp-sessions-"));
  sessions = join(home, "sessions");
  const [basic, resume, shell, structured, resume163, fail163] = await Promise.all(
    [BASIC, RESUME, SHELL, STRUCTURED, RESUME_163, FAIL_163].map((f) => readFile(f, "utf8")),
  );
  if (
    basic === undefined ||
    resume === undefined ||
    shell === undefined ||
    structured === undefined ||
    resume163 === undefined ||
    fail163 === undefined
  )
    throw new Error("missing recordings");
  paths["basic"] = await install(basic);
  paths["resume"] = await install(resume);
  paths["shell"] = await install(shell);
  paths["structured"] = await install(structured);
  paths["resume163"] = await install(resume163);
  paths["fail163"] = await install(fail163);

  // The basic recording moved to another working directory, two days earlier.
  const moved = linesOf(withId(basic, ID.basic, ID.otherCwd));
  moved[0] = edit(moved[0] ?? "", (o) => ({
    ...o,
    payload: { ...(o["payload"] as Json), cwd: "/work/other" },
  }));
  paths["otherCwd"] = await put(
    "2026/11/22",
    `rollout-2026-11-22T08-00-00-${ID.otherCwd}.jsonl`,
    `${moved.join("\n")}\n`,
  );
  // A rollout being written: its last line is cut short.
  const partial = withId(basic, ID.basic, ID.partial);
  paths["partial"] = await put(
    "2026/11/21",
    `rollout-2026-11-21T08-00-00-${ID.partial}.jsonl`,
    partial.slice(0, partial.length - 100),
  );
  paths["corrupt"] = await put(
    "2026/11/21",
    `rollout-2026-11-21T09-00-00-${ID.corrupt}.jsonl`,
    "this is not json\n{}\n",
  );
  paths["mismatch"] = await put(
    "2026/11/21",
    `rollout-2026-11-21T10-00-00-${ID.mismatch}.jsonl`,
    basic,
  );
  paths["packed"] = await put(
    "2026/11/21",
    `rollout-2026-11-21T11-00-00-${ID.packed}.jsonl.zst`,
    Buffer.from([0x28, 0xb5, 0x2f, 0xfd]),
  );
  paths["empty"] = await put("2026/11/21", `rollout-2026-11-21T12-00-00-${ID.empty}.jsonl`, "");
  paths["halfHead"] = await put(
    "2026/11/21",
    `rollout-2026-11-21T12-30-00-${ID.halfHead}.jsonl`,
    basic.slice(0, 1000),
  );
  paths["folder"] = join(sessions, "2026/11/21", `rollout-2026-11-21T13-00-00-${ID.folder}.jsonl`);
  await mkdir(paths["folder"], { recursive: true });
  paths["notes"] = await put("2026/11/21", "notes.txt", "hello\n");
  paths["stray"] = await put("", "README", "hello\n");
  await mkdir(join(sessions, "2026", "xx"), { recursive: true });

  // Large files: a long thread (over the small-file bound), and a sparse 1 GiB one.
  paths["long"] = await put(
    "2026/11/20",
    `rollout-2026-11-20T08-00-00-${ID.long}.jsonl`,
    manyTurns(resume, ID.long, 120),
  );
  const sparseName = `rollout-2026-11-20T09-00-00-${ID.sparse}.jsonl`;
  paths["sparse"] = await put("2026/11/20", sparseName, "");
  {
    const lines = linesOf(withId(resume, ID.resume, ID.sparse));
    const head = Buffer.from(`${lines[0]}\n`);
    const tail = Buffer.from(`\n${lines.slice(28).join("\n")}\n`);
    const fh = await open(paths["sparse"], "w");
    await fh.write(head, 0, head.length, 0);
    await fh.write(tail, 0, tail.length, 1024 ** 3);
    await fh.close();
    sparseSize = 1024 ** 3 + tail.length;
  }
  // Two rollouts created in the same second: the modification time decides.
  for (const [id, mtime] of [
    [ID.sameSecondA, 1_000_000],
    [ID.sameSecondB, 2_000_000],
  ] as const) {
    const p = await put(
      "2026/11/19",
      `rollout-2026-11-19T08-00-00-${id}.jsonl`,
      withId(basic, ID.basic, id),
    );
    await utimes(p, mtime, mtime);
  }
});

afterAll(async () => {
  if (home !== "") await rm(home, { recursive: true, force: true });
});

const byTag = (problems: readonly SessionProblem[]): Record<string, string[]> => {
  const out: Record<string, string[]> = {};
  for (const p of problems) (out[p._tag] ??= []).push(rel(p.path));
  return out;
};

describe("listSessions", () => {
  it("lists the store newest first, by the name's timestamp and then modification time", async () => {
    const r = await listSessions({ codexHome: home });
    expect(r.isOk()).toBe(true);
    const ids = r._unsafeUnwrap().sessions.map((s) => s.threadId);
    expect(ids).toEqual([
      ID.fail163, // 2026-11-25T09-20-39
      ID.resume163, // 2026-11-25T09-20-38
      ID.structured, // 2026-11-24T22-39-46
      ID.shell,
      ID.resume,
      ID.basic, // 2026-11-24T22-37-42
      ID.otherCwd, // 2026-11-22
      ID.partial, // 2026-11-21 (listed, with a problem)
      ID.sparse, // 2026-11-20T09
      ID.long, // 2026-11-20T08
      ID.sameSecondB, // same second as A, modified later
      ID.sameSecondA,
    ]);
  });

  it("reports every other entry once, per file, without failing the listing", async () => {
    const { problems } = (await listSessions({ codexHome: home }))._unsafeUnwrap();
    expect(byTag(problems)).toEqual({
      DamagedRollout: [rel(paths["partial"] ?? "")],
      ForeignFile: ["2026/11/21/notes.txt", "2026/xx", "README"],
      InvalidRollout: [
        rel(paths["corrupt"] ?? ""),
        rel(paths["mismatch"] ?? ""),
        rel(paths["empty"] ?? ""),
        rel(paths["halfHead"] ?? ""),
      ].sort(),
      SessionUnreadable: [rel(paths["folder"] ?? "")],
      UnsupportedRollout: [rel(paths["packed"] ?? "")],
    });
    const message = (p: string | undefined) => problems.find((x) => x.path === p)?.message ?? "";
    expect(message(paths["mismatch"])).toMatch(
      /file name says 0b000000-0000-7000-8000-000000000004/,
    );
    expect(message(paths["corrupt"])).toMatch(/not JSON/);
    expect(message(paths["empty"])).toMatch(/empty/);
    expect(message(paths["halfHead"])).toMatch(/first line is incomplete/);
    expect(problems.find((x) => x._tag === "DamagedRollout")).toMatchObject({
      truncated: true,
      unreadableLines: 0,
    });
  });

  it("summarizes each listed session from its head and tail", async () => {
    const { sessions: list } = (await listSessions({ codexHome: home }))._unsafeUnwrap();
    const get = (id: string) => list.find((s) => s.threadId === id);
    expect(get(ID.resume)).toMatchObject({
      completedTurns: 3, // a small file: head and tail covered all of it
      lastTurnId: "01a20fb5-3610-73e3-a3aa-c112949f9a1e",
      lastAgentMessage: "Hello from stub 3: Third question",
      cwd: "/home/dev/sandbox/cwd",
      forked: false,
      path: paths["resume"],
    });
    expect(get(ID.fail163)).toMatchObject({
      completedTurns: 1,
      failedTurns: 1,
      lastAgentMessage: null,
    });
    expect(get(ID.partial)).toMatchObject({ truncated: true, completedTurns: 0 });
    // Too large to be covered by head and tail: the count is unknown, the last turn is not.
    expect(get(ID.long)).toMatchObject({
      completedTurns: null,
      lastTurnId: "turn-00119",
      cumulativeUsage: expect.objectContaining({ input_tokens: 60 }),
    });
    expect(get(ID.sparse)).toMatchObject({
      completedTurns: null,
      lastTurnId: "01a20fb5-3610-73e3-a3aa-c112949f9a1e",
      size: sparseSize,
    });
  });

  it("finds the store through env (the thread's codexOptions.env)", async () => {
    const r = await listSessions({ env: { CODEX_HOME: home } });
    expect(r._unsafeUnwrap().sessions).toHaveLength(12);
  });

  it("returns an empty listing for a store without sessions, and fails for an unreadable one", async () => {
    const none = await listSessions({ codexHome: join(home, "nowhere") });
    expect(none._unsafeUnwrap()).toEqual({ sessions: [], problems: [] });
    const notDir = await listSessions({ codexHome: paths["stray"] });
    expect(notDir._unsafeUnwrapErr()).toMatchObject({ _tag: "StoreUnreadable", code: "ENOTDIR" });
  });

  it("gives the same listing whatever the concurrency", async () => {
    const one = (await listSessions({ codexHome: home, concurrency: 1 }))._unsafeUnwrap();
    const many = (await listSessions({ codexHome: home, concurrency: 64 }))._unsafeUnwrap();
    expect(one).toEqual(many);
  });
});

describe("findSession", () => {
  it("finds a thread's rollout and counts its turns with a full scan", async () => {
    const s = (await findSession(ID.long, { codexHome: home }))._unsafeUnwrap();
    expect(s).toMatchObject({ completedTurns: 120, lastTurnId: "turn-00119", forked: false });
    const tail = (await findSession(ID.long, { codexHome: home, scan: "tail" }))._unsafeUnwrap();
    expect(tail.completedTurns).toBeNull();
  });

  it("finds the golden threads", async () => {
    const s = (await findSession(ID.resume, { codexHome: home }))._unsafeUnwrap();
    expect(s).toMatchObject({ completedTurns: 3, path: paths["resume"] });
  });

  it("reports a missing thread, and a thread whose rollout is compressed", async () => {
    const missing = await findSession("0b000000-0000-7000-8000-0000000000ff", { codexHome: home });
    expect(missing._unsafeUnwrapErr()).toMatchObject({
      _tag: "SessionNotFound",
      threadId: "0b000000-0000-7000-8000-0000000000ff",
    });
    const packed = await findSession(ID.packed, { codexHome: home });
    expect(packed._unsafeUnwrapErr()).toMatchObject({ _tag: "UnsupportedRollout" });
  });

  it("rejects ids that are not thread ids before touching the file system", async () => {
    const readdir = jest.spyOn(fsPromises, "readdir");
    const openFile = jest.spyOn(fs, "open");
    try {
      for (const bad of ["../x", "--foo", "a/b", "", "x".repeat(200), "..", "id\n"]) {
        const found = await findSession(bad, { codexHome: home });
        const observed = await observeSession(bad, { codexHome: home });
        expect(found._unsafeUnwrapErr()._tag).toBe("InvalidThreadId");
        expect(observed._unsafeUnwrapErr()._tag).toBe("InvalidThreadId");
      }
      expect(readdir).not.toHaveBeenCalled();
      expect(openFile).not.toHaveBeenCalled();
    } finally {
      readdir.mockRestore();
      openFile.mockRestore();
    }
  });
});

describe("lastSession", () => {
  it("picks the most recent session, read in full", async () => {
    const s = (await lastSession({ codexHome: home }))._unsafeUnwrap();
    expect(s).toMatchObject({ threadId: ID.fail163, completedTurns: 1 });
  });

  it("picks the most recent session of a working directory", async () => {
    const s = (await lastSession({ codexHome: home, cwd: "/work/other" }))._unsafeUnwrap();
    expect(s.threadId).toBe(ID.otherCwd);
    const same = (
      await lastSession({ codexHome: home, cwd: "/home/dev/sandbox/cwd/" })
    )._unsafeUnwrap();
    expect(same.threadId).toBe(ID.fail163);
  });

  it("decides between rollouts of the same second by modification time", async () => {
    await rm(join(home, "only"), { recursive: true, force: true });
    const only = join(home, "only", "sessions", "2026", "11", "19");
    await mkdir(only, { recursive: true });
    for (const id of [ID.sameSecondA, ID.sameSecondB]) {
      const name = `rollout-2026-11-19T08-00-00-${id}.jsonl`;
      await fsPromises.copyFile(join(sessions, "2026/11/19", name), join(only, name));
    }
    // Copies get fresh times: A is now the later one.
    await utimes(join(only, `rollout-2026-11-19T08-00-00-${ID.sameSecondA}.jsonl`), 3e6, 3e6);
    await utimes(join(only, `rollout-2026-11-19T08-00-00-${ID.sameSecondB}.jsonl`), 2e6, 2e6);
    const s = (
      await lastSession({ codexHome: join(home, "only"), concurrency: 1 })
    )._unsafeUnwrap();
    expect(s.threadId).toBe(ID.sameSecondA);
  });

  it("reports when no session matches", async () => {
    const r = await lastSession({ codexHome: home, cwd: "/nowhere" });
    expect(r._unsafeUnwrapErr()).toMatchObject({
      _tag: "SessionNotFound",
      threadId: null,
      cwd: "/nowhere",
    });
  });
});

describe("readSession and observeSession", () => {
  it("reads a rollout by path (a full scan by default)", async () => {
    const s = (await readSession(RESUME))._unsafeUnwrap();
    expect(s).toMatchObject({ threadId: ID.resume, completedTurns: 3, path: RESUME });
    const partial = (await readSession(paths["partial"] ?? ""))._unsafeUnwrap();
    expect(partial).toMatchObject({ truncated: true, completedTurns: 0, turnInProgress: true });
  });

  it("reports unreadable and invalid files as errors", async () => {
    expect((await readSession(paths["folder"] ?? ""))._unsafeUnwrapErr()._tag).toBe(
      "SessionUnreadable",
    );
    expect((await readSession(join(home, "missing.jsonl")))._unsafeUnwrapErr()).toMatchObject({
      _tag: "SessionUnreadable",
      code: "ENOENT",
    });
    expect((await readSession(paths["corrupt"] ?? ""))._unsafeUnwrapErr()._tag).toBe(
      "InvalidRollout",
    );
  });

  it("observes a thread for the resume validator", async () => {
    expect((await observeSession(ID.resume, { codexHome: home }))._unsafeUnwrap()).toEqual({
      forked: false,
      completedTurns: 3,
      lastTurnId: "01a20fb5-3610-73e3-a3aa-c112949f9a1e",
    });
  });

  it("streams a rollout with a line longer than the line limit (only its start is read)", async () => {
    const lines = linesOf(await readFile(RESUME, "utf8"));
    const huge = `{"timestamp":"x","ordinal":28,"type":"response_item","payload":{"type":"message","text":"${"a".repeat(
      SESSION_READ_LIMITS.lineBytes + 10,
    )}"}}`;
    const id = "0b000000-0000-7000-8000-0000000000aa";
    const dir = join(home, "huge");
    const content = withId(
      [...lines.slice(0, 28), huge, ...lines.slice(29)].join("\n"),
      ID.resume,
      id,
    );
    const p = join(dir, `rollout-2026-11-18T08-00-00-${id}.jsonl`);
    await mkdir(dir, { recursive: true });
    await writeFile(p, `${content}\n`);
    const s = (await readSession(p))._unsafeUnwrap();
    expect(s).toMatchObject({ completedTurns: 3, unreadableLines: 0, forked: false });
    await rm(dir, { recursive: true, force: true });
  });
});

describe("the head", () => {
  const padded = async (extra: number, id: string): Promise<string> => {
    const lines = linesOf(withId(await readFile(RESUME, "utf8"), ID.resume, id));
    lines[0] = edit(lines[0] ?? "", (o) => {
      const p = o["payload"] as { base_instructions: { text: string } };
      p.base_instructions.text += 'é\\"{['.repeat(extra / 6);
      return o;
    });
    const dir = join(home, "heads");
    await mkdir(dir, { recursive: true });
    const f = join(dir, `rollout-2026-11-17T08-00-00-${id}.jsonl`);
    await writeFile(f, `${lines.join("\n")}\n`);
    return f;
  };

  it("reads a first line larger than one read (200 KB of instructions)", async () => {
    const f = await padded(200_000, "0b000000-0000-7000-8000-0000000000b1");
    for (const scan of ["full", "tail"] as const)
      expect((await readSession(f, { scan }))._unsafeUnwrap()).toMatchObject({
        threadId: "0b000000-0000-7000-8000-0000000000b1",
        completedTurns: 3,
        cwd: "/home/dev/sandbox/cwd",
      });
  });

  it("rejects a first line over the head limit", async () => {
    const f = await padded(
      SESSION_READ_LIMITS.headBytes + 10,
      "0b000000-0000-7000-8000-0000000000b2",
    );
    expect((await readSession(f))._unsafeUnwrapErr()).toMatchObject({
      _tag: "InvalidRollout",
      message: expect.stringMatching(/longer than 1048576 bytes/),
    });
  });

  it("keeps a working directory that is not ASCII", async () => {
    const id = "0b000000-0000-7000-8000-0000000000b3";
    const lines = linesOf(withId(await readFile(BASIC, "utf8"), ID.basic, id));
    lines[0] = edit(lines[0] ?? "", (o) => ({
      ...o,
      payload: { ...(o["payload"] as Json), cwd: "/home/zoë/projets/été — ✓" },
    }));
    const f = join(home, "heads", `rollout-2026-11-17T09-00-00-${id}.jsonl`);
    await writeFile(f, `${lines.join("\n")}\n`);
    expect((await readSession(f))._unsafeUnwrap().cwd).toBe("/home/zoë/projets/été — ✓");
  });
});

describe("resolveCodexHome", () => {
  const saved = process.env["CODEX_HOME"];
  afterEach(() => {
    if (saved === undefined) delete process.env["CODEX_HOME"];
    else process.env["CODEX_HOME"] = saved;
  });

  it("prefers an explicit codexHome, then env, then process.env, then ~/.codex", () => {
    process.env["CODEX_HOME"] = "/from/process";
    expect(resolveCodexHome({ codexHome: "/explicit", env: { CODEX_HOME: "/from/env" } })).toBe(
      "/explicit",
    );
    expect(resolveCodexHome({ env: { CODEX_HOME: "/from/env" } })).toBe("/from/env");
    expect(resolveCodexHome({})).toBe("/from/process");
    delete process.env["CODEX_HOME"];
    expect(resolveCodexHome()).toBe(join(homedir(), ".codex"));
  });

  it("treats a given env as the CLI's whole environment, like codexOptions.env", () => {
    process.env["CODEX_HOME"] = "/from/process";
    expect(resolveCodexHome({ env: { HOME: "/home/someone" } })).toBe("/home/someone/.codex");
  });

  it("treats an empty CODEX_HOME as unset, and resolves relative paths", () => {
    process.env["CODEX_HOME"] = "";
    expect(resolveCodexHome()).toBe(join(homedir(), ".codex"));
    expect(resolveCodexHome({ codexHome: "rel" })).toBe(join(process.cwd(), "rel"));
  });
});

describe("dayFoldersOf (the UUIDv7 fast path of findSession)", () => {
  it("names the UTC creation day of a UUIDv7 and the days around it", () => {
    expect(dayFoldersOf("01a20fb5-32b6-73c3-8683-50ee63f5dba7")).toEqual([
      join("2026", "11", "24"),
      join("2026", "11", "23"),
      join("2026", "11", "25"),
    ]);
  });

  it("has no hint for ids that are not UUIDv7", () => {
    expect(dayFoldersOf("thread_abc123")).toEqual([]);
    expect(dayFoldersOf("01a20fb5-32b6-43c3-8683-50ee63f5dba7")).toEqual([]);
  });
});
