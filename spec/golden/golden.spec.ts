import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { resumeThread, runTurn, startThread, validateResume, recordingSink, type ThreadEvent } from "../../lib/index.js";
import { decodeTranscript, metadataFromJson } from "../../lib/codecs/index.js";
import { replayTransport } from "../../lib/advanced/index.js";
import {
  GOLDEN,
  allScenarios,
  expectedPath,
  formatOutputs,
  legacyScenarios,
  replayScenario,
} from "../../scripts/golden-lib.js";

const LEGACY = join(GOLDEN, "legacy-parity-fixtures");
const fixture = (name: string) => readFileSync(join(LEGACY, name), "utf8");
const events = (jsonl: string): ThreadEvent[] => decodeTranscript(jsonl)._unsafeUnwrap();

describe("golden recordings", () => {
  const scenarios = allScenarios();

  it("covers every recording directory and fixture", () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(29);
  });

  it.each(scenarios.map((s) => [s.name, s] as const))(
    "replaying %s gives the expected outputs (npm run golden:update rewrites them)",
    async (_name, scenario) => {
      const actual = formatOutputs(await replayScenario(scenario));
      expect(actual).toBe(readFileSync(expectedPath(scenario), "utf8"));
    },
  );

  it("keeps no expected output without its recording", () => {
    const walk = (d: string): string[] =>
      readdirSync(d, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)],
      );
    const expected = walk(join(GOLDEN, "expected")).map((p) => relative(join(GOLDEN, "expected"), p));
    const known = new Set(scenarios.map((s) => `${s.name}.json`));
    expect(expected.filter((p) => !known.has(p))).toEqual([]);
  });
});

