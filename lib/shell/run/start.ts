/**
 * One turn from start to end: validate → (resumed thread with a token) observe the session and
 * run the resume validator → start the transport → fold the events as they come → decide
 * (lib/core/turn-end) → the new Thread and the Turn, with its telemetry.
 */
import { randomUUID } from "node:crypto";
import { ResultAsync, errAsync, okAsync } from "neverthrow";
import type { ThreadEvent } from "../../core/events.js";
import { aborted, defect, timedOut, type TurnError } from "../../core/errors/index.js";
import { finishTurn } from "../../core/fold.js";
import { validateResume } from "../../core/resume-validator.js";
import type { TelemetrySink } from "../../core/telemetry.js";
import type { Thread } from "../../core/thread.js";
import { finishContextOf, turnEndError, turnExitCode } from "../../core/turn-end.js";
import { execTransport } from "../exec-transport.js";
import { createChannel } from "../internal/channel.js";
import type { CancelReason } from "../transport.js";
import { takeDeps } from "./deps.js";
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
  const taken = takeDeps(depsArg);
  const deps: RunDeps = taken.isOk() ? taken.value : {};
  const given = deps.sink;
  const sink: TelemetrySink | undefined =
    typeof given !== "function" ? undefined : (e) => given({ ...e, correlationId });
  const now = typeof deps.now === "function" ? deps.now : () => new Date();
  const transport =
    deps.transport ??
    execTransport({ ...(deps.codexPath !== undefined ? { codexPath: deps.codexPath } : {}) });
  const observe = deps.observe === false ? null : (deps.observe ?? observeFromStore);
  let cancelRun: ((r: CancelReason) => void) | null = null;
  let consumerLeft = false;
  const out = createChannel<ThreadEvent>(() => {
    consumerLeft = true;
    cancelRun?.("consumer");
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
    const deadline =
      turnOptions.timeoutMs !== undefined ? AbortSignal.timeout(turnOptions.timeoutMs) : undefined;
    const observing = AbortSignal.any(
      [turnOptions.signal, deadline].filter((x): x is AbortSignal => x !== undefined),
    );

    // 2. A resumed thread with a token: the session must be where the token says.
    if (threadId !== null && (thread.continuationToken !== null || requireToken)) {
      const seen = await safeObserve(observe, thread, observing);
      if (deadline?.aborted === true && turnOptions.signal?.aborted !== true)
        return errAsync(
          timedOut(
            "turnOptions.timeoutMs",
            turnOptions.timeoutMs ?? 0,
            `the turn took longer than ${turnOptions.timeoutMs ?? 0} ms (reading its session) and was stopped`,
          ),
        );
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
    let stopReason: CancelReason | null = null;
    const stop = (r: CancelReason) => {
      if (stopReason === null) stopReason = r;
      run.cancel(r);
    };
    cancelRun = stop;
    if (consumerLeft) stop("consumer");
    const onAbort = () => stop("aborted");
    turnOptions.signal?.addEventListener("abort", onAbort, { once: true });
    // An abort while the transport was starting fired no listener: it counts all the same.
    if (isAborted(turnOptions.signal)) stop("aborted");
    const timer =
      turnOptions.timeoutMs !== undefined
        ? setTimeout(
            () => stop("timeout"),
            Math.max(0, turnOptions.timeoutMs - (performance.now() - turnBegan)),
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
    const failed = turnEndError({
      foldError,
      stopReason: stopReason as CancelReason | null,
      exit,
      phase: state.phase,
      ...(turnOptions.timeoutMs !== undefined ? { timeoutMs: turnOptions.timeoutMs } : {}),
    });
    let result: ResultAsync<TurnOutcome, TurnError>;
    if (failed !== null) result = errAsync(failed);
    else {
      const after =
        state.phase === "completed"
          ? await safeObserve(
              observe,
              { ...thread, threadId: (state.threadId ?? threadId) as Thread["threadId"] },
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
