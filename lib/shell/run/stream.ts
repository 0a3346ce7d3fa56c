/**
 * Step 4 of a turn: the transport's events folded as they come, each passed on to the
 * consumer; the first fold error stops the run and the rest of the events are drained unread.
 */
import type { ThreadEvent } from "../../core/events.js";
import type { TurnError, TurnStop } from "../../core/errors/index.js";
import { initialTurnState, stepTurn, type TurnState } from "../../core/fold.js";
import type { Thread } from "../../core/thread.js";
import { foldFailure } from "../../core/turn-end.js";
import type { TurnReporter } from "./telemetry.js";

/** The fold's last state and its first error (null when every event folded). */
export interface Folded {
  readonly state: TurnState;
  readonly foldError: TurnError | null;
}

/** Folds `events` from `thread`'s state, pushing each one on; stops the run on a fold error. */
export const foldEvents = async (
  thread: Thread,
  events: AsyncIterable<ThreadEvent>,
  push: (e: ThreadEvent) => void,
  stop: (s: TurnStop) => void,
  report: TurnReporter,
): Promise<Folded> => {
  const resumedId = thread.threadId;
  let state: TurnState = initialTurnState(thread);
  let foldError: TurnError | null = null;
  for await (const event of events) {
    if (foldError !== null) continue;
    const next = stepTurn(state, event);
    if (next.isErr()) {
      foldError = foldFailure(next.error, resumedId);
      stop({ reason: "mismatch" });
      continue;
    }
    state = next.value;
    report.event(event, resumedId, state.threadId ?? resumedId);
    push(event);
  }
  return { state, foldError };
};
