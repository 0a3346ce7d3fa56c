/**
 * codex-fp/otel: the telemetry of real turns (the CLI's recordings in golden/, replayed through
 * runTurn) and of synthetic sequences becomes OpenTelemetry spans and metrics named by the GenAI
 * semantic conventions, checked with the SDK's in-memory span and metric exporters.
 */
import { join } from "node:path";
import {
  context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type ContextManager,
  type Meter,
  type Tracer,
} from "@opentelemetry/api";
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type HistogramMetricData,
} from "@opentelemetry/sdk-metrics";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SamplingDecision,
  SimpleSpanProcessor,
  type ReadableSpan,
} from "@opentelemetry/sdk-trace-base";

import {
  mintContinuationToken,
  recordingSink,
  resumeThread,
  runTurn,
  startThread,
  validateResume,
  type RunDeps,
  type TelemetryEvent,
  type TelemetrySink,
  type Thread,
} from "../../lib/index.js";
import { replayTransport, type Recording } from "../../lib/advanced/index.js";
import {
  CODEX_ATTRIBUTES as A,
  DURATION_BUCKETS,
  GEN_AI_METRICS,
  MAX_MESSAGE_LENGTH,
  TOKEN_BUCKETS,
  otelSink,
  turnSpanName,
  type OtelSinkOptions,
} from "../../lib/otel/index.js";
import { cliScenarios, GOLDEN } from "../../scripts/golden-lib.js";

const CLI = cliScenarios(join(GOLDEN, "codex-cli-0.169.0"));
const recording = (name: string, turn = 0): Recording => {
  const r = CLI.find((s) => s.name.endsWith(`/${name}`))?.turns[turn]?.recording;
  if (r === undefined) throw new Error(`no recording ${name} turn ${turn + 1}`);
  return r;
};
const threadIdOf = (r: Recording): string =>
  (JSON.parse(r.stdout.split("\n")[0] ?? "{}") as { thread_id: string }).thread_id;

const BASIC_ID = "01a20fb5-32b6-73c3-8683-50ee63f5dba7";
const SECRET = "sign-me";
const API_KEY = "sk-otel-test-key-0123456789";

const TURN_SPAN_NAME = turnSpanName();

let exporter: InMemorySpanExporter;
let provider: BasicTracerProvider;
let tracer: Tracer;
let metricExporter: InMemoryMetricExporter;
let meterProvider: MeterProvider;
let meter: Meter;

beforeEach(() => {
  exporter = new InMemorySpanExporter();
  provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  tracer = provider.getTracer("codex-fp-spec");
  metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  meterProvider = new MeterProvider({
    readers: [
      new PeriodicExportingMetricReader({
        exporter: metricExporter,
        // Never on its own during a test: the spec collects with forceFlush.
        exportIntervalMillis: 3_600_000,
      }),
    ],
  });
  meter = meterProvider.getMeter("codex-fp-spec");
});
afterEach(async () => {
  await provider.shutdown();
  await meterProvider.shutdown();
});

/** The histograms recorded so far, by name (collected through the in-memory exporter). */
const histograms = async (): Promise<Map<string, HistogramMetricData>> => {
  await meterProvider.forceFlush();
  const out = new Map<string, HistogramMetricData>();
  for (const rm of metricExporter.getMetrics())
    for (const sm of rm.scopeMetrics)
      for (const m of sm.metrics)
        if (m.dataPointType === DataPointType.HISTOGRAM) out.set(m.descriptor.name, m);
  return out;
};

const spans = (): ReadableSpan[] => exporter.getFinishedSpans();
const turnSpans = (): ReadableSpan[] => spans().filter((s) => s.name === TURN_SPAN_NAME);
const only = <T>(xs: readonly T[]): T => {
  expect(xs).toHaveLength(1);
  return xs[0] as T;
};
const eventNames = (s: ReadableSpan): string[] => s.events.map((e) => e.name);
const ms = (s: ReadableSpan, which: "startTime" | "endTime"): number =>
  s[which][0] * 1000 + Math.round(s[which][1] / 1e6);
/** Both sinks get every event: the span sink, and a recording for checking the order. */
const both =
  (...sinks: TelemetrySink[]): TelemetrySink =>
  (e) => {
    for (const s of sinks) s(e);
  };
