/**
 * runTurn / runStreamed against the REAL codex binary (the installed @openai/codex) talking to
 * the loopback model stub, in a sandbox CODEX_HOME. Every test has its own stub and sandbox,
 * so they run concurrently. Where a test must see the child process, the thread's binary is
 * fakes/codex-pid-wrapper.sh, which writes its pid and `exec`s the real CLI.
 */
import { readdirSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";

import { isLeft } from "fp-ts/lib/Either.js";

import type { ThreadEvent } from "../../lib/core/events.js";
import { decodeContinuationToken } from "../../lib/core/continuation.js";
import { recordingSink, TelemetryEvent, type RecordingSink } from "../../lib/core/telemetry.js";
import { resumeThread, type Thread } from "../../lib/core/thread.js";
import { execTransport } from "../../lib/shell/exec-transport.js";
import { runStreamed, runTurn, type RunDeps } from "../../lib/shell/run.js";
import type { StubScript } from "../../lib/testing/model-stub.js";
import {
  API_KEY,
  FEW_RETRIES,
  UNKNOWN_UUID,
  UUID,
  expectNoKey,
  fake,
  isAlive,
  listDir,
  readLog,
  waitFor,
  withStubEnv,
  type StubEnv,
} from "../support/run-env.js";
import { errOf, okOf } from "../support/results.js";
import type { TurnInput } from "../../lib/core/input.js";
import type { TurnOptionsInput } from "../../lib/core/options.js";

const PID_WRAPPER = fake("codex-pid-wrapper.sh");

/** A stub script that holds every reply back `delayMs` (from request `from` on). */
const delayed =
  (delayMs: number, from = 1): StubScript =>
  (req) => {
    const reply = { kind: "text" as const, text: `Hello from stub ${req.index}: ${req.userText}` };
    return req.index >= from ? { reply, delayMs } : reply;
  };

/** Runs a turn with observation off, recording telemetry; returns the settled Result. */
const turn = async (
  thread: Thread,
  input: TurnInput,
  turnOptions: TurnOptionsInput = {},
  deps: RunDeps = {},
): Promise<{ result: Awaited<ReturnType<typeof runTurn>>; telemetry: RecordingSink }> => {
  const telemetry = recordingSink();
  const result = await runTurn(thread, input, turnOptions, {
    observe: false,
    sink: telemetry.sink,
    ...deps,
  });
  return { result, telemetry };
};

const names = (t: RecordingSink): string[] => t.events.map((e) => e.name);

/** Every telemetry event is a valid TelemetryEvent and none holds the planted key. */
const expectCleanTelemetry = (t: RecordingSink): void => {
  for (const e of t.events) expect(isLeft(TelemetryEvent.decode(e))).toBe(false);
  expectNoKey(t.events);
};

const usageIn = (n: number) => expect.objectContaining({ input_tokens: n });

/** The rollout files under the sandbox CODEX_HOME. */
const rollouts = async (env: StubEnv): Promise<string[]> =>
  (await readdir(join(env.sandbox.codexHome, "sessions"), { recursive: true })).filter((f) =>
    f.endsWith(".jsonl"),
  );

describe("runTurn against the real codex CLI", () => {
  it.concurrent("runs one turn: a new thread, the reply, usage and telemetry", async () => {
    await withStubEnv(undefined, async (env) => {
      const thread = env.thread();
      const { result, telemetry } = await turn(thread, "Say hello");
      const { thread: next, turn: t } = okOf(result);

      expect(next.threadId).toMatch(UUID);
      expect(thread.threadId).toBeNull(); // the input value is untouched
      expect(t.finalResponse).toBe("Hello from stub 1: Say hello");
      expect(t.items).toEqual([
        { id: "item_0", type: "agent_message", text: "Hello from stub 1: Say hello" },
      ]);
      const usage = {
        input_tokens: 24,
        cached_input_tokens: 6,
        cache_write_input_tokens: 0,
        output_tokens: 5,
        reasoning_output_tokens: 1,
      };
      expect(t.usage).toEqual(usage);
      expect(t.cumulativeUsage).toEqual(usage);
      expect(next.cumulativeUsage).toEqual(usage);
      expect(env.stub.requests.map((r) => r.userText)).toEqual(["Say hello"]);
      expect(await rollouts(env)).toEqual([expect.stringContaining(String(next.threadId))]);

      expect(names(telemetry)).toEqual([
        "codex.turn.start",
        "codex.thread.start",
        "codex.turn.stop",
      ]);
      expect(telemetry.events[0]).toMatchObject({
        threadId: null,
        resumed: false,
        transport: "exec",
      });
      expect(telemetry.events[1]).toMatchObject({ threadId: next.threadId });
      expect(telemetry.events[2]).toMatchObject({
        threadId: next.threadId,
        outcome: "ok",
        usage,
        exitCode: 0,
      });
      expectCleanTelemetry(telemetry);
      expectNoKey(t);
    });
  });

  it.concurrent(
    "resumes a thread twice: same id, per-turn usage 24/36/48, cumulative 24/60/108",
    async () => {
      await withStubEnv(undefined, async (env) => {
        let thread = env.thread();
        const ids: (string | null)[] = [];
        const tokens: (string | null)[] = [];
        const turns = [];
        const telemetries: RecordingSink[] = [];
        for (const q of ["First question", "Second question", "Third question"]) {
          const { result, telemetry } = await turn(thread, q);
          const out = okOf(result);
          thread = out.thread;
          ids.push(thread.threadId);
          tokens.push(thread.continuationToken);
          turns.push(out.turn);
          telemetries.push(telemetry);
        }
        expect(new Set(ids).size).toBe(1);
        expect(ids[0]).toMatch(UUID);
        expect(turns.map((t) => t.finalResponse)).toEqual([
          "Hello from stub 1: First question",
          "Hello from stub 2: Second question",
          "Hello from stub 3: Third question",
        ]);
        expect(turns.map((t) => t.usage.input_tokens)).toEqual([24, 36, 48]);
        expect(turns.map((t) => t.cumulativeUsage.input_tokens)).toEqual([24, 60, 108]);
        expect(turns.map((t) => t.usage.output_tokens)).toEqual([5, 5, 5]);
        expect(turns.map((t) => t.cumulativeUsage.output_tokens)).toEqual([5, 10, 15]);
        expect(thread.cumulativeUsage).toMatchObject({
          input_tokens: 108,
          cached_input_tokens: 27,
        });
        // The token advances with every turn and always names the thread.
        expect(new Set(tokens).size).toBe(3);
        const claims = tokens.map((tk) => decodeContinuationToken(tk)._unsafeUnwrap());
        expect(claims).toEqual(
          [1, 2, 3].map((n) => ({
            kind: "unsigned",
            claim: { threadId: ids[0], lastTurnId: null, completedTurns: n },
          })),
        );
        expect(await rollouts(env)).toHaveLength(1);

        const [first, second, third] = telemetries;
        expect(names(first!)).toEqual([
          "codex.turn.start",
          "codex.thread.start",
          "codex.turn.stop",
        ]);
        for (const t of [second!, third!]) {
          expect(names(t)).toEqual([
            "codex.thread.resume.validated",
            "codex.turn.start",
            "codex.thread.resume",
            "codex.turn.stop",
          ]);
          expect(t.events[1]).toMatchObject({ resumed: true, threadId: ids[0] });
          expectCleanTelemetry(t);
        }
        expect(third!.events[3]).toMatchObject({ usage: usageIn(48), exitCode: 0 });
      });
    },
  );

  it.concurrent("runs a shell command item (exec_command) and reports it", async () => {
    await withStubEnv(
      () => ({ kind: "shell", cmd: "echo hello-from-shell" }),
      async (env) => {
        const thread = env.thread({
          model: "gpt-5",
          sandboxMode: "danger-full-access",
          approvalPolicy: "never",
        });
        const { result, telemetry } = await turn(thread, "run it");
        const { turn: t } = okOf(result);
        const command = t.items.find((i) => i.type === "command_execution");
        expect(command).toMatchObject({
          type: "command_execution",
          command: expect.stringMatching(/ -lc 'echo hello-from-shell'$/),
          aggregated_output: "hello-from-shell\n",
          exit_code: 0,
          status: "completed",
        });
        // The non-fatal notice the CLI sends as an `error` item is kept as an item.
        expect(t.items.find((i) => i.type === "error")).toMatchObject({
          message: expect.stringContaining("gpt-5"),
        });
        expect(t.finalResponse).toBe("Ran the command (reply 2)");
        expect(t.usage).toMatchObject({ input_tokens: 76, output_tokens: 17 });
        expect(env.stub.requests.map((r) => r.hasFunctionCallOutput)).toEqual([false, true]);
        expect(telemetry.events.at(-1)).toMatchObject({ outcome: "ok", exitCode: 0 });
      },
    );
  });

  it.concurrent("returns structured output and removes the schema file", async () => {
    const schema = {
      type: "object",
      properties: { status: { type: "string" }, count: { type: "number" } },
      required: ["status", "count"],
      additionalProperties: false,
    };
    let tmpDir = "";
    let seenDuringTurn: string[] = [];
    // The script looks into the temp dir while the CLI waits for the reply.
    const script: StubScript = () => {
      seenDuringTurn = readdirSync(tmpDir);
      return { kind: "json", value: { status: "ok", count: 2 } };
    };
    await withStubEnv(script, async (env) => {
      tmpDir = env.scratch.dir;
      const { result } = await turn(
        env.thread(),
        "Give status",
        { outputSchema: schema },
        { transport: execTransport({ tmpDir }) },
      );
      const { turn: t } = okOf(result);
      expect(t.structuredOutput).toEqual({ status: "ok", count: 2 });
      expect(t.finalResponse).toBe('{"status":"ok","count":2}');
      expect(env.stub.requests[0]?.body).toMatchObject({
        text: { format: { type: "json_schema", schema } },
      });
      expect(seenDuringTurn).toEqual([expect.stringMatching(/^codex-output-schema-/)]);
      expect(await listDir(tmpDir)).toEqual([]);
    });
  });

  it.concurrent("fails with TurnFailed when the API answers HTTP 500", async () => {
    await withStubEnv(
      () => ({ kind: "status", status: 500 }),
      async (env) => {
        const thread = env.thread({}, { config: FEW_RETRIES });
        const { result, telemetry } = await turn(thread, "hello");
        const e = errOf(result);
        expect(e).toMatchObject({
          _tag: "TurnFailed",
          message: expect.stringContaining("high demand"),
          error: { message: expect.stringContaining("high demand") },
        });
        expect(env.stub.requests).toHaveLength(2); // one try, one retry
        expect(names(telemetry)).toEqual([
          "codex.turn.start",
          "codex.thread.start",
          "codex.turn.exception",
          "codex.turn.stop",
        ]);
        expect(telemetry.events[2]).toMatchObject({ errorTag: "TurnFailed" });
        expect(telemetry.events[3]).toMatchObject({ outcome: "error", usage: null, exitCode: 1 });
        expectCleanTelemetry(telemetry);
        expectNoKey(e);
      },
    );
  });

  it.concurrent("fails with ThreadNotFound for a well-formed UUID with no session", async () => {
    await withStubEnv(undefined, async (env) => {
      const { result, telemetry } = await turn(env.resume(UNKNOWN_UUID), "hello");
      expect(errOf(result)).toEqual({
        _tag: "ThreadNotFound",
        path: "threadId",
        message: expect.stringContaining(UNKNOWN_UUID),
        threadId: UNKNOWN_UUID,
      });
      expect(env.stub.requests).toHaveLength(0);
      expect(names(telemetry)).toEqual([
        "codex.turn.start",
        "codex.turn.exception",
        "codex.turn.stop",
      ]);
      expect(telemetry.events[2]).toMatchObject({ outcome: "error", usage: null });
      expectCleanTelemetry(telemetry);
    });
  });

  it.concurrent(
    "fails with ResumeMismatch when the CLI takes a non-UUID id for a name, and kills it",
    async () => {
      await withStubEnv(delayed(10_000), async (env) => {
        const thread = env.resume("not-a-uuid", {}, { env: env.pidEnv() });
        const started = performance.now();
        const { result, telemetry } = await turn(thread, "hello", {}, { codexPath: PID_WRAPPER });
        const e = errOf(result);
        expect(e).toMatchObject({
          _tag: "ResumeMismatch",
          expectedThreadId: "not-a-uuid",
          actualThreadId: expect.stringMatching(UUID),
        });
        // Stopped at thread.started, not after the stub's 10 s reply.
        expect(performance.now() - started).toBeLessThan(8_000);
        const pid = env.pid();
        expect(pid).not.toBeNull();
        expect(isAlive(pid!)).toBe(false);
        expect(telemetry.events.find((x) => x.name === "codex.turn.exception")).toMatchObject({
          errorTag: "ResumeMismatch",
        });
      });
    },
  );

  it.concurrent(
    "rejects a thread id that would read as a flag before any process starts",
    async () => {
      await withStubEnv(undefined, async (env) => {
        const log = env.scratch.file("invocations.jsonl");
        const recorder = { codexPath: fake("record.mjs") };
        const extra = { env: { FAKE_CODEX_LOG: log } };
        for (const id of ["--foo", "--dangerously-bypass-approvals-and-sandbox", "-x"]) {
          expect(resumeThread(id, env.codexOptions(extra))._unsafeUnwrapErr()).toMatchObject({
            _tag: "InvalidThreadId",
          });
          // A Thread value forged around the constructors is caught by runTurn itself.
          const forged = { ...env.resume(UNKNOWN_UUID, {}, extra), threadId: id } as Thread;
          const { result, telemetry } = await turn(forged, "hello", {}, recorder);
          expect(errOf(result)).toMatchObject({
            _tag: "NotAThread",
            path: "thread.threadId",
          });
          expect(telemetry.events).toEqual([]);
        }
        expect(readLog(log)).toEqual([]);
        // The control: the same recorder with a valid id does record its one invocation.
        const { result } = await turn(env.resume(UNKNOWN_UUID, {}, extra), "hello", {}, recorder);
        expect(okOf(result).thread.threadId).toBe(UNKNOWN_UUID);
        expect(readLog(log)).toEqual([
          expect.objectContaining({ argv: expect.arrayContaining(["resume", UNKNOWN_UUID]) }),
        ]);
      });
    },
  );

  it.concurrent("aborts mid-turn: Aborted, and the child is gone", async () => {
    await withStubEnv(delayed(10_000), async (env) => {
      const thread = env.thread({}, { env: env.pidEnv() });
      const ac = new AbortController();
      const started = performance.now();
      const pending = turn(thread, "hello", { signal: ac.signal }, { codexPath: PID_WRAPPER });
      await waitFor(() => env.stub.requests.length === 1, 10_000, "the model request");
      const pid = env.pid();
      expect(pid).not.toBeNull();
      expect(isAlive(pid!)).toBe(true);
      ac.abort();
      const { result, telemetry } = await pending;
      expect(errOf(result)).toMatchObject({ _tag: "Aborted", path: "turnOptions.signal" });
      expect(performance.now() - started).toBeLessThan(8_000);
      expect(isAlive(pid!)).toBe(false);
      expect(names(telemetry)).toEqual([
        "codex.turn.start",
        "codex.thread.start",
        "codex.turn.exception",
        "codex.turn.stop",
      ]);
      expect(telemetry.events[2]).toMatchObject({ errorTag: "Aborted" });
      expect(telemetry.events[3]).toMatchObject({ outcome: "error", usage: null });
    });
  });

  it.concurrent("honours an abort that comes while the process is being started", async () => {
    await withStubEnv(delayed(10_000), async (env) => {
      const thread = env.thread({}, { env: env.pidEnv() });
      const ac = new AbortController();
      const started = performance.now();
      // runTurn validates synchronously, then awaits the transport's start: abort right then.
      const pending = turn(thread, "hello", { signal: ac.signal }, { codexPath: PID_WRAPPER });
      ac.abort();
      const { result } = await pending;
      expect(errOf(result)).toMatchObject({ _tag: "Aborted" });
      expect(performance.now() - started).toBeLessThan(8_000);
      const pid = env.pid();
      if (pid !== null) expect(isAlive(pid)).toBe(false);
    });
  });

  it.concurrent("returns Aborted at once for a signal aborted before the turn", async () => {
    await withStubEnv(undefined, async (env) => {
      const log = env.scratch.file("invocations.jsonl");
      const thread = env.thread({}, { env: { FAKE_CODEX_LOG: log } });
      const { result } = await turn(
        thread,
        "hello",
        { signal: AbortSignal.abort() },
        { codexPath: fake("record.mjs") },
      );
      expect(errOf(result)).toMatchObject({ _tag: "Aborted" });
      expect(readLog(log)).toEqual([]);
    });
  });

  it.concurrent("times out: TimedOut with the limit, and the child is gone", async () => {
    await withStubEnv(delayed(30_000), async (env) => {
      const thread = env.thread({}, { env: env.pidEnv() });
      const started = performance.now();
      // (Long enough for the CLI to reach the model on a busy machine.)
      const TIMEOUT_MS = 8_000;
      const { result, telemetry } = await turn(
        thread,
        "hello",
        { timeoutMs: TIMEOUT_MS },
        { codexPath: PID_WRAPPER },
      );
      const elapsed = performance.now() - started;
      expect(errOf(result)).toEqual({
        _tag: "TimedOut",
        path: "turnOptions.timeoutMs",
        message: expect.stringContaining(`${TIMEOUT_MS} ms`),
        timeoutMs: TIMEOUT_MS,
      });
      expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 10);
      expect(elapsed).toBeLessThan(TIMEOUT_MS + 5_000);
      expect(env.stub.requests).toHaveLength(1); // it was waiting for the model
      expect(isAlive(env.pid()!)).toBe(false);
      expect(telemetry.events.find((x) => x.name === "codex.turn.exception")).toMatchObject({
        errorTag: "TimedOut",
      });
    });
  });

  it.concurrent("reports ThreadBusy for one of two concurrent resumes of one thread", async () => {
    await withStubEnv(delayed(2_000, 2), async (env) => {
      const first = okOf((await turn(env.thread(), "start")).result).thread;
      const outcomes = await Promise.all([turn(first, "one"), turn(first, "two")]);
      const results = outcomes.map((o) => o.result);
      const busy = results.filter((r) => r.isErr());
      const done = results.filter((r) => r.isOk());
      expect(busy).toHaveLength(1);
      expect(done).toHaveLength(1);
      expect(errOf(busy[0]!)).toEqual({
        _tag: "ThreadBusy",
        path: "threadId",
        message: expect.stringContaining(String(first.threadId)),
        threadId: first.threadId,
        retryable: true,
      });
      expect(okOf(done[0]!).thread.threadId).toBe(first.threadId);
      // Only the writer reached the model (request 1 was the first turn).
      expect(env.stub.requests).toHaveLength(2);
      const busyTelemetry = outcomes[results.indexOf(busy[0]!)]!.telemetry;
      expect(busyTelemetry.events.find((x) => x.name === "codex.turn.exception")).toMatchObject({
        errorTag: "ThreadBusy",
      });
      expect(busyTelemetry.events.at(-1)).toMatchObject({ outcome: "error", usage: null });
    });
  });
});

