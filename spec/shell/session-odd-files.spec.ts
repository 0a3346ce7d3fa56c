/**
 * Odd files in the session store never hang anything: FIFOs, sockets, folders and symbolic links
 * named like rollouts, unreadable files. Every call settles, an unrelated read in the same
 * process is not starved, a process that listed such a store still exits, and a turn honours
 * its deadline and abort while it observes the session.
 */
import { spawn } from "node:child_process";
import { execFileSync } from "node:child_process";
import { closeSync, constants, openSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { mintContinuationToken } from "../../lib/core/continuation.js";
import { resumeThread } from "../../lib/core/thread.js";
import { runTurn } from "../../lib/shell/run.js";
import { replayTransport } from "../../lib/shell/replay-transport.js";
import { findSession, lastSession, listSessions, readSession } from "../../lib/shell/sessions.js";

const DAY = "2026/11/21";
const GOOD = "0b000000-0000-7000-8000-0000000000a0";
const id = (n: number) => `0b000000-0000-7000-8000-0000000000${(0xb0 + n).toString(16)}`;
const name = (threadId: string, hh = "10") => `rollout-2026-11-21T${hh}-00-00-${threadId}.jsonl`;
/** A thread id whose UUIDv7 day folder is `DAY` (so findSession looks there first). */
const V7 = "019aa4c0-0000-7000-8000-000000000001";
const v7Day = (() => {
  const d = new Date(parseInt("019aa4c00000", 16));
  const two = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())}`;
})();

let home: string;
let outside: string;
const fifos: string[] = [];
const servers: Server[] = [];

/** Opens each FIFO's write end and closes it: a reader stuck in open() is released. */
const releaseFifos = () => {
  for (const f of fifos)
    try {
      closeSync(openSync(f, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // no reader waiting (ENXIO): nothing to release
    }
};

const meta = (threadId: string) =>
  `${JSON.stringify({
    timestamp: "2026-11-21T10:00:00.000Z",
    type: "session_meta",
    payload: {
      id: threadId,
      timestamp: "2026-11-21T10:00:00.000Z",
      cwd: "/work",
      originator: "codex_exec",
      cli_version: "0.169.0",
    },
  })}\n`;

/** Settles `p` or says it pended past `ms`. */
const within = <A>(p: PromiseLike<A>, ms: number, what: string): Promise<A> =>
  Promise.race([
    Promise.resolve(p),
    new Promise<A>((_, reject) => {
      const t = setTimeout(() => reject(new Error(`${what} pended for ${ms} ms`)), ms);
      t.unref();
    }),
  ]);

beforeAll(async () => {
  // A short path: a socket's path must fit in 108 bytes.
  home = await mkdtemp("/tmp/o-");
  outside = await mkdtemp(join(tmpdir(), "codex-fp-outside-"));
  const day = join(home, "sessions", DAY);
  await mkdir(day, { recursive: true });
  await writeFile(join(day, name(GOOD, "09")), meta(GOOD));
  // Six FIFOs: more than libuv's four pool threads.
  for (let i = 0; i < 6; i++) {
    const f = join(day, name(id(i)));
    execFileSync("mkfifo", [f]);
    fifos.push(f);
  }
  // A FIFO under the UUIDv7 day folder of V7, where findSession looks first.
  await mkdir(join(home, "sessions", v7Day), { recursive: true });
  const v7Fifo = join(home, "sessions", v7Day, name(V7, "11"));
  execFileSync("mkfifo", [v7Fifo]);
  fifos.push(v7Fifo);
  // A socket, a folder, a symbolic link out of the store (to a rollout and to a FIFO).
  const sock = join(day, name(id(6)));
  const server = createServer();
  await new Promise<void>((res) => server.listen(sock, res));
  servers.push(server);
  await mkdir(join(day, name(id(7))));
  await writeFile(join(outside, "secret.jsonl"), meta(id(8)));
  await symlink(join(outside, "secret.jsonl"), join(day, name(id(8))));
  const outFifo = join(outside, "fifo");
  execFileSync("mkfifo", [outFifo]);
  fifos.push(outFifo);
  await symlink(outFifo, join(day, name(id(9))));
  // An unreadable file (root reads it all the same: the spec checks what the mode allows).
  const locked = join(day, name(id(10)));
  await writeFile(locked, meta(id(10)));
  await chmod(locked, 0o000);
});

afterAll(async () => {
  releaseFifos();
  await Promise.all(servers.map((s) => new Promise((res) => s.close(res))));
  await rm(home, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

const isRoot = process.getuid?.() === 0;

describe("listSessions over odd entries", () => {
  it("settles, lists the regular rollout, and names every odd entry", async () => {
    const listed = (
      await within(listSessions({ codexHome: home }), 20_000, "listSessions")
    )._unsafeUnwrap();
    expect(listed.sessions.map((s) => s.threadId)).toEqual(
      expect.arrayContaining([GOOD, ...(isRoot ? [id(10)] : [])]),
    );
    const problem = (i: number) =>
      listed.problems.find((p) => p.path.endsWith(name(id(i))))?.message;
    for (let i = 0; i < 6; i++) expect(problem(i)).toBe("not a regular file: a FIFO");
    expect(problem(6)).toBe("not a regular file: a socket");
    expect(problem(7)).toBe("not a regular file: a folder");
    expect(problem(8)).toBe("not a regular file: a symbolic link (not followed)");
    expect(problem(9)).toBe("not a regular file: a symbolic link (not followed)");
    if (!isRoot) expect(problem(10)).toMatch(/EACCES/);
    // Nothing from outside the store was read.
    expect(listed.sessions.map((s) => s.threadId)).not.toContain(id(8));
  });

  it("does not starve an unrelated read in the same process", async () => {
    const listings = Array.from({ length: 4 }, () => listSessions({ codexHome: home }));
    const own = await within(readFile(__filename, "utf8"), 10_000, "an unrelated readFile");
    expect(own).toContain("does not starve");
    const all = await within(Promise.all(listings), 20_000, "four listings");
    expect(all.every((r) => r.isOk())).toBe(true);
  });
});

describe("one-thread reads over odd entries", () => {
  it("findSession settles on a FIFO named for the thread (in its day folder)", async () => {
    const r = await within(findSession(V7, { codexHome: home }), 20_000, "findSession");
    expect(r._unsafeUnwrapErr()).toMatchObject({
      _tag: "SessionUnreadable",
      message: "not a regular file: a FIFO",
    });
  });

  it("readSession refuses a FIFO, a socket, a folder and a link", async () => {
    const day = join(home, "sessions", DAY);
    for (const i of [0, 6, 7, 8, 9]) {
      const r = await within(readSession(join(day, name(id(i)))), 20_000, "readSession");
      expect(r._unsafeUnwrapErr()._tag).toBe("SessionUnreadable");
    }
  });

  it("lastSession settles and picks the regular rollout", async () => {
    const r = await within(lastSession({ codexHome: home }), 20_000, "lastSession");
    expect([GOOD, id(10)]).toContain(r._unsafeUnwrap().threadId);
  });

  it("an aborted signal settles Aborted at once", async () => {
    const ac = new AbortController();
    const pending = listSessions({ codexHome: home, signal: ac.signal });
    ac.abort();
    expect((await within(pending, 5_000, "an aborted listing"))._unsafeUnwrapErr()).toEqual({
      _tag: "Aborted",
      path: "opts.signal",
      message: "the read of the session store was aborted",
    });
  });
});

describe("a process that reads such a store", () => {
  it("exits on its own", async () => {
    const script = `
      import { listSessions, findSession } from "./lib/shell/sessions.ts";
      const a = await listSessions({ codexHome: ${JSON.stringify(home)} });
      const b = await findSession(${JSON.stringify(V7)}, { codexHome: ${JSON.stringify(home)} });
      process.stdout.write(String(a.isOk()) + " " + String(b.isErr()));
    `;
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script],
      {
        cwd: process.cwd(),
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    const code = await within(
      new Promise<number | null>((res) => child.on("exit", (c) => res(c))),
      45_000,
      "the child's exit",
    ).finally(() => {
      if (child.exitCode === null) child.kill("SIGKILL");
    });
    expect({ code, out }).toEqual({ code: 0, out: "true true" });
  }, 60_000);
});

describe("a turn observing its session", () => {
  const recording = (threadId: string) => ({
    stdout: [
      { type: "thread.started", thread_id: threadId },
      { type: "turn.started" },
      { type: "item.completed", item: { id: "m", type: "agent_message", text: "ok" } },
      {
        type: "turn.completed",
        usage: { input_tokens: 1, cached_input_tokens: 0, output_tokens: 1 },
      },
    ]
      .map((e) => JSON.stringify(e))
      .join("\n"),
  });
  const resumed = () =>
    resumeThread(
      V7,
      { env: { CODEX_HOME: home } },
      { skipGitRepoCheck: true },
      {
        continuationToken: mintContinuationToken({
          threadId: V7,
          completedTurns: 1,
          lastTurnId: null,
        })._unsafeUnwrap(),
      },
    )._unsafeUnwrap();

  it("settles when the thread's rollout is a FIFO", async () => {
    const r = await within(
      runTurn(
        resumed(),
        "hi",
        { timeoutMs: 15_000 },
        { transport: replayTransport([recording(V7)]) },
      ),
      20_000,
      "runTurn",
    );
    // The rollout is there but cannot be read: its position cannot confirm the token, so the
    // turn settles refused (fail closed), and quickly, rather than running unverified.
    expect(r._unsafeUnwrapErr()).toMatchObject({
      _tag: "ContinuationMismatch",
      reason: "unreadable",
    });
    expect(r._unsafeUnwrapErr().message).toContain("not a regular file: a FIFO");
  });

  const never = () => new Promise<null>(() => undefined);

  it("honours timeoutMs while observing", async () => {
    const r = await within(
      runTurn(
        resumed(),
        "hi",
        { timeoutMs: 300 },
        { transport: replayTransport([recording(V7)]), observe: never },
      ),
      10_000,
      "runTurn with a stuck observer",
    );
    expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: "TimedOut", timeoutMs: 300 });
  });

  it("honours an abort while observing", async () => {
    const ac = new AbortController();
    const pending = runTurn(
      resumed(),
      "hi",
      { signal: ac.signal },
      { transport: replayTransport([recording(V7)]), observe: never },
    );
    setTimeout(() => ac.abort(), 100);
    const r = await within(pending, 10_000, "runTurn with a stuck observer");
    expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: "Aborted", path: "turnOptions.signal" });
  });

  it("passes the signal to the observer", async () => {
    let seen: AbortSignal | undefined;
    const ac = new AbortController();
    const pending = runTurn(
      resumed(),
      "hi",
      { signal: ac.signal },
      {
        transport: replayTransport([recording(V7)]),
        observe: (_t, opts) => {
          seen = opts?.signal;
          return never();
        },
      },
    );
    setTimeout(() => ac.abort(), 50);
    await within(pending, 10_000, "runTurn");
    expect(seen?.aborted).toBe(true);
  });
});