describe("legacy parity fixtures (characterization)", () => {
  const files = readdirSync(LEGACY).filter((f) => f.endsWith(".jsonl"));

  it.each(files)("%s decodes line by line", (f) => {
    expect(decodeTranscript(fixture(f)).isOk()).toBe(true);
  });

  it.each(files.filter((f) => fixture(f).includes('"metadata"')))(
    "%s: thread.started metadata matches metadataFromJson",
    async (f) => {
      const started = events(fixture(f)).find((e) => e.type === "thread.started");
      const raw = started !== undefined && "metadata" in started ? started.metadata : undefined;
      const meta = metadataFromJson(raw)._unsafeUnwrap();
      const outcome = await runTurn(startThread()._unsafeUnwrap(), "x", {}, {
        transport: replayTransport([{ stdout: fixture(f) }]),
        observe: false,
      });
      const thread = outcome.isOk() ? outcome.value.thread : null;
      if (thread !== null) expect(thread.metadata).toEqual(meta);
      expect(meta.origin).toBe("legacy");
      expect(meta.labels).toEqual((raw as { labels?: Record<string, string> }).labels ?? {});
    },
  );

  const pairs = legacyScenarios().filter((s) => s.turns.length > 1);

  it("finds the step pairs", () => {
    expect(pairs.map((p) => p.name.split("/")[1]).sort()).toEqual([
      "thread_auto_run",
      "thread_auto_run_response_id",
      "thread_file_search",
      "thread_tool_auto",
      "thread_tool_retry",
    ]);
  });

  it.each(pairs.map((p) => [p.name, p] as const))(
    "%s: step 2 resumes the step-1 thread with its continuation token",
    async (_n, pair) => {
      const [step1, ...rest] = pair.turns;
      const transport = replayTransport(pair.turns.map((t) => t.recording));
      const first = await runTurn(startThread()._unsafeUnwrap(), "go", {}, { transport, observe: false });
      const { thread } = first._unsafeUnwrap();
      const step1Events = events(step1!.recording.stdout);
      const token = step1Events.flatMap((e) => (e.type === "turn.continuation" ? [e.continuation_token] : [])).pop();
      expect(thread.continuationToken).toBe(token);
      let current = thread;
      const turnIds = [first._unsafeUnwrap().turn.turnId];
      for (const step of rest) {
        // Resume as another process would: from the id and the saved token only.
        const resumed = resumeThread(current.threadId!, {}, {}, { continuationToken: current.continuationToken })._unsafeUnwrap();
        const sink = recordingSink();
        expect(validateResume(resumed, { continuationToken: token! }, { sink: sink.sink }).isOk()).toBe(true);
        const next = (await runTurn(resumed, "go on", {}, { transport, observe: false }))._unsafeUnwrap();
        // Every event of the step names the same thread; its run (turn) id is a new one.
        for (const e of events(step.recording.stdout))
          if ("thread_id" in e && e.thread_id !== undefined) expect(e.thread_id).toBe(thread.threadId);
        expect(next.thread.threadId).toBe(thread.threadId);
        turnIds.push(next.turn.turnId);
        current = next.thread;
      }
      expect(new Set(turnIds).size).toBe(turnIds.length);
      expect(turnIds.every((id) => typeof id === "string")).toBe(true);
    },
  );

  it("a stale legacy token (not the server's latest) is refused", () => {
    const resumed = resumeThread("thread_auto_123", {}, {}, { continuationToken: "cont-auto-run" })._unsafeUnwrap();
    const r = validateResume(resumed, { continuationToken: "cont-newer" }, { sink: () => undefined });
    expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: "ContinuationMismatch", reason: "stale" });
  });

  const outcomeOf = async (f: string, structured = false) =>
    runTurn(startThread()._unsafeUnwrap(), "x", structured ? { outputSchema: { type: "object" } } : {}, {
      transport: replayTransport([{ stdout: fixture(f) }]),
      observe: false,
    });

  it("thread_structured_invalid: a non-JSON answer to a schema turn is InvalidStructuredOutput", async () => {
    expect((await outcomeOf("thread_structured_invalid.jsonl", true))._unsafeUnwrapErr()._tag).toBe(
      "InvalidStructuredOutput",
    );
    expect((await outcomeOf("thread_structured.jsonl", true))._unsafeUnwrap().turn.structuredOutput).toEqual({
      status: "ok",
      count: 2,
    });
  });

  it("thread_error_rate_limit: TurnFailed keeps the provider's code, status and retry_after", async () => {
    expect((await outcomeOf("thread_error_rate_limit.jsonl"))._unsafeUnwrapErr()).toMatchObject({
      _tag: "TurnFailed",
      message: "Azure OpenAI rate limit hit",
      error: { code: "rate_limit_exceeded", status: 429, retry_after: 15 },
    });
  });

  it("thread_error_sandbox_assessment: the failure stands although a turn.completed follows", async () => {
    expect((await outcomeOf("thread_error_sandbox_assessment.jsonl"))._unsafeUnwrapErr()).toMatchObject({
      _tag: "TurnFailed",
      error: { code: "sandbox_assessment_failed" },
    });
  });

  it("thread_error_retry_then_completed: a retry notice is recorded, not fatal", async () => {
    const { turn } = (await outcomeOf("thread_error_retry_then_completed.jsonl"))._unsafeUnwrap();
    expect(turn.notices).toEqual([expect.stringMatching(/^Reconnecting\.\.\. 1\/5/)]);
    expect(turn.finalResponse).toBe("Recovered after reconnect.");
  });

  it("thread_error_retry_without_completion: a stream that stops after retries is a ProtocolViolation", async () => {
    expect((await outcomeOf("thread_error_retry_without_completion.jsonl"))._unsafeUnwrapErr()).toMatchObject({
      _tag: "ProtocolViolation",
      violation: "incomplete",
      message: expect.stringContaining("Reconnecting... 5/5"),
    });
  });

  it("thread_failed_turn_completed: turn.completed with status failed is TurnFailed", async () => {
    expect((await outcomeOf("thread_failed_turn_completed.jsonl"))._unsafeUnwrapErr()).toMatchObject({
      _tag: "TurnFailed",
      message: "turn failed",
    });
  });
});
