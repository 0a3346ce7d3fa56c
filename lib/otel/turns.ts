/**
 * The turns a sink has open, and which of them an event belongs to: by the `correlationId` the
 * runner stamps on every event of a turn, else by thread id, else (a new thread's first event)
 * the oldest turn that has no thread yet.
 */
import { SpanStatusCode, type Span } from "@opentelemetry/api";
import type { TelemetryEvent } from "../core/telemetry.js";
import { CODEX_ATTRIBUTES as A } from "./attributes.js";

/** The telemetry event named `N`. */
export type EventOf<N extends TelemetryEvent["name"]> = Extract<TelemetryEvent, { name: N }>;

/** A turn span being recorded. */
export interface OpenTurn {
  readonly span: Span;
  readonly correlationId: string | null;
  /** The model the turn asked for (from `codex.turn.start`), for its metrics. */
  readonly model: string | null;
  threadId: string | null;
  /** Set by `codex.turn.exception`: the status (with its message) is already ERROR. */
  failed: boolean;
  /** The `error.type` of the turn, once it failed. */
  errorType: string | null;
}

/** The correlation id of an event: `runTurn` / `runStreamed` stamp one per turn on its events. */
export const correlationOf = (e: TelemetryEvent): string | null =>
  "correlationId" in e && typeof e.correlationId === "string" ? e.correlationId : null;

/** The open turns of one sink, oldest first, at most `maxOpen` of them. */
export interface OpenTurns {
  /** Adds a turn; past `maxOpen`, the oldest is ended first, marked abandoned. */
  add(turn: OpenTurn): void;
  /** Forgets a turn (its span is the caller's to end). */
  remove(turn: OpenTurn): void;
  /** The open turn with this correlation id. */
  byCorrelation(correlationId: string): OpenTurn | undefined;
  /** The open turn an event belongs to; `preferNew` for the event that names a new thread. */
  find(e: TelemetryEvent, preferNew?: boolean): OpenTurn | undefined;
}

/** An empty set of open turns that keeps at most `maxOpen`. */
export const openTurns = (maxOpen: number): OpenTurns => {
  const open: OpenTurn[] = [];

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

  return {
    add: (turn) => {
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
      open.push(turn);
    },
    remove: (turn) => {
      const i = open.indexOf(turn);
      if (i !== -1) open.splice(i, 1);
    },
    byCorrelation: (cid) => open.find((t) => t.correlationId === cid),
    find: (e, preferNew = false) => {
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
    },
  };
};
