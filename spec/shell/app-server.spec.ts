/**
 * Turns over one persistent `codex app-server` (the REAL installed CLI) talking to the loopback
 * model stub, through the unchanged runner: `deps.transport = server.transport`. Every test has
 * its own stub, sandbox and server, so they run concurrently.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { isLeft } from "fp-ts/lib/Either.js";

import type { ThreadEvent } from "../../lib/core/events.js";
import { recordingSink, TelemetryEvent, type RecordingSink } from "../../lib/core/telemetry.js";
import type { Thread } from "../../lib/core/thread.js";
import { classifyRpcError, toShellError } from "../../lib/core/errors/index.js";
import { initialTranslation, translate } from "../../lib/shell/app-server/events.js";
import { openAppServer, type AppServer } from "../../lib/shell/app-server/open.js";
import { dottedConfig, threadStartParams, userInput } from "../../lib/shell/app-server/params.js";
import { decodeNote, type ServerNote } from "../../lib/shell/app-server/protocol.js";
import { runStreamed, runTurn, type RunDeps } from "../../lib/shell/run.js";
import type { StubScript } from "../../lib/testing/model-stub.js";
import {
  API_KEY,
  FEW_RETRIES,
  UNKNOWN_UUID,
  UUID,
  expectNoKey,
  isAlive,
  waitFor,
  withStubEnv,
  type StubEnv,
  type StubExtra,
} from "../support/run-env.js";
import { errOf, okOf } from "../support/results.js";
import type { TurnInput } from "../../lib/core/input.js";
import type { TurnOptionsInput } from "../../lib/core/options.js";
import { untyped } from "../support/untyped.js";

/** A stub script that holds replies back `delayMs` when the user text contains "slow". */
const slowWhenAsked =
  (delayMs: number): StubScript =>
  (req) => {
    const reply = { kind: "text" as const, text: `Hello from stub ${req.index}: ${req.userText}` };
    return (req.userText ?? "").includes("slow") ? { reply, delayMs } : reply;
  };

/** Runs `fn` with a stub env and an app-server opened on it; always closes the server. */
const withServer = async (
  script: StubScript | undefined,
  fn: (env: StubEnv, server: AppServer) => Promise<void>,
  extra: StubExtra = {},
): Promise<void> =>
  withStubEnv(script, async (env) => {
    const server = (await openAppServer(env.codexOptions(extra)))._unsafeUnwrap();
    try {
      await fn(env, server);
    } finally {
      await server.close();
    }
  });

const turn = async (
  server: AppServer,
  thread: Thread,
  input: TurnInput,
  turnOptions: TurnOptionsInput = {},
  deps: RunDeps = {},
): Promise<{ result: Awaited<ReturnType<typeof runTurn>>; telemetry: RecordingSink }> => {
  const telemetry = recordingSink();
  const result = await runTurn(thread, input, turnOptions, {
    transport: server.transport,
    observe: false,
    sink: telemetry.sink,
    ...deps,
  });
  return { result, telemetry };
};

const USAGE_1 = {
  input_tokens: 24,
  cached_input_tokens: 6,
  cache_write_input_tokens: 0,
  output_tokens: 5,
  reasoning_output_tokens: 1,
};

describe("openAppServer", () => {
  it.concurrent("shakes hands and reports the server; close ends the process", async () => {
    await withStubEnv(undefined, async (env) => {
      const server = okOf(await openAppServer(env.codexOptions()));
      const pid = server.pid();
      expect(pid).not.toBeNull();
      expect(server.isOpen()).toBe(true);
      expect(server.info()).toMatchObject({
        userAgent: expect.stringContaining("0.169.0"),
        codexHome: env.sandbox.codexHome,
      });
      expect(server.transport.kind).toBe("app-server");
      expect((await server.close()).isOk()).toBe(true);
      expect(server.isOpen()).toBe(false);
      expect(server.pid()).toBeNull();
      await waitFor(() => !isAlive(pid!), 5_000, "the server to exit");
      const after = await turn(server, env.thread(), "hello");
      expect(errOf(after.result)).toMatchObject({ _tag: "TransportClosed" });
    });
  });

  it.concurrent("rejects bad options and a missing binary without starting anything", async () => {
    expect((await openAppServer({ apiKey: "" }))._unsafeUnwrapErr()).toMatchObject({
      _tag: "InvalidApiKey",
    });
    expect((await openAppServer(untyped({ nope: 1 })))._unsafeUnwrapErr()).toMatchObject({
      _tag: "InvalidOptions",
    });
    expect(
      (await openAppServer({ codexPathOverride: "/no/such/codex" }))._unsafeUnwrapErr(),
    ).toMatchObject({ _tag: "CodexNotFound" });
  });
});