const sinkOf = (opts: Partial<OtelSinkOptions> = {}) => otelSink({ tracer, ...opts });
const replay = (r: Recording, sink: TelemetrySink, extra: Partial<RunDeps> = {}): RunDeps => ({
  transport: replayTransport([r]),
  sink,
  observe: false,
  ...extra,
});
const newThread = (): Thread => startThread()._unsafeUnwrap();
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("otelSink over replayed turns", () => {
  it("records a new thread's turn as one span: id, transport, usage, exit code, outcome", async () => {
    const clock = [
      "2030-01-01T00:00:00.000Z",
      "2030-01-01T00:00:00.250Z",
      "2030-01-01T00:00:01.500Z",
    ];
    let i = 0;
    const now = () => new Date(clock[Math.min(i++, clock.length - 1)] ?? 0);
    const r = await runTurn(
      newThread(),
      "Say hello",
      {},
      replay(recording("basic"), sinkOf(), { now }),
    );
    expect(r.isOk()).toBe(true);

    const span = only(spans());
    expect(span.name).toBe(TURN_SPAN_NAME);
    expect(span.ended).toBe(true);
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes).toMatchObject({
      [A.threadId]: BASIC_ID,
      [A.transport]: "replay",
      [A.resumed]: false,
      [A.outcome]: "ok",
      [A.exitCode]: 0,
      [A.inputTokens]: 24,
      [A.outputTokens]: 5,
      [A.cacheReadInputTokens]: 6,
      [A.cacheCreationInputTokens]: 0,
      [A.reasoningOutputTokens]: 1,
    });
    expect(typeof span.attributes[A.durationMs]).toBe("number");
    expect(eventNames(span)).toEqual(["codex.thread.start"]);
    expect(span.events[0]?.attributes).toEqual({ [A.threadId]: BASIC_ID });
    // The injected clock, not the tracer's: start, the thread's start, the stop.
    expect(ms(span, "startTime")).toBe(Date.parse(clock[0] ?? ""));
    expect(ms(span, "endTime")).toBe(Date.parse(clock[2] ?? ""));
  });

  it("marks a failed turn: status ERROR, error.type, an exception event, outcome error", async () => {
    const r = await runTurn(newThread(), "hi", {}, replay(recording("fail500"), sinkOf()));
    expect(r.isErr()).toBe(true);
    const tag = r._unsafeUnwrapErr()._tag;

    const span = only(spans());
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.status.message).toContain(tag);
    expect(span.attributes).toMatchObject({
      [A.threadId]: threadIdOf(recording("fail500")),
      [A.outcome]: "error",
      [A.errorType]: tag,
    });
    expect(eventNames(span)).toEqual(["codex.thread.start", "exception"]);
    expect(span.events[1]?.attributes).toMatchObject({ "exception.type": tag });
    expect(String(span.events[1]?.attributes?.["exception.message"])).toContain("high demand");
  });

  it("gives every recorded turn exactly one ended span whose status follows its outcome", async () => {
    expect(CLI.length).toBeGreaterThanOrEqual(5);
    for (const scenario of CLI) {
      exporter.reset();
      const rec = scenario.turns[0]?.recording;
      if (rec === undefined) continue;
      const r = await runTurn(newThread(), "replayed", {}, replay(rec, sinkOf()));
      const span = only(spans());
      expect([scenario.name, span.ended]).toEqual([scenario.name, true]);
      expect([scenario.name, span.attributes[A.outcome]]).toEqual([
        scenario.name,
        r.isOk() ? "ok" : "error",
      ]);
      expect([scenario.name, span.status.code]).toEqual([
        scenario.name,
        r.isOk() ? SpanStatusCode.UNSET : SpanStatusCode.ERROR,
      ]);
      if (r.isOk()) expect(span.attributes[A.threadId]).toBe(r.value.thread.threadId ?? "missing");
    }
  });

  it("a turn whose CLI never named a thread still ends its span, without a thread id", async () => {
    const r = await runTurn(newThread(), "x", {}, replay(recording("resume-unknown-id"), sinkOf()));
    expect(r.isErr()).toBe(true);
    const span = only(spans());
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes[A.threadId]).toBeUndefined();
    expect(span.attributes[A.exitCode]).toBe(1);
  });

  it("keeps concurrent turns on two threads apart", async () => {
    const a = recording("basic");
    const b = recording("shell");
    const events = recordingSink();
    const sink = both(sinkOf(), events.sink);
    const [ra, rb] = await Promise.all([
      runTurn(resumeThread(threadIdOf(a))._unsafeUnwrap(), "a", {}, replay(a, sink)),
      runTurn(resumeThread(threadIdOf(b))._unsafeUnwrap(), "b", {}, replay(b, sink)),
    ]);
    expect(ra.isOk() && rb.isOk()).toBe(true);
    // The two turns really overlapped: both started before either stopped.
    const names = events.events.map((e) => e.name);
    expect(names.slice(0, 2)).toEqual(["codex.turn.start", "codex.turn.start"]);

    const byThread = new Map(turnSpans().map((s) => [s.attributes[A.threadId], s]));
    expect(byThread.size).toBe(2);
    expect(byThread.get(threadIdOf(a))?.attributes).toMatchObject({
      [A.resumed]: true,
      [A.inputTokens]: 24,
      [A.outputTokens]: 5,
    });
    expect(byThread.get(threadIdOf(b))?.attributes).toMatchObject({
      [A.resumed]: true,
      [A.inputTokens]: 76,
      [A.outputTokens]: 17,
    });
    for (const s of byThread.values()) {
      expect(eventNames(s)).toEqual(["codex.thread.resume"]);
      expect(s.attributes[A.ambiguous]).toBeUndefined();
    }
  });

  it("keeps concurrent new threads exact with a sink per turn", async () => {
    const a = recording("basic");
    const b = recording("structured");
    await Promise.all([
      runTurn(newThread(), "a", {}, replay(a, sinkOf())),
      runTurn(newThread(), "b", {}, replay(b, sinkOf())),
    ]);
    const ids = turnSpans().map((s) => s.attributes[A.threadId]);
    expect(ids.sort()).toEqual([threadIdOf(a), threadIdOf(b)].sort());
    const usage = new Map(
      turnSpans().map((s) => [s.attributes[A.threadId], s.attributes[A.inputTokens]]),
    );
    expect(usage.get(threadIdOf(a))).toBe(24);
    expect(usage.get(threadIdOf(b))).toBe(30);
    for (const s of turnSpans()) expect(s.attributes[A.ambiguous]).toBeUndefined();
  });

  it("keeps concurrent new threads exact on one shared sink (the runner's correlation ids)", async () => {
    const sink = sinkOf();
    const a = recording("basic");
    const b = recording("structured");
    await Promise.all([
      runTurn(newThread(), "a", {}, replay(a, sink)),
      runTurn(newThread(), "b", {}, replay(b, sink)),
    ]);
    const ts = turnSpans();
    expect(ts).toHaveLength(2);
    const usage = new Map(ts.map((s) => [s.attributes[A.threadId], s.attributes[A.inputTokens]]));
    expect(usage.get(threadIdOf(a))).toBe(24);
    expect(usage.get(threadIdOf(b))).toBe(30);
    for (const s of ts) {
      expect(s.ended).toBe(true);
      expect(s.attributes[A.ambiguous]).toBeUndefined();
    }
  });
});

