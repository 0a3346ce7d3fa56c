/**
 * `otelSink`: codex-fp's telemetry events as OpenTelemetry spans and metrics. Each event name
 * has one handler here; the open turns, the resume checks and the metrics have modules of
 * their own.
 */
import {
  context as otelContext,
  SpanKind,
  SpanStatusCode,
  type Attributes,
  type Tracer,
} from "@opentelemetry/api";
import type { TelemetryEvent, TelemetrySink } from "../core/telemetry.js";
import { callQuietly } from "../core/call-quietly.js";
import {
  CODEX_ATTRIBUTES as A,
  cut,
  INVOKE_AGENT,
  OTHER_ERROR,
  turnSpanName,
} from "./attributes.js";
import { turnMetrics } from "./metrics.js";
import { readOptions, type OtelSinkOptions } from "./options.js";
import { positionAttributes, resumeChecks } from "./resume-checks.js";
import { correlationOf, openTurns, type EventOf } from "./turns.js";

/**
 * A telemetry sink that records codex-fp's events on `options.tracer` (and `options.meter`)
 * following OpenTelemetry's GenAI semantic conventions.
 *
 * - `codex.turn.start` starts an `invoke_agent codex` span of kind CLIENT (in the active
 *   context, so it nests under your own span) with `gen_ai.operation.name`,
 *   `gen_ai.provider.name`, `gen_ai.agent.name`, `gen_ai.request.model` and
 *   `gen_ai.conversation.id` (the thread id, once known). `codex.turn.stop` ends it with the
 *   usage (`gen_ai.usage.*`), duration, exit code and outcome. `codex.turn.exception` sets
 *   status ERROR, `error.type` and records an `exception` event (type = the error's `_tag`,
 *   message cut to `MAX_MESSAGE_LENGTH`).
 * - With a meter, every stopped turn records `gen_ai.client.operation.duration` and, when it
 *   has usage, `gen_ai.client.token.usage` (input and output).
 * - `codex.thread.start`, `codex.thread.resume` and `codex.event.unknown` are span events.
 * - `codex.thread.resume.validated` becomes a span event on the turn it admits, or a short span
 *   of its own if no turn follows in the same tick (a `validateResume` call of your own).
 *   `codex.thread.resume.mismatch` always becomes a short span with status ERROR.
 *
 * Turns are told apart by the `correlationId` the runner stamps on every event of a turn, so
 * concurrent turns on one sink never mix. Events without one (hand-made ones) fall back to the
 * thread id; concurrent new-thread turns without ids cannot be told apart then: the first id
 * goes to the oldest, marked `codex.telemetry.ambiguous`.
 *
 * Only known fields are copied, never whole events: no secret reaches a span or a metric. The
 * sink never throws; whatever it, the tracer or the meter throws goes to `options.onError`.
 * Neither does `otelSink` itself: an option that is missing, of the wrong type or unreadable (a
 * throwing getter, a Proxy) takes its default; without a usable tracer, each turn's failure to
 * start a span goes to `onError` and nothing is recorded.
 */
