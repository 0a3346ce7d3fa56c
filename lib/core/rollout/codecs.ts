/**
 * Codecs of the rollout lines read (open: the CLI adds fields every release). See `../rollout.ts`
 * for what is read and why.
 */
import * as t from "io-ts";
import { ThreadId } from "../thread-id.js";
import { UsageWire } from "../events.js";

/** A string or null. */
export const nullableString = t.union([t.string, t.null]);

// ---------------------------------------------------------------------------------------------
// Codecs of the lines we read (open: the CLI adds fields every release)
// ---------------------------------------------------------------------------------------------

/** Codec of token usage as a rollout writes it: the same shape as the CLI prints (`UsageWire`). */
export const RolloutUsage = UsageWire;
/** Token usage as a rollout writes it. */
export type RolloutUsage = UsageWire;

const nullableUsage = t.union([RolloutUsage, t.null]);

/** Codec of the `session_meta` payload fields we use (the id must be a valid thread id). */
export const SessionMetaPayload = t.intersection(
  [
    t.type({ id: ThreadId }),
    t.partial({
      timestamp: t.string,
      cwd: t.string,
      originator: t.string,
      cli_version: t.string,
      model_provider: nullableString,
      /** A fork's parent (read leniently: anything but a thread id is taken as none). */
      forked_from_id: t.unknown,
      /** A fork's cut: the parent's lines before this ordinal are the fork's history. */
      forked_from_ordinal_exclusive: t.unknown,
    }),
  ],
  "SessionMetaPayload",
);
/** The `session_meta` payload fields we use. */
export type SessionMetaPayload = t.TypeOf<typeof SessionMetaPayload>;

/** Codec of a rollout's first line. */
export const SessionMetaLine = t.intersection(
  [
    t.type({ type: t.literal("session_meta"), payload: SessionMetaPayload }),
    t.partial({ timestamp: t.string, ordinal: t.number }),
  ],
  "SessionMetaLine",
);
/** A rollout's first line. */
export type SessionMetaLine = t.TypeOf<typeof SessionMetaLine>;

/** Codec of the envelope every rollout line shares. */
export const RolloutLineEnvelope = t.intersection(
  [
    t.type({ type: t.string }),
    t.partial({ timestamp: t.string, ordinal: t.number, payload: t.unknown }),
  ],
  "RolloutLineEnvelope",
);

const turnIds = { turn_id: nullableString, root_turn_id: nullableString };

/** Codec of an `event_msg` `task_started` payload. */
export const TaskStartedPayload = t.intersection(
  [t.type({ type: t.literal("task_started") }), t.partial(turnIds)],
  "TaskStartedPayload",
);

/** Codec of an `event_msg` `task_complete` payload (`error` is set when the turn failed). */
export const TaskCompletePayload = t.intersection(
  [
    t.type({ type: t.literal("task_complete") }),
    t.partial({ ...turnIds, last_agent_message: nullableString, error: t.unknown }),
  ],
  "TaskCompletePayload",
);

/** Codec of an `event_msg` `turn_aborted` payload (an interrupted turn). */
export const TurnAbortedPayload = t.intersection(
  [t.type({ type: t.literal("turn_aborted") }), t.partial({ ...turnIds, reason: t.unknown })],
  "TurnAbortedPayload",
);

/** Codec of an `event_msg` `token_count` payload (`info` is null before any usage). */
export const TokenCountPayload = t.intersection(
  [
    t.type({ type: t.literal("token_count") }),
    t.partial({
      info: t.union([
        t.partial({ total_token_usage: nullableUsage, last_token_usage: nullableUsage }),
        t.null,
      ]),
    }),
  ],
  "TokenCountPayload",
);

/** Codec of an `event_msg` `thread_rolled_back` payload. */
export const ThreadRolledBackPayload = t.type(
  { type: t.literal("thread_rolled_back"), num_turns: t.number },
  "ThreadRolledBackPayload",
);

/** Codec of a `token_usage_record` payload (one per model response). */
export const TokenUsageRecordPayload = t.partial(
  { ...turnIds, turn_token_usage: nullableUsage, thread_token_usage: nullableUsage },
  "TokenUsageRecordPayload",
);
