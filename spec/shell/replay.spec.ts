/**
 * The replay transport over the real CLI's recordings (golden/codex-cli-0.169.0: turnN.jsonl,
 * turnN.exit, turnN.stderr) through runTurn gives the same outcomes as running the same turns
 * live, with the real binary against the model stub. Thread ids (new ones every live run) are
 * the only difference allowed, and are normalized away.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { decodeContinuationToken } from "../../lib/core/continuation.js";
import type { TurnError } from "../../lib/core/errors/index.js";
import type { ConfigObject } from "../../lib/core/config-value.js";
import type { ThreadOptionsInput, TurnOptionsInput } from "../../lib/core/options.js";
import { recordingSink } from "../../lib/core/telemetry.js";
import { resumeThread, startThread, type Thread } from "../../lib/core/thread.js";
import { replayTransport, type Recording } from "../../lib/shell/replay-transport.js";
import { runTurn, type RunDeps } from "../../lib/shell/run.js";
import type { StubScript } from "../../lib/testing/model-stub.js";
import { FEW_RETRIES, UNKNOWN_UUID, withStubEnv, type StubEnv } from "../support/run-env.js";

const GOLDEN = join(process.cwd(), "golden");
/** The recordings to replay: the reference ones, and any re-recordings next to them. */
const ROOTS = [
  "codex-cli-0.169.0",
  "recorded/codex-cli-0.169.0",
  "recorded/codex-cli-0.163.0",
].filter((r) => existsSync(join(GOLDEN, r, "basic", "turn1.jsonl")));

const SCHEMA = {
  type: "object",
  properties: { status: { type: "string" }, count: { type: "number" } },
  required: ["status", "count"],
  additionalProperties: false,
};

interface Scenario {
  readonly name: string;
  /** The prompts of the recorded turns, in order. */
  readonly inputs: readonly string[];
  readonly turnOptions?: TurnOptionsInput;
  readonly threadOptions?: ThreadOptionsInput;
  /** The id the recording resumed, when it did not start a new thread. */
  readonly resumeId?: string;
  readonly script?: StubScript;
  readonly config?: ConfigObject;
  /** What the outcome must be (a check of its own, besides live = replay). */
  readonly expectation: (outcomes: readonly Normalized[]) => void;
}

/** An outcome with thread ids and tokens made comparable across runs. */
type Normalized =
  | { readonly ok: true; readonly thread: unknown; readonly turn: unknown }
  | { readonly ok: false; readonly error: unknown };

const scenarios: Scenario[] = [
  {
    name: "basic",
    inputs: ["Say hello"],
    expectation: ([o]) =>
      expect(o).toMatchObject({
        ok: true,
        turn: {
          finalResponse: "Hello from stub 1: Say hello",
          usage: { input_tokens: 24, cached_input_tokens: 6, output_tokens: 5 },
        },
      }),
  },
  {
    name: "resume",
    inputs: ["First question", "Second question", "Third question"],
    expectation: (os) => {
      expect(
        os.map((o) =>
          o.ok ? (o.turn as { usage: { input_tokens: number } }).usage.input_tokens : null,
        ),
      ).toEqual([24, 36, 48]);
      expect(
        os.map((o) =>
          o.ok
            ? (o.turn as { cumulativeUsage: { input_tokens: number } }).cumulativeUsage.input_tokens
            : null,
        ),
      ).toEqual([24, 60, 108]);
      expect(os.map((o) => (o.ok ? (o.thread as { token: unknown }).token : null))).toEqual(
        [1, 2, 3].map((n) => ({
          kind: "unsigned",
          claim: { threadId: "<thread>", lastTurnId: null, completedTurns: n },
        })),
      );
    },
  },
  {
    name: "shell",
    inputs: ["run: echo hello-from-shell"],
    threadOptions: { model: "gpt-5", sandboxMode: "danger-full-access", approvalPolicy: "never" },
    expectation: ([o]) =>
      expect(o).toMatchObject({
        ok: true,
        turn: {
          finalResponse: "Ran the command (reply 2)",
          items: [
            { type: "error" },
            {
              type: "command_execution",
              command: "<shell> -lc 'echo hello-from-shell'",
              aggregated_output: "hello-from-shell\n",
              exit_code: 0,
              status: "completed",
            },
            { type: "agent_message" },
          ],
        },
      }),
  },
  {
    name: "structured",
    inputs: ["Give status"],
    turnOptions: { outputSchema: SCHEMA },
    script: () => ({ kind: "json", value: { status: "ok", count: 2 } }),
    expectation: ([o]) =>
      expect(o).toMatchObject({ ok: true, turn: { structuredOutput: { status: "ok", count: 2 } } }),
  },
  {
    name: "fail500",
    inputs: ["hello"],
    script: () => ({ kind: "status", status: 500 }),
    config: FEW_RETRIES,
    expectation: ([o]) =>
      expect(o).toEqual({
        ok: false,
        error: {
          _tag: "TurnFailed",
          path: "turn",
          message: expect.stringContaining("high demand"),
          error: { message: expect.stringContaining("high demand") },
        },
      }),
  },
  {
    name: "resume-unknown-id",
    inputs: ["hello"],
    resumeId: UNKNOWN_UUID,
    expectation: ([o]) =>
      expect(o).toEqual({
        ok: false,
        error: {
          _tag: "ThreadNotFound",
          path: "threadId",
          message: `no session found for thread ${UNKNOWN_UUID}`,
          threadId: UNKNOWN_UUID,
        },
      }),
  },
  {
    name: "resume-malformed-id",
    inputs: ["hello"],
    resumeId: "not-a-uuid",
    expectation: ([o]) =>
      expect(o).toEqual({
        ok: false,
        error: {
          _tag: "ResumeMismatch",
          path: "threadId",
          message:
            "asked to resume not-a-uuid but the CLI started a new thread <thread>; it was stopped",
          expectedThreadId: "not-a-uuid",
          actualThreadId: "<thread>",
        },
      }),
  },
];