describe("runStreamed against the real codex CLI", () => {
  it.concurrent("yields the events in order, as they come", async () => {
    await withStubEnv(delayed(1_500), async (env) => {
      const started = performance.now();
      const streamed = runStreamed(env.thread(), "Say hello", {}, { observe: false });
      const seen: { event: ThreadEvent; at: number }[] = [];
      for await (const event of streamed.events) seen.push({ event, at: performance.now() });
      const outcome = await streamed.outcome;
      const total = performance.now() - started;
      const { thread: next, turn: t } = okOf(outcome);

      expect(seen.map((s) => s.event.type)).toEqual([
        "thread.started",
        "turn.started",
        "item.completed",
        "turn.completed",
      ]);
      expect(seen[0]?.event).toEqual({ type: "thread.started", thread_id: next.threadId });
      expect(seen[2]?.event).toEqual({ type: "item.completed", item: t.items[0] });
      // thread.started came before the stub's 1.5 s delay was over; the reply after it.
      const first = seen[0]!.at - started;
      expect(first).toBeLessThan(total - 700);
      expect(seen[2]!.at - seen[0]!.at).toBeGreaterThanOrEqual(700);
    });
  });

  it.concurrent("leaving the events early aborts the turn and kills the child", async () => {
    await withStubEnv(delayed(10_000), async (env) => {
      const thread = env.thread({}, { env: env.pidEnv() });
      const telemetry = recordingSink();
      const started = performance.now();
      const streamed = runStreamed(
        thread,
        "hello",
        {},
        {
          observe: false,
          sink: telemetry.sink,
          codexPath: PID_WRAPPER,
        },
      );
      const seen: string[] = [];
      for await (const event of streamed.events) {
        seen.push(event.type);
        if (event.type === "turn.started") break;
      }
      const outcome = await streamed.outcome;
      expect(seen).toEqual(["thread.started", "turn.started"]);
      expect(errOf(outcome)).toMatchObject({
        _tag: "Aborted",
        message: expect.stringContaining("left early"),
      });
      expect(performance.now() - started).toBeLessThan(8_000);
      expect(isAlive(env.pid()!)).toBe(false);
      expect(telemetry.events.map((e) => e.name)).toContain("codex.turn.exception");
    });
  });

  it.concurrent(
    "an auth failure (HTTP 401) never shows the key in events or the error",
    async () => {
      // The CLI holds the key (the stub provider reads CODEX_API_KEY); nothing we return does.
      await withStubEnv(
        () => ({ kind: "status", status: 401 }),
        async (env) => {
          const thread = env.thread({}, { config: FEW_RETRIES });
          expect(JSON.stringify(thread)).not.toContain(API_KEY);
          const telemetry = recordingSink();
          const streamed = runStreamed(
            thread,
            "hello",
            {},
            { observe: false, sink: telemetry.sink },
          );
          const events: ThreadEvent[] = [];
          for await (const e of streamed.events) events.push(e);
          const e = errOf(await streamed.outcome);
          expect(e._tag).toBe("TurnFailed");
          expect(events.map((x) => x.type)).toContain("turn.failed");
          expectNoKey(e);
          expectNoKey(events);
          expectCleanTelemetry(telemetry);
        },
      );
    },
  );
});

describe("the real CLI's errors on stderr", () => {
  it.concurrent("ExecFailed with a redacted tail when the CLI echoes the key", async () => {
    // A config value that happens to be the key: the CLI prints it back on stderr.
    await withStubEnv(undefined, async (env) => {
      const thread = env.thread({}, { config: { model_provider: API_KEY } });
      const { result, telemetry } = await turn(thread, "hello");
      const e = errOf(result);
      expect(e).toMatchObject({
        _tag: "ExecFailed",
        exitCode: 1,
        signal: null,
        message: "codex exec exited with code 1: Error: Model provider `[redacted]` not found",
      });
      expect(e._tag === "ExecFailed" && e.stderrTail).toContain(
        "Error: Model provider `[redacted]` not found",
      );
      expectNoKey(e);
      expectCleanTelemetry(telemetry);
      expect(telemetry.events.at(-1)).toMatchObject({ name: "codex.turn.stop", exitCode: 1 });
      expect(env.stub.requests).toHaveLength(0);
    });
  });
});