describe("turns over app-server", () => {
  it.concurrent("runs one turn: a new thread, the reply and usage exactly like exec", async () => {
    await withServer(undefined, async (env, server) => {
      const thread = env.thread();
      const { result, telemetry } = await turn(server, thread, "Say hello");
      const { thread: next, turn: t } = okOf(result);
      expect(next.threadId).toMatch(UUID);
      expect(thread.threadId).toBeNull();
      expect(t.finalResponse).toBe("Hello from stub 1: Say hello");
      expect(t.items).toEqual([
        { id: "item_0", type: "agent_message", text: "Hello from stub 1: Say hello" },
      ]);
      expect(t.usage).toEqual(USAGE_1);
      expect(t.cumulativeUsage).toEqual(USAGE_1);
      expect(t.turnId).toMatch(UUID); // app-server knows the turn id; exec prints none
      expect(telemetry.events.map((e) => e.name)).toEqual([
        "codex.turn.start",
        "codex.thread.start",
        "codex.turn.stop",
      ]);
      expect(telemetry.events[0]).toMatchObject({ transport: "app-server", resumed: false });
      for (const e of telemetry.events) expect(isLeft(TelemetryEvent.decode(e))).toBe(false);
      expectNoKey(telemetry.events);
      expectNoKey(t);
    });
  });

  it.concurrent("resumes: same thread id, usage per turn 24/36/48 like exec", async () => {
    await withServer(undefined, async (env, server) => {
      let thread = env.thread();
      const turns = [];
      for (const q of ["First question", "Second question", "Third question"]) {
        const out = okOf((await turn(server, thread, q)).result);
        thread = out.thread;
        turns.push(out);
      }
      expect(new Set(turns.map((o) => o.thread.threadId)).size).toBe(1);
      expect(turns.map((o) => o.turn.finalResponse)).toEqual([
        "Hello from stub 1: First question",
        "Hello from stub 2: Second question",
        "Hello from stub 3: Third question",
      ]);
      expect(turns.map((o) => o.turn.usage.input_tokens)).toEqual([24, 36, 48]);
      expect(turns.map((o) => o.turn.cumulativeUsage.input_tokens)).toEqual([24, 60, 108]);
      expect(new Set(turns.map((o) => o.turn.turnId)).size).toBe(3);
    });
  });

  it.concurrent("resumes a thread a fresh server has not loaded (thread/resume)", async () => {
    await withServer(undefined, async (env, server) => {
      const first = okOf((await turn(server, env.thread(), "First question")).result);
      expect((await server.close()).isOk()).toBe(true);
      expect((await server.reopen()).isOk()).toBe(true);
      // The Thread value from turn 1 carries the cumulative usage: turn 2 reports its own.
      const second = okOf((await turn(server, first.thread, "Second question")).result);
      expect(second.thread.threadId).toBe(first.thread.threadId);
      expect(second.turn.finalResponse).toBe("Hello from stub 2: Second question");
      expect(second.turn.usage.input_tokens).toBe(36);
      expect(second.turn.cumulativeUsage.input_tokens).toBe(60);
      // A thread only known by id resumes too; the model saw the whole history.
      const byId = env.resume(String(first.thread.threadId));
      const third = okOf((await turn(server, byId, "Third question")).result);
      expect(third.thread.threadId).toBe(first.thread.threadId);
      expect(third.turn.cumulativeUsage.input_tokens).toBe(108);
      expect(JSON.stringify(env.stub.requests[2]?.body)).toContain("First question");
    });
  });

  it.concurrent("streams the turn's events in exec's dialect via runStreamed", async () => {
    await withServer(undefined, async (env, server) => {
      const s = runStreamed(
        env.thread(),
        "Stream please",
        {},
        {
          transport: server.transport,
          observe: false,
        },
      );
      const events: ThreadEvent[] = [];
      for await (const e of s.events) events.push(e);
      const out = (await s.outcome)._unsafeUnwrap();
      expect(events.map((e) => e.type)).toEqual([
        "thread.started",
        "turn.started",
        "item.completed",
        "turn.completed",
      ]);
      expect(events[0]).toEqual({ type: "thread.started", thread_id: out.thread.threadId });
      expect(events[3]).toMatchObject({ usage: USAGE_1 });
      expect(out.turn.finalResponse).toBe("Hello from stub 1: Stream please");
    });
  });

  it.concurrent("aborts via AbortSignal: Aborted at once, and the thread runs again", async () => {
    await withServer(slowWhenAsked(15_000), async (env, server) => {
      const first = okOf((await turn(server, env.thread(), "hello")).result);
      const ac = new AbortController();
      const started = performance.now();
      const pending = turn(server, first.thread, "slow one", { signal: ac.signal });
      await waitFor(() => env.stub.requests.length === 2, 10_000, "the model request");
      ac.abort();
      const { result, telemetry } = await pending;
      expect(errOf(result)).toMatchObject({ _tag: "Aborted" });
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(telemetry.events.at(-1)).toMatchObject({ outcome: "error" });
      // The interrupted turn is over on the server: the next turn is a turn of its own.
      const next = okOf((await turn(server, first.thread, "after the abort")).result);
      expect(next.thread.threadId).toBe(first.thread.threadId);
      expect(next.turn.finalResponse).toBe("Hello from stub 3: after the abort");
      expect(server.isOpen()).toBe(true);
    });
  });

  it.concurrent("times out a turn (TimedOut) and leaving the stream early aborts it", async () => {
    await withServer(slowWhenAsked(15_000), async (env, server) => {
      const { result } = await turn(server, env.thread(), "slow please", { timeoutMs: 800 });
      expect(errOf(result)).toMatchObject({ _tag: "TimedOut", timeoutMs: 800 });
      const s = runStreamed(
        env.thread(),
        "slow again",
        {},
        {
          transport: server.transport,
          observe: false,
        },
      );
      for await (const e of s.events) if (e.type === "turn.started") break;
      expect((await s.outcome)._unsafeUnwrapErr()).toMatchObject({ _tag: "Aborted" });
    });
  });

  it.concurrent(
    "fails every pending turn with TransportClosed when the server dies; reopen recovers",
    async () => {
      await withServer(slowWhenAsked(15_000), async (env, server) => {
        const first = okOf((await turn(server, env.thread(), "hello")).result);
        const pid = server.pid();
        const started = performance.now();
        const pending = Promise.all([
          turn(server, first.thread, "slow one"),
          turn(server, env.thread(), "slow two"),
        ]);
        await waitFor(() => env.stub.requests.length === 3, 10_000, "both model requests");
        process.kill(pid!, "SIGKILL");
        const results = await pending;
        for (const { result } of results)
          expect(errOf(result)).toMatchObject({ _tag: "TransportClosed" });
        expect(performance.now() - started).toBeLessThan(5_000);
        expect(server.isOpen()).toBe(false);
        expect(errOf((await turn(server, first.thread, "hello")).result)).toMatchObject({
          _tag: "TransportClosed",
        });

        expect((await server.reopen()).isOk()).toBe(true);
        expect(server.pid()).not.toBe(pid);
        const again = okOf((await turn(server, first.thread, "back again")).result);
        expect(again.thread.threadId).toBe(first.thread.threadId);
        expect(again.turn.finalResponse).toMatch(/: back again$/);
      });
    },
  );

  it.concurrent("runs 20 threads in parallel on one server with no cross-talk", async () => {
    await withServer(undefined, async (env, server) => {
      const prompts = Array.from({ length: 20 }, (_, i) => `prompt number ${i} of twenty`);
      const outs = await Promise.all(prompts.map((p) => turn(server, env.thread(), p)));
      const done = outs.map(({ result }) => okOf(result));
      expect(new Set(done.map((o) => o.thread.threadId)).size).toBe(20);
      done.forEach((o, i) => {
        expect(o.turn.finalResponse).toMatch(new RegExp(`: ${prompts[i]}$`));
        expect(o.turn.items).toHaveLength(1);
      });
      // Second turns, again in parallel: every thread continues its own history.
      const seconds = await Promise.all(
        done.map((o, i) => turn(server, o.thread, `follow-up ${i}`)),
      );
      seconds.forEach(({ result }, i) => {
        const o = okOf(result);
        expect(o.thread.threadId).toBe(done[i]!.thread.threadId);
        expect(o.turn.finalResponse).toMatch(new RegExp(`: follow-up ${i}$`));
      });
      for (const r of env.stub.requests.filter((q) => q.userText?.startsWith("follow-up"))) {
        const i = Number(r.userText?.split(" ")[1]);
        const body = JSON.stringify(r.body);
        expect(body).toContain(prompts[i]!);
        expect(prompts.filter((p) => body.includes(`${p}"`))).toEqual([prompts[i]]);
      }
    });
  });

  it.concurrent("refuses a second turn on a thread that is running one (ThreadBusy)", async () => {
    await withServer(slowWhenAsked(2_000), async (env, server) => {
      const first = okOf((await turn(server, env.thread(), "hello")).result);
      const slow = turn(server, first.thread, "slow one");
      await waitFor(() => env.stub.requests.length === 2, 10_000, "the model request");
      const { result } = await turn(server, first.thread, "meanwhile");
      expect(errOf(result)).toMatchObject({ _tag: "ThreadBusy", retryable: true });
      expect(okOf((await slow).result).turn.finalResponse).toMatch(/slow one$/);
    });
  });

  it.concurrent("maps an unknown thread to ThreadNotFound", async () => {
    await withServer(undefined, async (env, server) => {
      const { result } = await turn(server, env.resume(UNKNOWN_UUID), "hello");
      expect(errOf(result)).toMatchObject({ _tag: "ThreadNotFound", threadId: UNKNOWN_UUID });
      expect(env.stub.requests).toHaveLength(0);
    });
  });

  it.concurrent("fails with TurnFailed when the API answers an error status", async () => {
    await withServer(
      () => ({ kind: "status", status: 400 }),
      async (env, server) => {
        const { result } = await turn(server, env.thread(), "hello");
        expect(errOf(result)).toMatchObject({ _tag: "TurnFailed" });
        expectNoKey(result);
      },
      { config: FEW_RETRIES },
    );
  });

  it.concurrent("returns structured output for an outputSchema", async () => {
    const schema = {
      type: "object",
      properties: { status: { type: "string" } },
      required: ["status"],
      additionalProperties: false,
    };
    await withServer(
      () => ({ kind: "json", value: { status: "ok" } }),
      async (env, server) => {
        const out = okOf(
          (await turn(server, env.thread(), "status?", { outputSchema: schema })).result,
        );
        expect(out.turn.structuredOutput).toEqual({ status: "ok" });
        expect(env.stub.requests[0]?.body).toMatchObject({
          text: { format: { type: "json_schema" } },
        });
      },
    );
  });

  it.concurrent("runs a shell command: command_execution items in exec's shape", async () => {
    await withServer(
      () => ({ kind: "shell", cmd: "echo hello-from-shell" }),
      async (env, server) => {
        const thread = env.thread({ model: "gpt-5", sandboxMode: "danger-full-access" });
        const out = okOf((await turn(server, thread, "run it")).result);
        expect(out.turn.items.find((i) => i.type === "command_execution")).toMatchObject({
          type: "command_execution",
          command: expect.stringContaining("echo hello-from-shell"),
          aggregated_output: "hello-from-shell\n",
          exit_code: 0,
          status: "completed",
        });
        expect(out.turn.finalResponse).toBe("Ran the command (reply 2)");
      },
    );
  });
});

