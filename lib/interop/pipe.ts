/**
 * Data-last forms of the calls that are natural steps of a `pipe`, returning fp-ts values.
 * The convention (docs/fp-ts.md): every function takes its data first and its deps last,
 * `f(data, options?, deps?)`; where a call is a step of a chain, `fWith(options?, deps?)`
 * returns the step, `(data) => …`, so `pipe` reads without lambdas.
 */
import type * as E from "fp-ts/lib/Either.js";
import type * as TE from "fp-ts/lib/TaskEither.js";
import type { ThreadError, TurnError } from "../core/errors/index.js";
import type { TurnInput } from "../core/input.js";
import type { CodexOptionsInput, ThreadOptionsInput, TurnOptionsInput } from "../core/options.js";
import {
  validateResume,
  type ObservedSession,
  type ResumeValidatorDeps,
} from "../core/resume-validator.js";
import { startThread, type Thread } from "../core/thread.js";
import { runTurn, type RunDeps, type TurnOutcome } from "../shell/run.js";
import { toEither, toTaskEither } from "./fp-ts.js";

/** What a step continues from: a thread, or a turn's outcome (its new thread). */
export type ThreadSource = Thread | TurnOutcome;

/**
 * The thread of a source: the outcome's new thread, or the thread itself. A source that cannot
 * be inspected (a throwing Proxy) is handed on as it is, for `runTurn` to refuse.
 */
const threadOf = (from: ThreadSource): unknown => {
  try {
    return typeof from === "object" && from !== null && "turn" in from && "thread" in from
      ? from.thread
      : from;
  } catch {
    return from;
  }
};

/**
 * `startThread` as the first step of a TaskEither pipe. The options are validated now; the
 * task only hands over the result.
 */
export const startThreadTE = (
  codexOptions?: CodexOptionsInput,
  threadOptions?: ThreadOptionsInput,
): TE.TaskEither<ThreadError, Thread> => {
  const started = toEither(startThread(codexOptions, threadOptions));
  return () => Promise.resolve(started);
};

/**
 * Data-last `runTurn`: `TE.chainW(runTurnWith("prompt", turnOptions, deps))` runs a turn on
 * the thread it is given, or on the new thread of the outcome it is given, when the task runs.
 */
export const runTurnWith =
  (input: TurnInput, turnOptions?: TurnOptionsInput, deps?: RunDeps) =>
  (from: ThreadSource): TE.TaskEither<TurnError, TurnOutcome> =>
    toTaskEither(() => runTurn(threadOf(from) as Thread, input, turnOptions, deps));

/**
 * Data-last `validateResume`: `E.chainW(validateResumeWith(observed, deps))` or
 * `TE.chainEitherKW(validateResumeWith(observed, deps))`.
 */
export const validateResumeWith =
  (observed: ObservedSession | undefined, deps: ResumeValidatorDeps) =>
  (thread: Thread): E.Either<ThreadError, Thread> =>
    toEither(validateResume(thread, observed, deps));