/** Replaces every new thread id (a UUID other than the one resumed) by "<thread>". */
const normalize = (r: Awaited<ReturnType<typeof runTurn>>, resumeId?: string): Normalized => {
  const ids = (s: string) =>
    s.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) =>
      id === resumeId ? id : "<thread>",
    );
  const deep = (u: unknown): unknown =>
    JSON.parse(ids(JSON.stringify(u)).replace(/"\/[^"]*? -lc /g, '"<shell> -lc ')) as unknown;
  if (r.isErr()) return { ok: false, error: deep(r.error as TurnError) };
  const { thread, turn } = r.value;
  const token =
    thread.continuationToken === null
      ? null
      : decodeContinuationToken(thread.continuationToken)._unsafeUnwrap();
  return {
    ok: true,
    thread: deep({
      threadId: thread.threadId,
      token,
      cumulativeUsage: thread.cumulativeUsage,
      metadata: thread.metadata,
      labels: thread.labels,
    }),
    turn: deep(turn),
  };
};

/** Runs a scenario's turns one after the other on `first`. */
const runAll = async (s: Scenario, first: Thread, deps: RunDeps): Promise<Normalized[]> => {
  const out: Normalized[] = [];
  let thread = first;
  for (const input of s.inputs) {
    const r = await runTurn(thread, input, s.turnOptions ?? {}, { observe: false, ...deps });
    out.push(normalize(r, s.resumeId));
    if (r.isErr()) break;
    thread = r.value.thread;
  }
  return out;
};

const live = async (s: Scenario): Promise<Normalized[]> =>
  withStubEnv(s.script, async (env: StubEnv) => {
    const extra = s.config !== undefined ? { config: s.config } : {};
    const thread =
      s.resumeId === undefined
        ? env.thread(s.threadOptions, extra)
        : env.resume(s.resumeId, s.threadOptions, extra);
    return runAll(s, thread, {});
  });

const recordingsOf = (root: string, s: Scenario): Recording[] =>
  s.inputs.map((_, i) => {
    const file = (ext: string) => join(GOLDEN, root, s.name, `turn${i + 1}.${ext}`);
    return {
      stdout: readFileSync(file("jsonl"), "utf8"),
      exitCode: Number(readFileSync(file("exit"), "utf8").trim()),
      stderr: readFileSync(file("stderr"), "utf8"),
    };
  });

const replay = async (root: string, s: Scenario, deps: RunDeps = {}): Promise<Normalized[]> => {
  const thread = (
    s.resumeId === undefined
      ? startThread({}, s.threadOptions ?? {})
      : resumeThread(s.resumeId, {}, s.threadOptions ?? {})
  )._unsafeUnwrap();
  return runAll(s, thread, { transport: replayTransport(recordingsOf(root, s)), ...deps });
};

const liveOutcomes = new Map<string, Normalized[]>();
beforeAll(async () => {
  const results = await Promise.all(scenarios.map((s) => live(s)));
  scenarios.forEach((s, i) => liveOutcomes.set(s.name, results[i]!));
});

describe.each(ROOTS)("replaying %s", (root) => {
  it.each(scenarios.map((s) => [s.name, s] as const))(
    "%s: the same outcome as live",
    async (_name, s) => {
      const replayed = await replay(root, s);
      expect(replayed).toEqual(liveOutcomes.get(s.name));
      expect(replayed).toHaveLength(s.inputs.length);
      s.expectation(replayed);
    },
  );

  it("reports the replay transport in telemetry", async () => {
    const telemetry = recordingSink();
    await replay(root, scenarios[0]!, { sink: telemetry.sink });
    expect(telemetry.events.map((e) => e.name)).toEqual([
      "codex.turn.start",
      "codex.thread.start",
      "codex.turn.stop",
    ]);
    expect(telemetry.events.every((e) => !("transport" in e) || e.transport === "replay")).toBe(
      true,
    );
  });
});

describe("the live runs the replays are compared with", () => {
  it.each(scenarios.map((s) => [s.name, s] as const))("%s", (_name, s) => {
    const outcomes = liveOutcomes.get(s.name)!;
    expect(outcomes).toHaveLength(s.inputs.length);
    s.expectation(outcomes);
  });
});
