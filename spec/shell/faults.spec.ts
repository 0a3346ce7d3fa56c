/**
 * The fault suite: fake `codex` binaries (spec/support/fakes) that misbehave in every way the
 * exec transport must survive. Each fault gives its documented result, the host lives (these
 * tests run in it), no child is left running (checked by the pid the fake wrote) and no
 * output-schema temp file is left behind (each turn has a schema and its own temp dir).
 */
import { chmod, mkdir, writeFile } from "node:fs/promises";

import type { TurnError } from "../../lib/core/errors/index.js";
import { recordingSink } from "../../lib/core/telemetry.js";
import { startThread, type Thread } from "../../lib/core/thread.js";
import { execTransport, type ExecTransportOptions } from "../../lib/shell/exec-transport.js";
import { runTurn, type RunDeps, type TurnOutcome } from "../../lib/shell/run.js";
import {
  API_KEY,
  expectNoKey,
  fake,
  isAlive,
  listDir,
  makeScratch,
  readLog,
  readPid,
  waitFor,
  type Scratch,
} from "../support/run-env.js";
import { errOf as errOfResult, okOf as okOfResult } from "../support/results.js";

const SCHEMA = { type: "object", properties: { fake: { type: "string" } } };
const MiB = 1024 * 1024;

interface FaultRun {
  readonly result: Awaited<ReturnType<typeof runTurn>>;
  /** The pid the fake wrote (null when it never started). */
  readonly pid: number | null;
  /** What is left in the turn's temp dir. */
  readonly leftovers: string[];
  readonly ms: number;
  readonly telemetry: ReturnType<typeof recordingSink>;
}

/**
 * Runs one turn with `binary` (a fake's name, or a path), in a scratch dir that holds the pid
 * file and serves as the transport's temp dir.
 */
const runFault = async (
  binary: string,
  opts: {
    env?: Record<string, string>;
    input?: string;
    turnOptions?: Record<string, unknown>;
    deps?: RunDeps;
    transport?: ExecTransportOptions;
    schema?: boolean;
    /** Abort the turn (turnOptions.signal) once the fake has written its pid. */
    abortWhenStarted?: boolean;
  } = {},
): Promise<FaultRun> => {
  const scratch: Scratch = await makeScratch();
  try {
    const pidFile = scratch.file("fake.pid");
    const tmpDir = scratch.file("tmp");
    await mkdir(tmpDir);
    const thread: Thread = startThread(
      {
        apiKey: API_KEY,
        env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", FAKE_PID_FILE: pidFile, ...opts.env },
      },
      {},
    )._unsafeUnwrap();
    const telemetry = recordingSink();
    const ac = new AbortController();
    if (opts.abortWhenStarted === true)
      void waitFor(() => readPid(pidFile) !== null, 20_000, "the fake's pid").then(
        () => ac.abort(),
        () => ac.abort(), // (then the missing pid fails the test)
      );
    const started = performance.now();
    const result = await runTurn(
      thread,
      opts.input ?? "hello",
      {
        ...(opts.schema === false ? {} : { outputSchema: SCHEMA }),
        ...(opts.abortWhenStarted === true ? { signal: ac.signal } : {}),
        ...opts.turnOptions,
      },
      {
        observe: false,
        sink: telemetry.sink,
        transport: execTransport({
          codexPath: binary.includes("/") ? binary : fake(binary),
          tmpDir,
          ...opts.transport,
        }),
        ...opts.deps,
      },
    );
    return {
      result,
      pid: readPid(pidFile),
      leftovers: await listDir(tmpDir),
      ms: performance.now() - started,
      telemetry,
    };
  } finally {
    await scratch.dispose();
  }
};

const errOf = (r: FaultRun): TurnError => errOfResult(r.result);
const okOf = (r: FaultRun): TurnOutcome => okOfResult(r.result);

/** The fake ran, is gone, left no temp file, and nothing it said leaks the key. */
const expectCleanExit = (r: FaultRun): void => {
  expect(r.pid).not.toBeNull();
  expect(isAlive(r.pid!)).toBe(false);
  expect(r.leftovers).toEqual([]);
  expectNoKey(r.result.isErr() ? r.result.error : r.result.value);
  expectNoKey(r.telemetry.events);
};