describe("otelSink and the GenAI semantic conventions", () => {
  const MODEL = "gpt-5.1-codex";
  const withModel = (): Thread => startThread({}, { model: MODEL })._unsafeUnwrap();

  it("names a turn as the conventions ask: invoke_agent, kind CLIENT, operation, provider, agent, model, conversation", async () => {
    const r = await runTurn(withModel(), "hi", {}, replay(recording("basic"), sinkOf({ meter })));
    expect(r.isOk()).toBe(true);
    const span = only(spans());
    expect(span.name).toBe("invoke_agent codex");
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.attributes).toMatchObject({
      "gen_ai.operation.name": "invoke_agent",
      "gen_ai.provider.name": "openai",
      "gen_ai.agent.name": "codex",
      "gen_ai.request.model": MODEL,
      "gen_ai.conversation.id": BASIC_ID,
      "gen_ai.usage.input_tokens": 24,
      "gen_ai.usage.output_tokens": 5,
      "gen_ai.usage.cache_read.input_tokens": 6,
      "gen_ai.usage.cache_creation.input_tokens": 0,
    });
    expect(span.attributes["error.type"]).toBeUndefined();
  });

  it("gives samplers the operation, provider and model when the span starts", async () => {
    const seen: Attributes[] = [];
    const sampling = new BasicTracerProvider({
      sampler: {
        shouldSample: (_ctx, _trace, _name, _kind, attributes) => {
          seen.push({ ...attributes });
          return { decision: SamplingDecision.RECORD_AND_SAMPLED };
        },
      },
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const sink = otelSink({ tracer: sampling.getTracer("sampled") });
    await runTurn(withModel(), "hi", {}, replay(recording("basic"), sink));
    await sampling.shutdown();
    expect(only(seen)).toMatchObject({
      "gen_ai.operation.name": "invoke_agent",
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": MODEL,
    });
  });

  it("leaves gen_ai.request.model out when the thread sets no model (the CLI's default)", async () => {
    await runTurn(newThread(), "hi", {}, replay(recording("basic"), sinkOf({ meter })));
    expect(only(spans()).attributes).not.toHaveProperty(["gen_ai.request.model"]);
    const duration = (await histograms()).get(GEN_AI_METRICS.operationDuration.name);
    expect(only(duration?.dataPoints ?? []).attributes).not.toHaveProperty([
      "gen_ai.request.model",
    ]);
  });

  it("records gen_ai.client.token.usage and gen_ai.client.operation.duration with their units, attributes and buckets", async () => {
    await runTurn(withModel(), "hi", {}, replay(recording("basic"), sinkOf({ meter })));
    const span = only(spans());
    const byName = await histograms();
    expect([...byName.keys()].sort()).toEqual([
      "gen_ai.client.operation.duration",
      "gen_ai.client.token.usage",
    ]);

    const tokens = byName.get("gen_ai.client.token.usage")!;
    expect(tokens.descriptor.unit).toBe("{token}");
    const common = {
      "gen_ai.operation.name": "invoke_agent",
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": MODEL,
    };
    const byType = new Map(tokens.dataPoints.map((p) => [p.attributes["gen_ai.token.type"], p]));
    expect([...byType.keys()].sort()).toEqual(["input", "output"]);
    expect(byType.get("input")?.attributes).toEqual({ ...common, "gen_ai.token.type": "input" });
    expect(byType.get("input")?.value).toMatchObject({ count: 1, sum: 24 });
    expect(byType.get("output")?.value).toMatchObject({ count: 1, sum: 5 });
    expect(byType.get("input")?.value.buckets.boundaries).toEqual([
      1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
    ]);
    expect(TOKEN_BUCKETS).toEqual(byType.get("input")?.value.buckets.boundaries);

    const duration = byName.get("gen_ai.client.operation.duration")!;
    expect(duration.descriptor.unit).toBe("s");
    const point = only(duration.dataPoints);
    expect(point.attributes).toEqual(common);
    expect(point.value.count).toBe(1);
    expect(point.value.sum).toBeCloseTo(Number(span.attributes[A.durationMs]) / 1000, 6);
    expect(point.value.buckets.boundaries).toEqual([
      0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
    ]);
    expect(DURATION_BUCKETS).toEqual(point.value.buckets.boundaries);
  });

  it("puts the failed turn's error.type on its duration, and counts tokens only when the CLI reported usage", async () => {
    const r = await runTurn(withModel(), "hi", {}, replay(recording("fail500"), sinkOf({ meter })));
    const tag = r._unsafeUnwrapErr()._tag;
    const span = only(spans());
    const byName = await histograms();
    const point = only(byName.get(GEN_AI_METRICS.operationDuration.name)?.dataPoints ?? []);
    expect(point.attributes["error.type"]).toBe(tag);
    const tokenPoints = byName.get(GEN_AI_METRICS.tokenUsage.name)?.dataPoints ?? [];
    expect(tokenPoints.length).toBe(span.attributes[A.inputTokens] === undefined ? 0 : 2);
  });

  it("sums many turns into one histogram per attribute set", async () => {
    const sink = sinkOf({ meter });
    for (let i = 0; i < 3; i++)
      await runTurn(withModel(), "hi", {}, replay(recording("basic"), sink));
    const tokens = (await histograms()).get(GEN_AI_METRICS.tokenUsage.name)!;
    const input = tokens.dataPoints.find((p) => p.attributes["gen_ai.token.type"] === "input");
    expect(input?.value).toMatchObject({ count: 3, sum: 72 });
  });
});

describe("otelSink's GenAI names over synthetic sequences", () => {
  const T0 = "2030-01-01T00:00:00.000Z";
  const start = (threadId: string, extra: object = {}): TelemetryEvent => ({
    name: "codex.turn.start",
    timestamp: T0,
    threadId,
    transport: "exec",
    resumed: true,
    model: "gpt-5",
    ...extra,
  });
  const stop = (threadId: string, extra: object = {}): TelemetryEvent => ({
    name: "codex.turn.stop",
    timestamp: T0,
    threadId,
    transport: "exec",
    durationMs: 2500,
    outcome: "ok",
    usage: null,
    exitCode: 0,
    ...extra,
  });

  it("marks a turn that failed without an exception error.type _OTHER, on the span and the metric", async () => {
    const sink = sinkOf({ meter });
    sink(start("t-1"));
    sink(stop("t-1", { outcome: "error", exitCode: 2 }));
    expect(only(spans()).attributes["error.type"]).toBe("_OTHER");
    const byName = await histograms();
    const point = only(byName.get(GEN_AI_METRICS.operationDuration.name)?.dataPoints ?? []);
    expect(point.attributes["error.type"]).toBe("_OTHER");
    expect(point.value.sum).toBe(2.5);
    expect(byName.get(GEN_AI_METRICS.tokenUsage.name)?.dataPoints ?? []).toHaveLength(0);
  });

  it("takes the agent and provider names from its options", async () => {
    const sink = sinkOf({ meter, agentName: "reviewer", providerName: "azure.ai.openai" });
    sink(start("t-1"));
    sink(stop("t-1"));
    const span = only(spans());
    expect(span.name).toBe("invoke_agent reviewer");
    expect(span.attributes).toMatchObject({
      "gen_ai.agent.name": "reviewer",
      "gen_ai.provider.name": "azure.ai.openai",
    });
    const point = only(
      (await histograms()).get(GEN_AI_METRICS.operationDuration.name)?.dataPoints ?? [],
    );
    expect(point.attributes["gen_ai.provider.name"]).toBe("azure.ai.openai");
  });

  it("records no metrics without a meter, and reports a meter that throws without losing the span", () => {
    const none = sinkOf();
    none(start("t-0"));
    expect(() => none(stop("t-0"))).not.toThrow();
    const errors: unknown[] = [];
    const boom = () => {
      throw new Error("meter down");
    };
    const broken = { createHistogram: boom } as unknown as Meter;
    const sink = sinkOf({ meter: broken, onError: (e) => errors.push(e) });
    sink(start("t-1"));
    expect(() => sink(stop("t-1"))).not.toThrow();
    expect(errors).toHaveLength(1);
    expect(spans().map((s) => s.ended)).toEqual([true, true]);
  });
});

describe("otelSink and resume checks", () => {
  const resumeId = "01a20fb5-345b-7f51-b6d3-8f2a9ee94142";
  const tokenFor = (completedTurns: number) =>
    mintContinuationToken(
      { threadId: resumeId, lastTurnId: null, completedTurns },
      SECRET,
    )._unsafeUnwrap();
  const resumed = (completedTurns: number) =>
    resumeThread(resumeId, {}, {}, { continuationToken: tokenFor(completedTurns) })._unsafeUnwrap();
  const observeAt =
    (completedTurns: number): RunDeps["observe"] =>
    async () => ({
      observed: { completedTurns, lastTurnId: null },
    });

  it("puts an accepted check on the span of the turn it admitted", async () => {
    const rec = recording("resume", 1);
    expect(threadIdOf(rec)).toBe(resumeId);
    const r = await runTurn(
      resumed(1),
      "again",
      {},
      {
        ...replay(rec, sinkOf()),
        observe: observeAt(1),
        secret: SECRET,
      },
    );
    expect(r.isOk()).toBe(true);
    await tick();
    const span = only(spans());
    expect(span.name).toBe(TURN_SPAN_NAME);
    expect(eventNames(span)).toEqual(["codex.thread.resume.validated", "codex.thread.resume"]);
    expect(span.events[0]?.attributes).toMatchObject({
      [A.threadId]: resumeId,
      [A.tokenKind]: "signed",
      [A.expectedCompletedTurns]: 1,
      [A.observedCompletedTurns]: 1,
    });
  });

  it("records a refused resume as a short ERROR span, and no turn", async () => {
    const r = await runTurn(
      resumed(1),
      "again",
      {},
      {
        ...replay(recording("resume", 1), sinkOf()),
        observe: observeAt(2),
        secret: SECRET,
      },
    );
    expect(r.isErr() && r.error._tag).toBe("ContinuationMismatch");
    const span = only(spans());
    expect(span.name).toBe("codex.thread.resume.mismatch");
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes).toMatchObject({
      [A.threadId]: resumeId,
      [A.reason]: "stale",
      [A.expectedCompletedTurns]: 1,
      [A.observedCompletedTurns]: 2,
    });
  });

  it("gives a check that admits no turn (validateResume alone) a span of its own", async () => {
    const v = validateResume(resumed(3), { completedTurns: 3 }, { sink: sinkOf(), secret: SECRET });
    expect(v.isOk()).toBe(true);
    expect(spans()).toHaveLength(0); // it waits out the tick for its turn
    await tick();
    const span = only(spans());
    expect(span.name).toBe("codex.thread.resume.validated");
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes).toMatchObject({ [A.threadId]: resumeId, [A.tokenKind]: "signed" });
  });
});

