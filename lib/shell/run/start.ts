/**
 * One turn from start to end: validate → (resumed thread with a token) observe the session and
 * run the resume validator → start the transport → fold the events as they come → decide
 * (lib/core/turn-end) → the new Thread and the Turn, with its telemetry.
 */
import { randomUUID } from "node:crypto";
import { ResultAsync, errAsync, okAsync } from "neverthrow";
import type { ThreadEvent } from "../../core/events.js";
import {
  aborted,
  defect,
  turnTimedOut,
  type TurnError,
  type TurnStop,
} from "../../core/errors/index.js";
import { finishTurn } from "../../core/fold.js";
import { validateResume } from "../../core/resume-validator.js";
import type { TelemetrySink } from "../../core/telemetry.js";
import type { Thread } from "../../core/thread.js";
import { ThreadId } from "../../core/thread-id.js";
import { finishContextOf, turnEndError, turnExitCode } from "../../core/turn-end.js";
import { execTransport } from "../exec-transport.js";
import { createChannel } from "../internal/channel.js";
import { NO_RUN_DEPS, takeRunDeps, type TakenRunDeps } from "./deps.js";
import { observeFromStore, safeObserve } from "./observe.js";
import { foldEvents } from "./stream.js";
import { turnReporter } from "./telemetry.js";
import type { RunDeps, StreamedTurn, TurnOutcome } from "./types.js";
import { validateTurn } from "./validate.js";

const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

/** Whether a signal is aborted now (a call, so a check made before an await is not reused). */
const isAborted = (signal: AbortSignal | undefined): boolean => signal?.aborted === true;