describe("the exec transport survives misbehaving binaries", () => {
  it.concurrent(
    "a binary that exits before reading stdin: ExecFailed, no EPIPE crash",
    async () => {
      const r = await runFault("exit-early.mjs", { input: "p".repeat(4 * MiB) });
      expect(errOf(r)).toEqual({
        _tag: "ExecFailed",
        path: "codex",
        message: "codex exec exited with code 3: fake: giving up before reading stdin",
        exitCode: 3,
        signal: null,
        stderrTail: "fake: giving up before reading stdin\n",
      });
      expectCleanExit(r);
      expect(r.telemetry.events.at(-1)).toMatchObject({ name: "codex.turn.stop", exitCode: 3 });
    },
  );

  it.concurrent("a binary that dies mid-stream (SIGKILL): ExecFailed with the signal", async () => {
    const r = await runFault("die-midstream.mjs");
    expect(errOf(r)).toMatchObject({ _tag: "ExecFailed", exitCode: null, signal: "SIGKILL" });
    expectCleanExit(r);
  });

  it.concurrent("a binary that prints garbage: InvalidJson, and it is killed", async () => {
    const r = await runFault("garbage.mjs");
    expect(errOf(r)).toMatchObject({ _tag: "InvalidJson", path: "line" });
    expect(r.ms).toBeLessThan(8_000);
    expectCleanExit(r);
    expect(r.telemetry.events.find((e) => e.name === "codex.turn.exception")).toMatchObject({
      errorTag: "InvalidJson",
    });
  });

  it.concurrent("partial lines and split UTF-8 characters: decoded as whole lines", async () => {
    const value = { fake: "héllo ✓ 🚀 ∑ — 日本語" };
    const r = await runFault("partial-lines.mjs", { env: { FAKE_TEXT: JSON.stringify(value) } });
    const { turn } = okOf(r);
    expect(turn.finalResponse).toBe(JSON.stringify(value));
    expect(turn.structuredOutput).toEqual(value);
    expect(turn.usage).toMatchObject({ input_tokens: 10, output_tokens: 3 });
    expectCleanExit(r);
  });

  it.concurrent("no newline after the last line: still decoded", async () => {
    const r = await runFault("no-final-newline.mjs");
    const { turn } = okOf(r);
    expect(turn.structuredOutput).toEqual({ fake: "reply" });
    expect(turn.usage).toMatchObject({ input_tokens: 10 }); // from the unterminated line
    expectCleanExit(r);
  });

  it.concurrent(
    "a 50 MB line over a small maxLineBytes: LineTooLong, and it is killed",
    async () => {
      const r = await runFault("long-line.mjs", { deps: { maxLineBytes: MiB } });
      expect(errOf(r)).toEqual({
        _tag: "LineTooLong",
        path: "stdout",
        message: `a line of codex output is longer than ${MiB} bytes`,
        limit: MiB,
      });
      expectCleanExit(r);
    },
  );

  it.concurrent("a 50 MB line under the default cap (64 MiB): accepted", async () => {
    const r = await runFault("long-line.mjs", { schema: false });
    const { turn } = okOf(r);
    expect(turn.finalResponse.length).toBeGreaterThan(49_000_000);
    expect(turn.finalResponse.length).toBeLessThan(50_000_000);
    expectCleanExit(r);
  });

  it.concurrent("a line just over the default cap (64 MiB): LineTooLong", async () => {
    const r = await runFault("long-line.mjs", {
      env: { FAKE_LINE_BYTES: String(64 * MiB + 2) },
    });
    expect(errOf(r)).toMatchObject({ _tag: "LineTooLong", limit: 64 * MiB });
    expectCleanExit(r);
  });

  it.concurrent(
    "a stderr flood: the tail is bounded, ends with the last line, hides the key",
    async () => {
      const r = await runFault("stderr-flood.mjs");
      const e = errOf(r);
      expect(e).toMatchObject({
        _tag: "ExecFailed",
        exitCode: 1,
        message: "codex exec exited with code 1: fatal: flood over",
      });
      const tail = e._tag === "ExecFailed" ? e.stderrTail : "";
      expect(tail.length).toBeLessThanOrEqual(16 * 1024);
      expect(tail.length).toBeGreaterThan(15 * 1024);
      expect(tail.endsWith("key: [redacted]\nfatal: flood over\n")).toBe(true);
      expect(tail).toContain("noise [redacted] nnnn");
      expectCleanExit(r);
    },
  );

  // The fake ends stderr with a key, filler, three keys and the last line, so that the last
  // `cutAt` characters begin in the middle of the first key: around the 16 KiB tail and the
  // slack kept beyond it (the key's length), the cut falls inside a key one way or another.
  it.concurrent.each([
    16 * 1024 - 8,
    16 * 1024,
    16 * 1024 + 16,
    16 * 1024 + API_KEY.length,
    16 * 1024 + 40,
  ])("a stderr tail cut inside the key (%i): no piece of the key is kept", async (cutAt) => {
    const r = await runFault("stderr-flood.mjs", {
      env: { FAKE_STDERR_BYTES: "100000", FAKE_CUT_AT: String(cutAt) },
    });
    const e = errOf(r);
    const tail = e._tag === "ExecFailed" ? e.stderrTail : "";
    expect(tail.length).toBeLessThanOrEqual(16 * 1024);
    // (Redacted keys make it a little shorter than 16 KiB: "[redacted]" is shorter.)
    expect(tail.length).toBeGreaterThan(16 * 1024 - 4 * API_KEY.length);
    expect(tail).toMatch(/f(key: \[redacted\]\n){3}fatal: flood over\n$/);
    expectCleanExit(r); // which looks for every 8-character piece of the key
  });

  it.concurrent("a stderr tail of a chosen size", async () => {
    const r = await runFault("stderr-flood.mjs", {
      env: { FAKE_STDERR_BYTES: "100000" },
      transport: { stderrTailBytes: 100 },
    });
    const e = errOf(r);
    const tail = e._tag === "ExecFailed" ? e.stderrTail : "";
    expect(tail.length).toBeLessThanOrEqual(100);
    expect(tail.endsWith("fatal: flood over\n")).toBe(true);
    expectCleanExit(r);
  });

  it.concurrent("a binary that hangs: TimedOut, and it is killed", async () => {
    // (Long enough for the fake to start and write its pid on a busy machine.)
    const r = await runFault("hang.mjs", { turnOptions: { timeoutMs: 2_000 } });
    expect(errOf(r)).toMatchObject({ _tag: "TimedOut", timeoutMs: 2_000 });
    expect(r.ms).toBeGreaterThanOrEqual(1_990);
    expect(r.ms).toBeLessThan(10_000);
    expectCleanExit(r);
  });

  it.concurrent("a binary that hangs, aborted by a signal: Aborted, and it is killed", async () => {
    const r = await runFault("hang.mjs", { abortWhenStarted: true });
    expect(errOf(r)).toMatchObject({ _tag: "Aborted" });
    expectCleanExit(r);
  });

  it.concurrent(
    "a binary that exits leaving a grandchild on its pipes: Ok, the grandchild killed",
    async () => {
      const scratch = await makeScratch();
      try {
        const grandchildPidFile = scratch.file("grandchild.pid");
        const r = await runFault("orphan.mjs", {
          env: { FAKE_GRANDCHILD_PID_FILE: grandchildPidFile },
          turnOptions: { timeoutMs: 20_000 },
        });
        expect(okOf(r).turn.structuredOutput).toEqual({ fake: "reply" });
        expect(r.ms).toBeLessThan(8_000);
        expectCleanExit(r);
        const grandchild = readPid(grandchildPidFile);
        expect(grandchild).not.toBeNull();
        expect(isAlive(grandchild!)).toBe(false);
      } finally {
        await scratch.dispose();
      }
    },
  );

  it.concurrent(
    "a grandchild out of the group holding the pipes: the turn still ends",
    async () => {
      const scratch = await makeScratch();
      let grandchild: number | null = null;
      try {
        const grandchildPidFile = scratch.file("grandchild.pid");
        const r = await runFault("orphan.mjs", {
          env: { FAKE_GRANDCHILD_PID_FILE: grandchildPidFile, FAKE_GRANDCHILD_DETACHED: "1" },
          turnOptions: { timeoutMs: 20_000 },
        });
        grandchild = readPid(grandchildPidFile);
        expect(okOf(r).turn.structuredOutput).toEqual({ fake: "reply" });
        expect(r.ms).toBeLessThan(8_000);
        expectCleanExit(r);
        // Out of reach of a group kill (it left the group), so this test ends it itself.
        expect(grandchild).not.toBeNull();
        expect(isAlive(grandchild!)).toBe(true);
      } finally {
        if (grandchild !== null && isAlive(grandchild)) process.kill(grandchild, "SIGKILL");
        await scratch.dispose();
      }
    },
  );

  it.concurrent("a binary that never reads stdin (a prompt larger than a pipe): Ok", async () => {
    const r = await runFault("ignore-stdin.mjs", { input: "p".repeat(4 * MiB) });
    expect(okOf(r).turn.structuredOutput).toEqual({ fake: "reply" });
    expectCleanExit(r);
  });
});

