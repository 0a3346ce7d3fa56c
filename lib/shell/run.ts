/**
 * Running a turn: validate → (resumed thread with a token) observe the session and run the
 * resume validator → start the transport → fold the events as they come → the new Thread and
 * the Turn. `runTurn` returns the outcome; `runStreamed` also streams the events.
 */
import type { ResultAsync } from "neverthrow";
import type { TurnError } from "../core/errors/index.js";
import type { TurnInput } from "../core/input.js";
import type { TurnOptionsInput } from "../core/options.js";
import type { Thread } from "../core/thread.js";
import { start } from "./run/start.js";
import type { RunDeps, StreamedTurn, TurnOutcome } from "./run/types.js";

export type {
  ObserveSession,
  RunDeps,
  SessionObservation,
  StreamedTurn,
  TurnOutcome,
} from "./run/types.js";
export { observeFromStore } from "./run/observe.js";

/**
 * Runs one turn on `thread` and returns the new Thread and the Turn. Never throws and never
 * rejects: every failure is a typed `TurnError`.
 */
export const runTurn = (
  thread: Thread,
  input: TurnInput,
  turnOptions?: TurnOptionsInput,
  deps: RunDeps = {},
): ResultAsync<TurnOutcome, TurnError> =>
  start(thread, input, turnOptions, deps ?? {}, false).outcome;

/**
 * Runs one turn and streams its events as they arrive. The iterable never throws; leaving it
 * early stops the turn (the outcome is then `Aborted`).
 */
export const runStreamed = (
  thread: Thread,
  input: TurnInput,
  turnOptions?: TurnOptionsInput,
  deps: RunDeps = {},
): StreamedTurn => start(thread, input, turnOptions, deps ?? {}, true);
