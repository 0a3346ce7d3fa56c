/**
 * Resume checks in a trace. An accepted check becomes an event on the turn it admits: the runner
 * validates a resume just before it starts the turn, in the same tick, so a check waits out the
 * tick for its turn, and becomes a short span of its own if none came. A refused check is always
 * a short ERROR span: it starts no turn.
 */
import {
  SpanKind,
  SpanStatusCode,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from "@opentelemetry/api";
import { CODEX_ATTRIBUTES as A } from "./attributes.js";
import { correlationOf, type EventOf } from "./turns.js";

/** A resume check's telemetry event. */
export type ResumeCheck = EventOf<"codex.thread.resume.validated" | "codex.thread.resume.mismatch">;

/** The attributes of a resume check: the thread, the two positions, the verdict. */
export const positionAttributes = (e: ResumeCheck): Attributes => {
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

/** What the checks need from their sink. */
export interface CheckDeps {
  readonly startSpan: Tracer["startSpan"];
  /** The span time of an event timestamp (undefined: the tracer's clock). */
  readonly at: (timestamp: string | null) => Date | undefined;
  /** Attributes every span gets. */
  readonly common: Attributes;
  readonly report: (error: unknown) => void;
}

/** The resume checks of one sink. */
export interface ResumeChecks {
  /** A check becomes a short span of its own, under `parent`. */
  standalone(e: ResumeCheck, parent: Context): void;
  /** An accepted check waits, until the end of the tick, for the turn it admits. */
  defer(e: EventOf<"codex.thread.resume.validated">, parent: Context): void;
  /** A turn starts: the waiting check that admitted it becomes an event on its span. */
  claim(span: Span, correlationId: string | null, threadId: string | null): void;
}

/** A resume check waiting (until the end of the current tick) for the turn it admits. */
interface PendingCheck {
  readonly event: ResumeCheck;
  readonly parent: Context;
  claimed: boolean;
}

/** The resume checks of a sink that starts spans through `deps`. */
export const resumeChecks = (deps: CheckDeps): ResumeChecks => {
  const pending: PendingCheck[] = [];

  const standalone = (e: ResumeCheck, parent: Context): void => {
    const time = deps.at(e.timestamp);
    const span = deps.startSpan(
      e.name,
      {
        kind: SpanKind.INTERNAL,
        attributes: { ...deps.common, ...positionAttributes(e) },
        ...(time !== undefined ? { startTime: time } : {}),
      },
      parent,
    );
    if (e.name === "codex.thread.resume.mismatch")
      span.setStatus({ code: SpanStatusCode.ERROR, message: `resume refused: ${e.reason}` });
    span.end(time);
  };
  const flush = (): void => {
    for (const p of pending.splice(0, pending.length))
      if (!p.claimed)
        try {
          standalone(p.event, p.parent);
        } catch (error) {
          deps.report(error);
        }
  };

  return {
    standalone,
    defer: (event, parent) => {
      if (pending.length === 0) queueMicrotask(flush);
      pending.push({ event, parent, claimed: false });
    },
    claim: (span, cid, threadId) => {
      const check = pending.find(
        (p) =>
          !p.claimed &&
          (cid !== null
            ? correlationOf(p.event) === cid
            : threadId !== null && p.event.threadId === threadId),
      );
      if (check === undefined) return;
      check.claimed = true;
      span.addEvent(
        check.event.name,
        positionAttributes(check.event),
        deps.at(check.event.timestamp),
      );
    },
  };
};
