/**
 * The turn fold: a pure state machine over one turn's events. `stepTurn` takes a state and an
 * event to the next state or a FoldError; `finishTurn` turns the final state into the new
 * Thread and the Turn. `foldTurn` runs both over a whole list.
 *
 * Cost: a step is O(1) and a turn of n events O(n). The collections a state gathers (items,
 * notices, unknown event types) are append-only logs (`./append-only.ts`): stepping the latest
 * state extends them in place, and every state stays valid, so a caller may keep an old state
 * and step it again (that branch pays one copy of what it holds). `finishTurn` builds the
 * Turn's arrays once, at the end.
 */
import { err, ok, type Result } from "neverthrow";
import {
  decodingError,
  invalidAt,
  invalidStructuredOutput,
  protocolViolation,
  turnFailed,
  type FoldError,
  type ThreadError,
  type ViolationKind,
} from "./errors/index.js";
import { UsageWire, type ThreadEvent } from "./events.js";
import type { ThreadItem } from "./items.js";
import { isRecord } from "./decoding/decode.js";
import {
  ContinuationToken,
  readToken,
  mintContinuationToken,
  tokenStringProblem,
} from "./continuation.js";
import { metadataFromJson, type ThreadMetadata } from "./metadata.js";
import { splitUsage, usageFromWire, zeroUsage, type Usage } from "./usage.js";
import { updateThread, type Thread } from "./thread.js";
import { ThreadId, threadIdProblem } from "./thread-id.js";
import type { Turn } from "./turn.js";
import { emptyLog, logAppend, logLast, logToArray, type AppendLog } from "./append-only.js";
import { parseJson } from "./decoding/unknown.js";

/** Where a turn's event stream is. */
export type TurnPhase = "start" | "thread" | "turn" | "completed" | "failed";

/**
 * The fold's state: everything learned from the events so far. Immutable from the outside and
 * persistent — any state may be stepped or finished again, any number of times.
 */
export interface TurnState {
  readonly phase: TurnPhase;
  /** The id being resumed (null for a new thread). */
  readonly expectedThreadId: string | null;
  readonly threadId: string | null;
  readonly turnId: string | null;
  /** Every completed item (and streamed agent message) in arrival order; ids may repeat. */
  readonly items: AppendLog<ThreadItem>;
  readonly usage: UsageWire | null;
  readonly status: string | null;
  readonly finalResponse: string | null;
  readonly failure: FoldError | null;
  readonly notices: AppendLog<string>;
  readonly legacyToken: string | null;
  readonly legacyMetadata: unknown;
  readonly unknownEventTypes: AppendLog<string>;
}

/** The state before the first event of a turn on `thread`. */
export const initialTurnState = (thread: Pick<Thread, "threadId">): TurnState => ({
  phase: "start",
  expectedThreadId: threadIdOf(thread),
  threadId: null,
  turnId: null,
  items: emptyLog(),
  usage: null,
  status: null,
  finalResponse: null,
  failure: null,
  notices: emptyLog(),
  legacyToken: null,
  legacyMetadata: undefined,
  unknownEventTypes: emptyLog(),
});

/** The thread's id, or null when it has none (or it cannot be read: `finishTurn` refuses it). */
const threadIdOf = (thread: unknown): string | null => {
  try {
    const id = isRecord(thread) ? thread["threadId"] : undefined;
    return typeof id === "string" ? id : null;
  } catch {
    return null;
  }
};

const violationError = (
  s: TurnState,
  kind: ViolationKind,
  message: string,
  actualThreadId: string | null = s.threadId,
): FoldError => protocolViolation(kind, message, s.expectedThreadId, actualThreadId);

const violation = (
  s: TurnState,
  kind: ViolationKind,
  message: string,
  actualThreadId: string | null = s.threadId,
): Result<TurnState, FoldError> => err(violationError(s, kind, message, actualThreadId));

const textOf = (u: unknown): string | null =>
  typeof u === "string" ? u : isRecord(u) && typeof u["text"] === "string" ? u["text"] : null;

const complete = (s: TurnState, item: ThreadItem): TurnState => ({
  ...s,
  items: logAppend(s.items, item),
  finalResponse: item.type === "agent_message" ? item.text : s.finalResponse,
});

const failWith = (s: TurnState, error: unknown, fallback: string): TurnState => {
  const e = isRecord(error) ? error : {};
  const message = typeof e["message"] === "string" ? e["message"] : fallback;
  return {
    ...s,
    phase: "failed",
    failure: turnFailed(message, { ...e, message }),
  };
};

/** One step of the state machine. Never throws: a state or event that cannot be read is an error. */
export const stepTurn = (
  s: TurnState,
  e: ThreadEvent,
): Result<TurnState, FoldError | ThreadError> => {
  try {
    if (typeof s !== "object" || s === null || typeof s.phase !== "string")
      return err(unreadable("the turn state (not one initialTurnState made)"));
    if (!isRecord(e) || typeof e["type"] !== "string")
      return err(unreadable("the event (not an object with a string type)"));
    return step(s, e);
  } catch {
    return err(unreadable("a turn state or an event"));
  }
};