export const otelSink = (options: OtelSinkOptions): TelemetrySink => {
  const settings = readOptions(options);
  const { tracer, common } = settings;
  const spanName = turnSpanName(settings.agentName);
  const turns = openTurns(settings.maxOpenTurns);
  const report = (error: unknown): void => {
    // onError must not break the caller either (nor reject, when it is async).
    if (settings.onError !== undefined) callQuietly(settings.onError, error);
  };
  const at = (timestamp: string | null): Date | undefined => {
    if (!settings.useEventTimestamps || timestamp === null) return undefined;
    const d = new Date(timestamp);
    return Number.isNaN(d.getTime()) ? undefined : d;
  };
  /** Starts a span; without a tracer it throws, which the sink's guard reports. */
  const startSpan: Tracer["startSpan"] = (name, spanOptions, parent) => {
    if (tracer === undefined) throw new TypeError("otelSink: options.tracer is missing"); // throws-ok: caught by the sink guard, reported to onError
    return tracer.startSpan(name, spanOptions, parent);
  };
  const checks = resumeChecks({ startSpan, at, common, report });
  // Created lazily, at the first stop: a meter that throws is reported like any other failure.
  let recordTurn: ReturnType<typeof turnMetrics> | null = null;

  const onTurnStart = (e: EventOf<"codex.turn.start">): void => {
    const time = at(e.timestamp);
    const model = typeof e.model === "string" && e.model !== "" ? e.model : null;
    const span = startSpan(
      spanName,
      {
        kind: SpanKind.CLIENT,
        // The conventions ask for these at creation time: samplers may decide on them.
        attributes: {
          ...common,
          [A.operationName]: INVOKE_AGENT,
          [A.providerName]: settings.providerName,
          [A.agentName]: settings.agentName,
          ...(model !== null ? { [A.requestModel]: model } : {}),
          ...(e.threadId !== null ? { [A.threadId]: e.threadId } : {}),
          [A.transport]: e.transport,
          [A.resumed]: e.resumed,
        },
        ...(time !== undefined ? { startTime: time } : {}),
      },
      otelContext.active(),
    );
    const cid = correlationOf(e);
    turns.add({
      span,
      correlationId: cid,
      model,
      threadId: e.threadId,
      failed: false,
      errorType: null,
    });
    checks.claim(span, cid, e.threadId);
  };

  const onTurnStop = (e: EventOf<"codex.turn.stop">): void => {
    const turn = turns.find(e);
    if (turn === undefined) return;
    turns.remove(turn);
    const { span } = turn;
    const errorType = e.outcome === "error" ? (turn.errorType ?? OTHER_ERROR) : null;
    const attrs: Attributes = {
      [A.transport]: e.transport,
      [A.durationMs]: e.durationMs,
      [A.outcome]: e.outcome,
    };
    if (e.threadId !== null) attrs[A.threadId] = e.threadId;
    if (e.exitCode !== null) attrs[A.exitCode] = e.exitCode;
    if (errorType !== null) attrs[A.errorType] = errorType;
    if (e.usage !== null) {
      attrs[A.inputTokens] = e.usage.input_tokens;
      attrs[A.outputTokens] = e.usage.output_tokens;
      attrs[A.cacheReadInputTokens] = e.usage.cached_input_tokens;
      attrs[A.cacheCreationInputTokens] = e.usage.cache_write_input_tokens;
      attrs[A.reasoningOutputTokens] = e.usage.reasoning_output_tokens;
    }
    span.setAttributes(attrs);
    // Success leaves the status UNSET, as OpenTelemetry asks of instrumentation libraries.
    if (errorType !== null && !turn.failed) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end(at(e.timestamp));
    recordTurn ??= turnMetrics(settings.meter);
    recordTurn({
      providerName: settings.providerName,
      model: turn.model,
      durationMs: e.durationMs,
      usage: e.usage,
      errorType,
    });
  };

  const onException = (e: EventOf<"codex.turn.exception">): void => {
    const turn = turns.find(e);
    if (turn === undefined) return;
    const message = cut(e.message);
    turn.failed = true;
    turn.errorType = e.errorTag;
    turn.span.setAttribute(A.errorType, e.errorTag);
    turn.span.recordException({ name: e.errorTag, message }, at(e.timestamp));
    turn.span.setStatus({ code: SpanStatusCode.ERROR, message: `${e.errorTag}: ${message}` });
  };

  const handle = (e: TelemetryEvent): void => {
    switch (e.name) {
      case "codex.turn.start":
        return onTurnStart(e);
      case "codex.turn.stop":
        return onTurnStop(e);
      case "codex.turn.exception":
        return onException(e);
      case "codex.thread.start":
      case "codex.thread.resume": {
        const turn = turns.find(e, e.name === "codex.thread.start");
        turn?.span.addEvent(
          e.name,
          e.threadId !== null ? { [A.threadId]: e.threadId } : {},
          at(e.timestamp),
        );
        return;
      }
      case "codex.event.unknown": {
        const turn = turns.find(e);
        turn?.span.addEvent(
          e.name,
          {
            [A.eventType]: e.eventType,
            ...(e.itemType !== null ? { [A.itemType]: e.itemType } : {}),
          },
          at(e.timestamp),
        );
        return;
      }
      case "codex.thread.resume.validated": {
        const cid = correlationOf(e);
        const turn = cid !== null ? turns.byCorrelation(cid) : undefined;
        if (turn !== undefined) turn.span.addEvent(e.name, positionAttributes(e), at(e.timestamp));
        else checks.defer(e, otelContext.active());
        return;
      }
      case "codex.thread.resume.mismatch":
        return checks.standalone(e, otelContext.active());
      default:
        // An event name this release does not know (lifecycle events included): nothing to record.
        return;
    }
  };

  return (event) => {
    try {
      handle(event);
    } catch (error) {
      report(error);
    }
  };
};