/** Starts one turn; `buffer` keeps the events for a consumer that reads them later. */
export const start = (
  threadArg: Thread,
  inputArg: unknown,
  turnOptionsArg: unknown,
  depsArg: RunDeps,
  buffer: boolean,
): StreamedTurn => {
  // One correlation id per turn ties its events together (see TelemetryEvent).
  const correlationId = randomUUID();
  const taken = takeRunDeps(depsArg);
  const deps: TakenRunDeps = taken.isOk() ? taken.value : NO_RUN_DEPS;
  const given = deps.sink;
  const sink: TelemetrySink | undefined =
    given === undefined ? undefined : (e) => given({ ...e, correlationId });
  const now = deps.now ?? (() => new Date());
  const transport =
    deps.transport ??
    execTransport({ ...(deps.codexPath !== undefined ? { codexPath: deps.codexPath } : {}) });
  const observe = deps.observe === false ? null : (deps.observe ?? observeFromStore);
  let cancelRun: ((s: TurnStop) => void) | null = null;
  let consumerLeft = false;
  const out = createChannel<ThreadEvent>(() => {
    consumerLeft = true;
    cancelRun?.({ reason: "consumer" });
  }, buffer);

  const outcome = (async (): Promise<ResultAsync<TurnOutcome, TurnError>> => {
    // 1. Validate everything before any effect.
    if (taken.isErr()) return errAsync(taken.error);
    const valid = await validateTurn(threadArg, inputArg, turnOptionsArg, deps, transport);
    if (valid.isErr()) return errAsync(valid.error);
    const { thread, turnOptions, secret, acceptLegacyTokens, requireToken } = valid.value;
    const threadId = thread.threadId;
    const report = turnReporter(sink, now, transport.kind);
    // The turn's deadline counts from here; observing the session honours it and the abort.
    const turnBegan = performance.now();
    const limit = turnOptions.timeoutMs;
    const deadline =
      limit !== undefined ? { timeoutMs: limit, signal: AbortSignal.timeout(limit) } : undefined;
    const observing = AbortSignal.any(
      [turnOptions.signal, deadline?.signal].filter((x): x is AbortSignal => x !== undefined),
    );

    // 2. A resumed thread with a token: the session must be where the token says.
    if (threadId !== null && (thread.continuationToken !== null || requireToken)) {
      const seen = await safeObserve(observe, thread, observing);
      if (deadline?.signal.aborted === true && turnOptions.signal?.aborted !== true)
        return errAsync(turnTimedOut(deadline.timeoutMs, " (reading its session)"));
      const v = validateResume(thread, seen?.observed, {
        sink: sink ?? (() => undefined),
        now,
        acceptLegacyTokens,
        requireToken,
        ...(secret !== undefined ? { secret } : {}),
      });
      if (v.isErr()) return errAsync(v.error);
    }
    if (turnOptions.signal?.aborted === true)
      return errAsync(aborted("turnOptions.signal", "the turn was aborted before it started"));

    // 3. Run.
    report.start(threadId, thread.threadOptions.model ?? null);
    const started = await transport.startTurn({
      thread,
      input: valid.value.input,
      turnOptions,
      maxLineBytes: deps.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
    });
    if (started.isErr()) {
      // It never started (no binary, no temp file …): the turn.start still gets its stop.
      report.end(threadId, started.error, null, null);
      return errAsync(started.error);
    }
    const run = started.value;
    // The first reason the run was stopped for (a holder: the stops come from callbacks).
    const stopped: { first: TurnStop | null } = { first: null };
    const stop = (s: TurnStop) => {
      stopped.first ??= s;
      try {
        run.cancel(s.reason);
      } catch {
        // A caller's transport whose cancel throws: the stop still counts, and nothing escapes
        // from the timer, the abort listener or the consumer's return.
      }
    };
    cancelRun = stop;
    if (consumerLeft) stop({ reason: "consumer" });
    const onAbort = () => stop({ reason: "aborted" });
    turnOptions.signal?.addEventListener("abort", onAbort, { once: true });
    // An abort while the transport was starting fired no listener: it counts all the same.
    if (isAborted(turnOptions.signal)) stop({ reason: "aborted" });
    const timer =
      deadline !== undefined
        ? setTimeout(
            () => stop({ reason: "timeout", timeoutMs: deadline.timeoutMs }),
            Math.max(0, deadline.timeoutMs - (performance.now() - turnBegan)),
          )
        : undefined;

    // 4. Fold the events as they come.
    const { state, foldError } = await foldEvents(
      thread,
      run.events,
      (e) => out.push(e),
      stop,
      report,
    );
    const exit = await run.exit;
    turnOptions.signal?.removeEventListener("abort", onAbort);
    if (timer !== undefined) clearTimeout(timer);

    // 5. Decide.
    const failed = turnEndError({ foldError, stop: stopped.first, exit, phase: state.phase });
    let result: ResultAsync<TurnOutcome, TurnError>;
    if (failed !== null) result = errAsync(failed);
    else {
      // The thread the turn ran in (the fold checked the id the events gave; a new thread's).
      const ranIn = state.threadId ?? threadId;
      const after =
        state.phase === "completed"
          ? await safeObserve(
              observe,
              { ...thread, threadId: ThreadId.is(ranIn) ? ranIn : null },
              turnOptions.signal,
            )
          : null;
      const ctx = finishContextOf(turnOptions.outputSchema !== undefined, secret, after);
      const finished = finishTurn(thread, state, ctx);
      result = finished.isOk() ? okAsync(finished.value) : errAsync(finished.error);
    }
    const settled = await result;
    report.end(
      settled.isOk() ? settled.value.thread.threadId : (state.threadId ?? threadId),
      settled.isErr() ? settled.error : null,
      settled.isOk() ? settled.value.turn.usage : null,
      turnExitCode(exit),
    );
    return result;
  })().then(
    (r) => r,
    (e: unknown) => errAsync<TurnOutcome, TurnError>(defect("runTurn", e)),
  );
  const settledOutcome = new ResultAsync(outcome.then((r) => r).finally(() => out.close()));
  return { events: out.iterable, outcome: settledOutcome };
};