describe("the exec transport reports binaries it cannot start", () => {
  let scratch: Scratch;
  beforeAll(async () => {
    scratch = await makeScratch();
  });
  afterAll(() => scratch.dispose());

  it("a missing binary: CodexNotFound, and no temp file", async () => {
    const r = await runFault(scratch.file("no-such-codex"));
    expect(errOf(r)).toMatchObject({
      _tag: "CodexNotFound",
      path: "codexPath",
      message: expect.stringContaining("no-such-codex"),
    });
    expect(r.pid).toBeNull();
    expect(r.leftovers).toEqual([]);
    expect(r.telemetry.events.map((e) => e.name)).toEqual([
      "codex.turn.start",
      "codex.turn.exception",
      "codex.turn.stop",
    ]);
  });

  it("a directory as the binary: CodexNotFound", async () => {
    const r = await runFault(scratch.dir);
    expect(errOf(r)).toMatchObject({ _tag: "CodexNotFound" });
  });

  it("a file that is not executable: SpawnFailed, and no temp file", async () => {
    const file = scratch.file("not-executable");
    await writeFile(file, "#!/bin/sh\nexit 0\n");
    await chmod(file, 0o644);
    const r = await runFault(file);
    expect(errOf(r)).toMatchObject({
      _tag: "SpawnFailed",
      path: "codex",
      message: expect.stringContaining("EACCES"),
    });
    expect(r.leftovers).toEqual([]);
  });

  it("a codexPathOverride that is missing: CodexNotFound", async () => {
    const thread = startThread({ codexPathOverride: scratch.file("gone") })._unsafeUnwrap();
    const r = await runTurn(thread, "x", {}, { observe: false, codexPath: fake("record.mjs") });
    expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: "CodexNotFound" });
  });

  it.each([
    ["does not exist", (s: Scratch) => s.file("missing/dir")],
    ["is a file", (s: Scratch) => s.file("plain-file")],
  ])("an output-schema temp dir that %s: TempFileFailed, nothing started", async (_, dirOf) => {
    const log = scratch.file(`log-${_.replace(/\W/g, "")}.jsonl`);
    await writeFile(scratch.file("plain-file"), "");
    const tmpDir = dirOf(scratch);
    const thread = startThread({
      env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", FAKE_CODEX_LOG: log },
    })._unsafeUnwrap();
    const telemetry = recordingSink();
    const transport = execTransport({ codexPath: fake("record.mjs"), tmpDir });
    const deps = { observe: false as const, transport, sink: telemetry.sink };
    const r = await runTurn(thread, "x", { outputSchema: SCHEMA }, deps);
    expect(r._unsafeUnwrapErr()).toMatchObject({
      _tag: "TempFileFailed",
      path: "turnOptions.outputSchema",
      message: expect.stringContaining("could not write the output schema file"),
    });
    expect(readLog(log)).toEqual([]);
    expect(telemetry.events.find((e) => e.name === "codex.turn.exception")).toMatchObject({
      errorTag: "TempFileFailed",
    });
    // The control: the same turn without a schema starts the binary once.
    expect((await runTurn(thread, "x", {}, deps)).isOk()).toBe(true);
    expect(readLog(log)).toHaveLength(1);
  });
});