/** An argument of the fold that could not be read (a hostile value): an InvalidOptions error. */
const unreadable = (what: string): ThreadError =>
  decodingError("InvalidOptions", "events", "cannot fold the turn", [
    { path: "events", message: `${what} could not be read` },
  ]);

const step = (s: TurnState, e: ThreadEvent): Result<TurnState, FoldError> => {
  if (s.phase === "failed") return ok(s); // the failure stands; trailing events change nothing
  if (s.phase === "completed")
    return violation(s, "after_completion", `event "${e.type}" after turn.completed`);
  const started = s.phase === "thread" || s.phase === "turn" || s.expectedThreadId !== null;
  switch (e.type) {
    case "thread.started":
      if (s.phase !== "start") return violation(s, "out_of_order", "a second thread.started");
      if (s.expectedThreadId !== null && e.thread_id !== s.expectedThreadId)
        return violation(
          s,
          "thread_id_changed",
          `resumed ${s.expectedThreadId} but the CLI started ${e.thread_id} (a new thread)`,
          e.thread_id,
        );
      return ok({ ...s, phase: "thread", threadId: e.thread_id, legacyMetadata: e.metadata });
    case "turn.started":
      if (s.phase === "turn") return violation(s, "out_of_order", "a second turn.started");
      if (!started)
        return violation(s, "missing_thread_started", "turn.started before thread.started");
      return ok({ ...s, phase: "turn", turnId: e.turn_id ?? s.turnId });
    case "turn.completed":
      if (s.phase !== "turn")
        return violation(s, "out_of_order", "turn.completed before turn.started");
      if (e.status === "failed")
        return ok(failWith(s, e.error ?? { message: textOf(e.final_response) }, "turn failed"));
      // Events a transport built itself (the app-server's) were not decoded: check the counts.
      if (e.usage !== undefined && e.usage !== null && !UsageWire.is(e.usage))
        return violation(
          s,
          "invalid_usage",
          "turn.completed reported usage that is not token counts (whole numbers from 0 to 2**53-1)",
        );
      return ok({
        ...s,
        phase: "completed",
        usage: e.usage ?? s.usage,
        status: e.status ?? "completed",
        turnId: e.turn_id ?? s.turnId,
        finalResponse: s.finalResponse ?? textOf(e.final_response),
      });
    case "turn.failed":
      if (!started)
        return violation(s, "missing_thread_started", "turn.failed before thread.started");
      return ok(failWith(s, e.error, "turn failed"));
    case "item.started":
    case "item.updated":
      return started
        ? ok(s)
        : violation(s, "missing_thread_started", `${e.type} before thread.started`);
    case "item.completed":
      return started
        ? ok(complete(s, e.item))
        : violation(s, "missing_thread_started", "item.completed before thread.started");
    case "item.agent_message.delta": {
      const text = textOf(e.item.content);
      return text === null
        ? ok(s)
        : ok(complete(s, { id: e.item.id, type: "agent_message", text }));
    }
    case "error":
      return ok({ ...s, notices: logAppend(s.notices, e.message) });
    case "turn.continuation":
      return ok({ ...s, legacyToken: e.continuation_token });
    case "unknown":
      return ok({ ...s, unknownEventTypes: logAppend(s.unknownEventTypes, e.eventType) });
    default:
      // Legacy progress and tool-call events, and echoed user input, carry nothing a Turn keeps.
      return ok(s);
  }
};

export { splitUsage };

/** What the caller knows besides the events: the turn options and what the session showed. */
export interface FinishContext {
  /** The turn had an output schema: the final response must be JSON. */
  readonly structured?: boolean;
  /** The secret continuation tokens are signed with. */
  readonly secret?: string;
  /** The session's position after the turn, when observed (from the rollout). */
  readonly position?: { readonly completedTurns: number; readonly lastTurnId: string | null };
  /** Metadata read from the session, when observed. */
  readonly metadata?: ThreadMetadata;
  /** The turn's own usage as the session recorded it (exact even when the Thread has no prior figure). */
  readonly turnUsage?: Usage;
}

/** The position after this turn: observed, else the previous token's plus one, else unknown. */
const nextPosition = (
  thread: Thread,
  turnId: string | null,
  ctx: FinishContext,
): { completedTurns: number; lastTurnId: string | null } | null => {
  if (ctx.position !== undefined) return ctx.position;
  if (thread.threadId === null) return { completedTurns: 1, lastTurnId: turnId };
  const token = thread.continuationToken;
  if (token === null) return null;
  const r = readToken(token);
  return r._tag === "Right" && r.right.kind !== "legacy"
    ? { completedTurns: r.right.claim.completedTurns + 1, lastTurnId: turnId }
    : null;
};

/** Each item id once, where it first came, holding its latest state. */
const latestById = (log: AppendLog<ThreadItem>): ThreadItem[] => {
  const byId = new Map<string, ThreadItem>();
  for (const item of logToArray(log)) byId.set(item.id, item);
  return [...byId.values()];
};

