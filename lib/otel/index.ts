/**
 * codex-fp/otel: a telemetry sink that turns codex-fp's telemetry events into OpenTelemetry
 * spans. One span per turn (`codex.turn`), from `codex.turn.start` to `codex.turn.stop`;
 * thread start/resume and unknown events become span events on it; a failed turn gets status
 * ERROR and an `exception` event. Resume checks become events on the turn they admit, or short
 * spans of their own.
 *
 * `@opentelemetry/api` is an optional peer dependency: install it (and an SDK) to use this
 * entry point; nothing else in codex-fp loads it.
 *
 * @module codex-fp/otel
 */
import {
  context as otelContext,
  SpanKind,
  SpanStatusCode,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from "@opentelemetry/api";
import type { TelemetryEvent, TelemetrySink } from "../core/telemetry.js";

/** The attribute names the sink writes, by role. Values are stable across releases. */
export const CODEX_ATTRIBUTES = {
  /** The thread id, once known (a new thread learns it at `codex.thread.start`). */
  threadId: "codex.thread.id",
  /** The transport kind (`exec`, `replay`, …). */
  transport: "codex.transport",
  /** Whether the turn resumed an existing thread. */
  resumed: "codex.turn.resumed",
  /** The turn's duration in milliseconds, as measured by the runner. */
  durationMs: "codex.turn.duration_ms",
  /** `ok` or `error`. */
  outcome: "codex.turn.outcome",
  /** The CLI's exit code, when it exited. */
  exitCode: "codex.turn.exit_code",
  /** The `_tag` of the turn's error (OpenTelemetry's `error.type`). */
  errorType: "error.type",
  /** Input tokens of the turn (OpenTelemetry GenAI convention). */
  inputTokens: "gen_ai.usage.input_tokens",
  /** Output tokens of the turn (OpenTelemetry GenAI convention). */
  outputTokens: "gen_ai.usage.output_tokens",
  /** Input tokens served from the cache. */
  cachedInputTokens: "codex.usage.cached_input_tokens",
  /** Input tokens written to the cache. */
  cacheWriteInputTokens: "codex.usage.cache_write_input_tokens",
  /** Output tokens spent on reasoning. */
  reasoningOutputTokens: "codex.usage.reasoning_output_tokens",
  /** The type of an event this release does not know. */
  eventType: "codex.event.type",
  /** The type of an item this release does not know. */
  itemType: "codex.item.type",
  /** The kind of continuation token a resume check accepted. */
  tokenKind: "codex.resume.token_kind",
  /** Why a resume check refused the token. */
  reason: "codex.resume.reason",
  /** The position the token claims: turns completed. */
  expectedCompletedTurns: "codex.resume.expected.completed_turns",
  /** The position the token claims: the last turn's id. */
  expectedLastTurnId: "codex.resume.expected.last_turn_id",
  /** The position the session store shows: turns completed. */
  observedCompletedTurns: "codex.resume.observed.completed_turns",
  /** The position the session store shows: the last turn's id. */
  observedLastTurnId: "codex.resume.observed.last_turn_id",
  /**
   * True when events could not be tied to this span with certainty: several new-thread turns
   * were open on one sink and the first `codex.thread.start` went to the oldest of them.
   */
  ambiguous: "codex.telemetry.ambiguous",
  /** True when the span was ended without a `codex.turn.stop` (see `maxOpenTurns`). */
  abandoned: "codex.turn.abandoned",
} as const;

/** The name of a turn span. */
export const TURN_SPAN_NAME = "codex.turn";

/** The longest error message recorded on a span, in characters; longer ones are cut. */
export const MAX_MESSAGE_LENGTH = 1024;

/** How {@link otelSink} reports. */
export interface OtelSinkOptions {
  /** Where spans go: `trace.getTracer("codex-fp")` or a tracer of your provider. */
  readonly tracer: Tracer;
  /** Attributes added to every span the sink starts (they must not carry secrets). */
  readonly attributes?: Attributes;
  /**
   * Use the events' own timestamps as span start, end and event times (default true), so an
   * injected clock (`RunDeps.now`) shows in the trace. Events without one use the tracer's clock.
   */
  readonly useEventTimestamps?: boolean;
  /**
   * At most this many turn spans are kept open (default 1000). Past it, the oldest is ended
   * with status ERROR and `codex.turn.abandoned`: a sink never grows without bound.
   */
  readonly maxOpenTurns?: number;
  /** Told of anything the sink or the tracer threw; it is never rethrown (default: ignored). */
  readonly onError?: (error: unknown) => void;
}

/** A turn span being recorded. */
interface OpenTurn {
  readonly span: Span;
  readonly correlationId: string | null;
  threadId: string | null;
  /** Set by `codex.turn.exception`: the status (with its message) is already ERROR. */
  failed: boolean;
}

type Of<N extends TelemetryEvent["name"]> = Extract<TelemetryEvent, { name: N }>;
type ResumeCheck = Of<"codex.thread.resume.validated"> | Of<"codex.thread.resume.mismatch">;

/** A resume check waiting (until the end of the current tick) for the turn it admits. */
interface PendingCheck {
  readonly event: ResumeCheck;
  readonly parent: Context;
  claimed: boolean;
}

/** The correlation id of an event: `runTurn` / `runStreamed` stamp one per turn on its events. */
const correlationOf = (e: TelemetryEvent): string | null =>
  "correlationId" in e && typeof e.correlationId === "string" ? e.correlationId : null;

const cut = (s: string): string =>
  s.length <= MAX_MESSAGE_LENGTH ? s : `${s.slice(0, MAX_MESSAGE_LENGTH - 1)}…`;

const positionAttributes = (e: ResumeCheck): Attributes => {
  const A = CODEX_ATTRIBUTES;
  const out: Attributes = {};
  if (e.threadId !== null) out[A.threadId] = e.threadId;
  if (e.expected !== null) {
    if (e.expected.completedTurns !== null)
      out[A.expectedCompletedTurns] = e.expected.completedTurns;
    if (e.expected.lastTurnId !== null) out[A.expectedLastTurnId] = e.expected.lastTurnId;
  }
  if (e.observed !== null) {
    if (e.observed.completedTurns !== null)
      out[A.observedCompletedTurns] = e.observed.completedTurns;
    if (e.observed.lastTurnId !== null) out[A.observedLastTurnId] = e.observed.lastTurnId;
  }
  if (e.name === "codex.thread.resume.validated") out[A.tokenKind] = e.tokenKind;
  else out[A.reason] = e.reason;
  return out;
};

/**
 * A telemetry sink that records codex-fp's events as OpenTelemetry spans on `options.tracer`.
 *
 * - `codex.turn.start` starts a `codex.turn` span (in the active context, so it nests under
 *   your own span); `codex.turn.stop` ends it with the thread id, transport, duration, usage,
 *   exit code and outcome. `codex.turn.exception` sets status ERROR, `error.type` and records
 *   an `exception` event (type = the error's `_tag`, message cut to {@link MAX_MESSAGE_LENGTH}).
 * - `codex.thread.start`, `codex.thread.resume` and `codex.event.unknown` are span events.
 * - `codex.thread.resume.validated` becomes a span event on the turn it admits: the runner
 *   validates a resume just before it starts the turn, in the same tick. A check not followed
 *   by its turn in that tick (a `validateResume` call of your own) becomes a short span of its
 *   own. `codex.thread.resume.mismatch` always becomes a short span with status ERROR: a refused
 *   resume starts no turn.
 *
 * Turns are told apart by the `correlationId` the runner stamps on every event of a turn, so
 * concurrent turns on one sink never mix. Events without one (hand-made ones) fall back to the
 * thread id; concurrent new-thread turns without ids cannot be told apart then: the first id
 * goes to the oldest, marked `codex.telemetry.ambiguous`.
 *
 * Only known fields are copied, never whole events: no secret reaches a span. The sink never
 * throws; whatever it or the tracer throws goes to `options.onError`.
 */
export const otelSink = (options: OtelSinkOptions): TelemetrySink => {
  // Read defensively: a bad options value must not make this function throw either.
  const opts: Partial<OtelSinkOptions> =
    typeof options === "object" && options !== null ? options : {};
  const tracer = opts.tracer;
  const A = CODEX_ATTRIBUTES;
  const common: Attributes = { ...(opts.attributes ?? {}) };
  const useEventTime = opts.useEventTimestamps !== false;
  const maxOpen =
    typeof opts.maxOpenTurns === "number" && Number.isFinite(opts.maxOpenTurns)
      ? Math.max(1, Math.floor(opts.maxOpenTurns))
      : 1000;
  const open: OpenTurn[] = [];
  const pending: PendingCheck[] = [];

  const report = (error: unknown): void => {
    try {
      opts.onError?.(error);
    } catch {
      // onError must not break the caller either.
    }
  };
  const at = (timestamp: string | null): Date | undefined => {
    if (!useEventTime || timestamp === null) return undefined;
    const d = new Date(timestamp);
    return Number.isNaN(d.getTime()) ? undefined : d;
  };
  /** Starts a span; without a tracer it throws, which `handle`'s guard reports. */
  const startSpan: Tracer["startSpan"] = (name, spanOptions, parent) => {
    if (tracer === undefined) throw new TypeError("otelSink: options.tracer is missing"); // throws-ok: caught by the sink guard, reported to onError
    return tracer.startSpan(name, spanOptions, parent);
  };
  const remove = (turn: OpenTurn): void => {
    const i = open.indexOf(turn);
    if (i !== -1) open.splice(i, 1);
  };

  const learn = (turn: OpenTurn, threadId: string): void => {
    turn.threadId = threadId;
    turn.span.setAttribute(A.threadId, threadId);
  };
  /** The oldest open turn of a new thread that has no id yet (learning `threadId`). */
  const fromNew = (threadId: string | null): OpenTurn | undefined => {
    const fresh = open.filter((t) => t.threadId === null && t.correlationId === null);
    const oldest = fresh[0];
    if (oldest === undefined) return undefined;
    // Several new threads on one sink: whichever gets this event, none is certain.
    if (fresh.length > 1) for (const t of fresh) t.span.setAttribute(A.ambiguous, true);
    if (threadId !== null) learn(oldest, threadId);
    return oldest;
  };
  /** The open turn an event belongs to; `preferNew` for the event that names a new thread. */
  const find = (e: TelemetryEvent, preferNew = false): OpenTurn | undefined => {
    const cid = correlationOf(e);
    if (cid !== null) {
      const turn = open.find((t) => t.correlationId === cid);
      if (turn !== undefined && turn.threadId === null && e.threadId !== null)
        learn(turn, e.threadId);
      return turn;
    }
    const byThread = (): OpenTurn | undefined =>
      e.threadId === null
        ? undefined
        : open.find((t) => t.threadId === e.threadId && t.correlationId === null);
    return preferNew ? (fromNew(e.threadId) ?? byThread()) : (byThread() ?? fromNew(e.threadId));
  };

  const standalone = (e: ResumeCheck, parent: Context): void => {
    const time = at(e.timestamp);
    const span = startSpan(
      e.name,
      {
        kind: SpanKind.INTERNAL,
        attributes: { ...common, ...positionAttributes(e) },
        ...(time !== undefined ? { startTime: time } : {}),
      },
      parent,
    );
    if (e.name === "codex.thread.resume.mismatch")
      span.setStatus({ code: SpanStatusCode.ERROR, message: `resume refused: ${e.reason}` });
    span.end(time);
  };
  const flushPending = (): void => {
    for (const p of pending.splice(0, pending.length))
      if (!p.claimed)
        try {
          standalone(p.event, p.parent);
        } catch (error) {
          report(error);
        }
  };

  const onTurnStart = (e: Of<"codex.turn.start">): void => {
    if (open.length >= maxOpen) {
      const oldest = open.shift();
      if (oldest !== undefined) {
        oldest.span.setAttribute(A.abandoned, true);
        oldest.span.setStatus({
          code: SpanStatusCode.ERROR,
          message: "abandoned: no codex.turn.stop",
        });
        oldest.span.end();
      }
    }
    const time = at(e.timestamp);
    const span = startSpan(
      TURN_SPAN_NAME,
      {
        kind: SpanKind.INTERNAL,
        attributes: {
          ...common,
          [A.transport]: e.transport,
          [A.resumed]: e.resumed,
          ...(e.threadId !== null ? { [A.threadId]: e.threadId } : {}),
        },
        ...(time !== undefined ? { startTime: time } : {}),
      },
      otelContext.active(),
    );
    const cid = correlationOf(e);
    open.push({ span, correlationId: cid, threadId: e.threadId, failed: false });
    // The resume check that admitted this turn (emitted just before it, in the same tick).
    const check = pending.find(
      (p) =>
        !p.claimed &&
        (cid !== null
          ? correlationOf(p.event) === cid
          : e.threadId !== null && p.event.threadId === e.threadId),
    );
    if (check !== undefined) {
      check.claimed = true;
      span.addEvent(check.event.name, positionAttributes(check.event), at(check.event.timestamp));
    }
  };

  const onTurnStop = (e: Of<"codex.turn.stop">): void => {
    const turn = find(e);
    if (turn === undefined) return;
    remove(turn);
    const { span } = turn;
    const attrs: Attributes = {
      [A.transport]: e.transport,
      [A.durationMs]: e.durationMs,
      [A.outcome]: e.outcome,
    };
    if (e.threadId !== null) attrs[A.threadId] = e.threadId;
    if (e.exitCode !== null) attrs[A.exitCode] = e.exitCode;
    if (e.usage !== null) {
      attrs[A.inputTokens] = e.usage.input_tokens;
      attrs[A.outputTokens] = e.usage.output_tokens;
      attrs[A.cachedInputTokens] = e.usage.cached_input_tokens;
      attrs[A.cacheWriteInputTokens] = e.usage.cache_write_input_tokens;
      attrs[A.reasoningOutputTokens] = e.usage.reasoning_output_tokens;
    }
    span.setAttributes(attrs);
    // Success leaves the status UNSET, as OpenTelemetry asks of instrumentation libraries.
    if (e.outcome === "error" && !turn.failed) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end(at(e.timestamp));
  };

  const handle = (e: TelemetryEvent): void => {
    switch (e.name) {
      case "codex.turn.start":
        return onTurnStart(e);
      case "codex.turn.stop":
        return onTurnStop(e);
      case "codex.turn.exception": {
        const turn = find(e);
        if (turn === undefined) return;
        const message = cut(e.message);
        turn.failed = true;
        turn.span.setAttribute(A.errorType, e.errorTag);
        turn.span.recordException({ name: e.errorTag, message }, at(e.timestamp));
        turn.span.setStatus({ code: SpanStatusCode.ERROR, message: `${e.errorTag}: ${message}` });
        return;
      }
      case "codex.thread.start":
      case "codex.thread.resume": {
        const turn = find(e, e.name === "codex.thread.start");
        if (turn === undefined) return;
        turn.span.addEvent(
          e.name,
          e.threadId !== null ? { [A.threadId]: e.threadId } : {},
          at(e.timestamp),
        );
        return;
      }
      case "codex.event.unknown": {
        const turn = find(e);
        if (turn === undefined) return;
        turn.span.addEvent(
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
        const turn = cid !== null ? open.find((t) => t.correlationId === cid) : undefined;
        if (turn !== undefined) {
          turn.span.addEvent(e.name, positionAttributes(e), at(e.timestamp));
          return;
        }
        if (pending.length === 0) queueMicrotask(flushPending);
        pending.push({ event: e, parent: otelContext.active(), claimed: false });
        return;
      }
      case "codex.thread.resume.mismatch":
        return standalone(e, otelContext.active());
      default:
        // An event name this release does not know: nothing to record.
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