describe("otelSink over synthetic sequences", () => {
  const T0 = "2030-01-01T00:00:00.000Z";
  const start = (threadId: string | null, extra: object = {}): TelemetryEvent => ({
    name: "codex.turn.start",
    timestamp: T0,
    threadId,
    transport: "exec",
    resumed: threadId !== null,
    model: null,
    ...extra,
  });
  const stop = (
    threadId: string | null,
    inputTokens: number,
    extra: object = {},
  ): TelemetryEvent => ({
    name: "codex.turn.stop",
    timestamp: T0,
    threadId,
    transport: "exec",
    durationMs: 5,
    outcome: "ok",
    usage: {
      input_tokens: inputTokens,
      cached_input_tokens: 0,
      cache_write_input_tokens: 0,
      output_tokens: 1,
      reasoning_output_tokens: 0,
    },
    exitCode: 0,
    ...extra,
  });
  const threadStart = (threadId: string, extra: object = {}): TelemetryEvent => ({
    name: "codex.thread.start",
    timestamp: T0,
    threadId,
    ...extra,
  });

  it("interleaved turns on two threads end on their own spans, whatever the order", () => {
    const sink = sinkOf();
    sink(start("t-a"));
    sink(start("t-b"));
    sink({
      name: "codex.event.unknown",
      timestamp: T0,
      threadId: "t-b",
      eventType: "item.completed",
      itemType: "hologram",
    });
    sink(stop("t-b", 2));
    sink(stop("t-a", 1));
    const byThread = new Map(turnSpans().map((s) => [s.attributes[A.threadId], s]));
    expect(byThread.get("t-a")?.attributes[A.inputTokens]).toBe(1);
    expect(byThread.get("t-b")?.attributes[A.inputTokens]).toBe(2);
    expect(byThread.get("t-a")?.events).toHaveLength(0);
    expect(byThread.get("t-b")?.events[0]).toMatchObject({
      name: "codex.event.unknown",
      attributes: { [A.eventType]: "item.completed", [A.itemType]: "hologram" },
    });
  });

  it("matches by correlationId when events carry one: exact even for new threads", () => {
    const sink = sinkOf();
    sink(start(null, { correlationId: "c1" }));
    sink(start(null, { correlationId: "c2" }));
    // The second turn's CLI names its thread first.
    sink(threadStart("t-2", { correlationId: "c2" }));
    sink(threadStart("t-1", { correlationId: "c1" }));
    sink(stop("t-1", 1, { correlationId: "c1" }));
    sink(stop("t-2", 2, { correlationId: "c2" }));
    const byThread = new Map(turnSpans().map((s) => [s.attributes[A.threadId], s]));
    expect(byThread.get("t-1")?.attributes[A.inputTokens]).toBe(1);
    expect(byThread.get("t-2")?.attributes[A.inputTokens]).toBe(2);
    for (const s of byThread.values()) expect(s.attributes[A.ambiguous]).toBeUndefined();
  });

  it("cuts long error messages and copies no field it does not know", () => {
    const sink = sinkOf();
    sink(start("t-x"));
    sink({
      name: "codex.turn.exception",
      timestamp: T0,
      threadId: "t-x",
      transport: "exec",
      errorTag: "ExecFailed",
      message: "m".repeat(5000),
      apiKey: API_KEY,
    } as TelemetryEvent);
    sink(stop("t-x", 1, { outcome: "error", env: { OPENAI_API_KEY: API_KEY } }));
    const span = only(spans());
    const message = String(span.events[0]?.attributes?.["exception.message"]);
    expect(message.length).toBe(MAX_MESSAGE_LENGTH);
    expect(JSON.stringify([span.attributes, span.events, span.status])).not.toContain(API_KEY);
  });

  it("ends the oldest open span past maxOpenTurns, marked abandoned", () => {
    const sink = sinkOf({ maxOpenTurns: 2 });
    sink(start("t-1"));
    sink(start("t-2"));
    sink(start("t-3"));
    const span = only(spans());
    expect(span.attributes).toMatchObject({ [A.threadId]: "t-1", [A.abandoned]: true });
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
  });

  it("nests turn spans under the span active when the turn starts", () => {
    // A synchronous context manager, enough to make `context.with` work without async hooks.
    let current: Context = ROOT_CONTEXT;
    const manager: ContextManager = {
      active: () => current,
      with: (ctx, fn, thisArg, ...args) => {
        const before = current;
        current = ctx;
        try {
          return fn.call(thisArg, ...args);
        } finally {
          current = before;
        }
      },
      bind: (_ctx, target) => target,
      enable: () => manager,
      disable: () => manager,
    };
    context.setGlobalContextManager(manager);
    try {
      const sink = sinkOf();
      const parent = tracer.startSpan("request");
      context.with(trace.setSpan(ROOT_CONTEXT, parent), () => sink(start("t-1")));
      sink(stop("t-1", 1, { outcome: "error" }));
      parent.end();
      const turn = only(turnSpans());
      expect(turn.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
      expect(turn.spanContext().traceId).toBe(parent.spanContext().traceId);
      // A failure reported only by the stop is still an ERROR.
      expect(turn.status.code).toBe(SpanStatusCode.ERROR);
    } finally {
      context.disable();
    }
  });

  it("adds the static attributes to every span", () => {
    const sink = sinkOf({ attributes: { "service.component": "agent" } });
    sink(start("t-1"));
    sink(stop("t-1", 1));
    expect(only(spans()).attributes["service.component"]).toBe("agent");
  });

  it("ignores events for turns it never saw, and names it does not know", () => {
    const sink = sinkOf();
    sink(stop("nobody", 1));
    sink(threadStart("nobody"));
    sink({
      name: "codex.future.event",
      timestamp: T0,
      threadId: null,
    } as unknown as TelemetryEvent);
    expect(spans()).toHaveLength(0);
  });

  it("never throws: a throwing tracer, a throwing onError, garbage events", () => {
    const errors: unknown[] = [];
    const boom = () => {
      throw new Error("tracer down");
    };
    const broken: Tracer = { startSpan: boom, startActiveSpan: boom };
    const sink = otelSink({ tracer: broken, onError: (e) => errors.push(e) });
    expect(() => sink(start("t-1"))).not.toThrow();
    expect(() => sink(null as unknown as TelemetryEvent)).not.toThrow();
    expect(errors).toHaveLength(2);
    const worse = otelSink({ tracer: broken, onError: boom });
    expect(() => worse(start("t-1"))).not.toThrow();
    const none = otelSink(undefined as unknown as OtelSinkOptions);
    expect(() => none(start("t-1"))).not.toThrow();
  });

  it("no secret of the thread reaches a span", async () => {
    const thread = startThread(
      { apiKey: API_KEY, env: { OPENAI_API_KEY: API_KEY, PATH: "/usr/bin" } },
      {},
    )._unsafeUnwrap();
    await runTurn(thread, "hello", {}, replay(recording("basic"), sinkOf()));
    await runTurn(thread, "hello", {}, replay(recording("fail500"), sinkOf()));
    expect(spans()).toHaveLength(2);
    expect(JSON.stringify(spans().map((s) => [s.attributes, s.events, s.status]))).not.toContain(
      API_KEY,
    );
  });
});