describe("the recorded app-server turns (golden/app-server-0.169.0)", () => {
  /** The server's notifications of one thread in a recording, decoded with the generated codecs. */
  const notesOf = (file: string): ServerNote[] =>
    readFileSync(join(process.cwd(), "golden", "app-server-0.169.0", file), "utf8")
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as { from: string; line: string })
      .filter((r) => r.from === "server")
      .map((r) => JSON.parse(r.line) as { method?: string; params?: unknown })
      .flatMap((m) => {
        if (typeof m.method !== "string") return [];
        const n = decodeNote(m.method, m.params);
        if (n !== null && n.method === "invalid") throw new Error(`${m.method} does not decode`);
        return n === null ? [] : [n];
      });

  /** The exec events of the turns in `notes`, one list per turn/completed. */
  const turnsOf = (notes: readonly ServerNote[]): unknown[][] => {
    const turns: unknown[][] = [];
    let s = initialTranslation(null);
    let events: unknown[] = [];
    for (const n of notes) {
      const r = translate(s, n);
      s = r.state;
      events.push(...r.events);
      if (n.method === "turn/completed") {
        turns.push(events);
        events = [];
        s = initialTranslation(s.usage);
      }
    }
    return turns;
  };

  it("turn.jsonl: a completed, an interrupted and a failed turn in exec's dialect", () => {
    const [done, interrupted, failed] = turnsOf(notesOf("turn.jsonl"));
    const usage = {
      input_tokens: 10,
      cached_input_tokens: 0,
      cache_write_input_tokens: 0,
      output_tokens: 2,
      reasoning_output_tokens: 0,
    };
    expect(done).toEqual([
      {
        type: "item.completed",
        item: { id: "item_0", type: "error", message: expect.stringContaining("Model metadata") },
      },
      { type: "turn.started" },
      {
        type: "item.completed",
        item: { id: "item_1", type: "agent_message", text: "Hello world" },
      },
      { type: "turn.completed", usage },
    ]);
    expect(interrupted?.at(-1)).toEqual({
      type: "turn.failed",
      error: { message: "the turn was interrupted" },
    });
    expect(failed?.slice(-2)).toEqual([
      { type: "error", message: expect.stringContaining("stub: rejected on purpose") },
      { type: "turn.failed", error: { message: expect.stringContaining("rejected on purpose") } },
    ]);
  });

  it("resume.jsonl: the resumed thread's usage stays cumulative (12, then 24)", () => {
    const [again] = turnsOf(notesOf("resume.jsonl"));
    expect(again?.at(-1)).toMatchObject({
      type: "turn.completed",
      usage: { input_tokens: 20, output_tokens: 4 },
    });
  });
});

