/**
 * Forks as first-class threads, the pure part: where a fork stands when it is made — the
 * usage its history already holds (its baseline, so its first turn reports its own usage) and
 * its position (so a continuation token guards its first turn) — and the fork's Thread value.
 *
 * The CLI (0.169.0) writes a fork's rollout as a new file whose `session_meta` names the parent
 * (`forked_from_id`) and a cut (`forked_from_ordinal_exclusive`): the fork's history is the
 * parent's lines before the cut, which the fork's file does not copy. The fork's cumulative
 * usage starts at the parent's cumulative usage at the cut (the last `token_count` total before
 * it), and its own rollout starts with no turns: that is the position the session observer
 * will see, so it is the position the fork's token claims.
 */
import type { Result } from "neverthrow";
import type { ThreadError } from "./errors/index.js";
import { mintContinuationToken } from "./continuation.js";
import type { RolloutLine } from "./rollout/line.js";
import { updateThread, type Thread } from "./thread.js";
import type { ThreadId } from "./thread-id.js";
import type { Usage } from "./usage.js";

/** A fold over a parent's rollout lines, up to a fork's cut: the cumulative usage there. */
export interface ForkPointScan {
  /** The cut: lines at or after this ordinal are not the fork's history. */
  readonly cut: number;
  /** The latest cumulative usage before the cut (null: none recorded yet). */
  readonly total: Usage | null;
  /** A line at or after the cut was reached: the lines that follow change nothing. */
  readonly done: boolean;
}

/** The start of a {@link ForkPointScan} for the cut `cut`. */
export const startForkPoint = (cut: number): ForkPointScan => ({ cut, total: null, done: false });

/**
 * One more line of the parent's rollout (the first line, `session_meta`, included or not).
 * Ordinals only grow in a file with one writer, so the first line at or past the cut ends it; a
 * line without an ordinal (legacy) counts as before the cut.
 */
export const stepForkPoint = (s: ForkPointScan, line: RolloutLine): ForkPointScan => {
  if (s.done) return s;
  if (line.kind !== "unreadable" && line.ordinal !== null && line.ordinal >= s.cut)
    return { ...s, done: true };
  return line.kind === "token_count" && line.total !== null ? { ...s, total: line.total } : s;
};

/** Where a new fork stands. */
export interface ForkFacts {
  /** The cumulative usage of the fork's history; null when it could not be read. */
  readonly cumulativeUsage: Usage | null;
  /** The position the session observer sees in the fork's rollout. */
  readonly position: { readonly completedTurns: number; readonly lastTurnId: string | null };
}

/** The position of a fork whose rollout could not be read: a new rollout, with no turns. */
export const NEW_FORK_POSITION: ForkFacts["position"] = { completedTurns: 0, lastTurnId: null };

/**
 * The fork as a Thread value: the parent's options, the fork's id, no metadata (the first turn
 * reads it from the fork's rollout), the fork's baseline usage and a continuation token for
 * its position, signed with `secret` when given. Fails only when the token cannot be minted.
 */
export const forkedThread = (
  parent: Thread,
  forkId: ThreadId,
  facts: ForkFacts,
  secret?: string,
): Result<Thread, ThreadError> =>
  mintContinuationToken({ threadId: forkId, ...facts.position }, secret).map((token) =>
    updateThread(parent, {
      threadId: forkId,
      continuationToken: token,
      metadata: null,
      cumulativeUsage: facts.cumulativeUsage,
    }),
  );