/** Ends the fold: the new Thread and the Turn, or the turn's error. Never throws. */
export const finishTurn = (
  thread: Thread,
  s: TurnState,
  ctx: FinishContext = {},
): Result<{ thread: Thread; turn: Turn }, FoldError | ThreadError> => {
  try {
    if (typeof thread !== "object" || thread === null)
      return err(unreadable("the thread (not a Thread)"));
    if (typeof s !== "object" || s === null || typeof s.phase !== "string")
      return err(unreadable("the turn state (not one initialTurnState made)"));
    return finish(thread, s, ctx ?? {});
  } catch {
    return err(unreadable("the thread, the turn state or the context"));
  }
};

const finish = (
  thread: Thread,
  s: TurnState,
  ctx: FinishContext,
): Result<{ thread: Thread; turn: Turn }, FoldError | ThreadError> => {
  if (s.phase === "failed" && s.failure !== null) return err(s.failure);
  if (s.phase !== "completed") {
    const last = logLast(s.notices);
    return err(
      violationError(
        s,
        "incomplete",
        `the event stream ended before turn.completed or turn.failed${last === undefined ? "" : ` (last notice: ${last})`}`,
      ),
    );
  }
  const threadId = s.threadId ?? s.expectedThreadId;
  if (threadId === null)
    return err(violationError(s, "missing_thread_started", "no thread.started in the stream"));
  // What the producer printed becomes the new Thread: it must pass the Thread's own codec.
  if (!ThreadId.is(threadId))
    return err(
      invalidAt(
        "InvalidThreadId",
        "events.thread_id",
        "invalid thread id in the events",
        threadIdProblem(threadId) ?? "invalid thread id",
      ),
    );
  const legacyToken = s.legacyToken;
  if (legacyToken !== null && !ContinuationToken.is(legacyToken))
    return err(
      invalidAt(
        "InvalidContinuationToken",
        "events.continuation_token",
        "invalid continuation token in the events",
        tokenStringProblem(legacyToken) ?? "invalid continuation token",
      ),
    );
  const finalResponse = s.finalResponse ?? "";
  let structuredOutput: unknown;
  if (ctx.structured === true) {
    try {
      structuredOutput = parseJson(finalResponse);
    } catch {
      return err(
        invalidStructuredOutput("the turn had an output schema but its final response is not JSON"),
      );
    }
  }
  const reported = s.usage === null ? null : usageFromWire(s.usage);
  const { usage, cumulativeUsage } =
    reported === null
      ? { usage: ctx.turnUsage ?? zeroUsage, cumulativeUsage: thread.cumulativeUsage ?? zeroUsage }
      : ctx.turnUsage !== undefined && thread.cumulativeUsage === null
        ? { usage: ctx.turnUsage, cumulativeUsage: reported }
        : splitUsage(reported, thread.cumulativeUsage);
  const turnId = ctx.position?.lastTurnId ?? s.turnId;
  const position = nextPosition(thread, turnId, ctx);
  const minted =
    legacyToken !== null
      ? ok(legacyToken)
      : position === null
        ? ok(null)
        : mintContinuationToken({ threadId, ...position }, ctx.secret);
  return minted.map((continuationToken) => {
    const legacy =
      thread.metadata === null && isRecord(s.legacyMetadata)
        ? metadataFromJson(s.legacyMetadata)
        : null;
    const metadata = ctx.metadata ?? (legacy?.isOk() ? legacy.value : null) ?? thread.metadata;
    return {
      thread: updateThread(thread, {
        threadId,
        continuationToken,
        cumulativeUsage,
        metadata,
        labels: { ...(metadata?.labels ?? {}), ...thread.labels },
      }),
      turn: {
        items: latestById(s.items),
        finalResponse,
        usage,
        cumulativeUsage,
        turnId,
        status: s.status ?? "completed",
        notices: logToArray(s.notices),
        unknownEventTypes: logToArray(s.unknownEventTypes),
        ...(ctx.structured === true ? { structuredOutput } : {}),
      },
    };
  });
};

/** Folds a whole list of events of one turn. */
export const foldTurn = (
  thread: Thread,
  events: Iterable<ThreadEvent>,
  ctx: FinishContext = {},
): Result<{ thread: Thread; turn: Turn }, FoldError | ThreadError> => {
  const bad = (path: string, message: string) =>
    err(invalidAt("InvalidOptions", path, "cannot fold the turn", message));
  if (!isRecord(thread))
    return err(invalidAt("NotAThread", "thread", "not a Thread", "expected a Thread"));
  try {
    let s = initialTurnState(thread);
    for (const e of events) {
      const r = stepTurn(s, e);
      if (r.isErr()) return err(r.error);
      s = r.value;
    }
    return finishTurn(thread, s, ctx ?? {});
  } catch {
    // A hostile thread, events or context (a getter or a Proxy that throws, a non-iterable).
    return bad("events", "the thread, the events or the context could not be read");
  }
};