describe("the app-server mapping (pure)", () => {
  const note = (method: string, params: unknown): ServerNote => {
    const n = decodeNote(method, params);
    if (n === null || n.method === "invalid") throw new Error(`bad note ${method}`);
    return n;
  };
  const ids = { threadId: "t", turnId: "u" };

  it("translates a turn's notifications into exec events", () => {
    const steps: ServerNote[] = [
      note("warning", { threadId: "t", message: "Model metadata not found" }),
      note("turn/started", { threadId: "t", turn: { id: "u", items: [], status: "inProgress" } }),
      note("item/started", {
        ...ids,
        startedAtMs: 1,
        item: { type: "userMessage", id: "x", content: [{ type: "text", text: "hi" }] },
      }),
      note("item/started", {
        ...ids,
        startedAtMs: 1,
        item: {
          type: "commandExecution",
          id: "c1",
          command: "ls",
          commandActions: [],
          cwd: "/w",
          status: "inProgress",
        },
      }),
      note("item/completed", {
        ...ids,
        completedAtMs: 2,
        item: {
          type: "commandExecution",
          id: "c1",
          command: "ls",
          commandActions: [],
          cwd: "/w",
          status: "completed",
          aggregatedOutput: "a\n",
          exitCode: 0,
        },
      }),
      note("item/completed", {
        ...ids,
        completedAtMs: 3,
        item: { type: "agentMessage", id: "m", text: "done" },
      }),
      note("thread/tokenUsage/updated", {
        ...ids,
        tokenUsage: {
          total: {
            inputTokens: 9,
            cachedInputTokens: 1,
            outputTokens: 2,
            reasoningOutputTokens: 0,
            totalTokens: 11,
          },
          last: {
            inputTokens: 9,
            cachedInputTokens: 1,
            outputTokens: 2,
            reasoningOutputTokens: 0,
            totalTokens: 11,
          },
        },
      }),
      note("turn/completed", { threadId: "t", turn: { id: "u", items: [], status: "completed" } }),
    ];
    let s = initialTranslation(null, "u");
    const events = steps.flatMap((n) => {
      const r = translate(s, n);
      s = r.state;
      return r.events;
    });
    expect(events).toEqual([
      {
        type: "item.completed",
        item: { id: "item_0", type: "error", message: "Model metadata not found" },
      },
      { type: "turn.started", turn_id: "u" },
      {
        type: "item.started",
        item: {
          id: "item_1",
          type: "command_execution",
          command: "ls",
          aggregated_output: "",
          exit_code: null,
          status: "in_progress",
        },
      },
      {
        type: "item.completed",
        item: {
          id: "item_1",
          type: "command_execution",
          command: "ls",
          aggregated_output: "a\n",
          exit_code: 0,
          status: "completed",
        },
      },
      { type: "item.completed", item: { id: "item_2", type: "agent_message", text: "done" } },
      {
        type: "turn.completed",
        turn_id: "u",
        usage: {
          input_tokens: 9,
          cached_input_tokens: 1,
          cache_write_input_tokens: 0,
          output_tokens: 2,
          reasoning_output_tokens: 0,
        },
      },
    ]);
  });

  it("turns a failed or interrupted turn into turn.failed with the error's message", () => {
    const failed = translate(
      initialTranslation(null),
      note("turn/completed", {
        threadId: "t",
        turn: { id: "u", items: [], status: "failed", error: { message: "boom" } },
      }),
    );
    expect(failed.events).toEqual([{ type: "turn.failed", error: { message: "boom" } }]);
    const interrupted = translate(
      initialTranslation(null),
      note("turn/completed", {
        threadId: "t",
        turn: { id: "u", items: [], status: "interrupted" },
      }),
    );
    expect(interrupted.state.outcome).toBe("interrupted");
  });

  it("maps thread options to thread/start params like the exec flags", () => {
    const thread = {
      threadId: null,
      codexOptions: { config: { a: { b: 1 }, c: [1, 2] } },
      threadOptions: {
        model: "m",
        sandboxMode: "workspace-write",
        workingDirectory: "/w",
        networkAccessEnabled: true,
        webSearchEnabled: false,
        modelReasoningEffort: "high",
        ephemeral: true,
      },
      metadata: null,
      labels: {},
      continuationToken: null,
      cumulativeUsage: null,
    } as unknown as Thread;
    expect(threadStartParams(thread)).toEqual({
      model: "m",
      sandbox: "workspace-write",
      cwd: "/w",
      approvalPolicy: "never",
      ephemeral: true,
      config: {
        "a.b": 1,
        c: [1, 2],
        model_reasoning_effort: "high",
        "sandbox_workspace_write.network_access": true,
        web_search: "disabled",
      },
    });
    expect(dottedConfig({ x: {} })).toEqual({ x: {} });
    expect(userInput({ prompt: "hi", images: ["/a.png"] })).toEqual([
      { type: "text", text: "hi", text_elements: [] },
      { type: "localImage", path: "/a.png" },
    ]);
  });

  it("classifies the server's error texts", () => {
    expect(
      classifyRpcError("thread/resume", "x", {
        code: -32600,
        message: "no rollout found for thread id x",
      }),
    ).toMatchObject({ _tag: "ThreadNotFound", threadId: "x" });
    expect(
      classifyRpcError("turn/start", "x", {
        code: -32600,
        message: "thread x already has an active writer",
      }),
    ).toMatchObject({ _tag: "ThreadBusy" });
    const other = classifyRpcError("thread/delete", "x", {
      code: -32600,
      message: "forked history",
    });
    expect(other).toMatchObject({ _tag: "RpcFailed", code: -32600 });
    // An RPC failure keeps its tag through the turn seam: it is not a failure to spawn.
    expect(toShellError(other)).toEqual(other);
    expect(API_KEY).not.toBe("");
  });
});
