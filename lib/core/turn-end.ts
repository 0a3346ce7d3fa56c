/**
 * How a started turn ends, decided from what was seen: the fold's error, why the run was
 * stopped, how the transport exited and the fold's phase. Pure: the runner (shell/run) gathers
 * these and asks here whether the turn failed or is to be finished.
 */
import type { DecodeError } from "./events.js";
import {
  resumeMismatch,
  stoppedError,
  type FoldError,
  type ShellError,
  type ThreadError,
  type TurnError,
  type TurnStop,
} from "./errors/index.js";
import type { FinishContext, TurnPhase } from "./fold.js";
import type { ObservedSession } from "./resume-validator.js";

/** Why a run was stopped from outside (the transport's `CancelReason`). */
export type StopReason = TurnStop["reason"];

/** How the transport's side of a turn ended: its exit status, or its error. */
export type TurnExit =
  | { readonly ok: true; readonly value: { readonly exitCode: number | null } }
  | { readonly ok: false; readonly error: ShellError | DecodeError };

/** What a started turn's end is decided from. */
export interface TurnEnd {
  /** The first error the fold returned (the run was stopped then), or null. */
  readonly foldError: TurnError | null;
  /** Why the run was stopped from outside (a time-out with its limit), or null when it ran to its end. */
  readonly stop: TurnStop | null;
  /** How the transport ended. */
  readonly exit: TurnExit;
  /** The fold's phase when the events ended. */
  readonly phase: TurnPhase;
}

/**
 * The error a turn that ended this way fails with, or null when it is to be finished (the
 * fold completed, or failed with a `turn.failed` the CLI also exited non-zero for).
 */
export const turnEndError = (end: TurnEnd): TurnError | null => {
  if (end.foldError !== null) return end.foldError;
  if (end.stop !== null && end.stop.reason !== "mismatch") return stoppedError(end.stop);
  if (!end.exit.ok && !(end.phase === "failed" && end.exit.error._tag === "ExecFailed"))
    return end.exit.error;
  return null;
};

/** The exit code a turn's stop reports: the process's, or an `ExecFailed`'s; else null. */
export const turnExitCode = (exit: TurnExit): number | null =>
  exit.ok ? exit.value.exitCode : exit.error._tag === "ExecFailed" ? exit.error.exitCode : null;

/**
 * The fold's error as the turn reports it: a resumed thread whose CLI started another thread
 * is a `ResumeMismatch`; any other fold error is itself.
 */
export const foldFailure = (v: FoldError | ThreadError, resumedId: string | null): TurnError =>
  v._tag === "ProtocolViolation" && v.violation === "thread_id_changed" && resumedId !== null
    ? resumeMismatch(
        resumedId,
        v.actualThreadId ?? "",
        `asked to resume ${resumedId} but the CLI started a new thread ${v.actualThreadId ?? "?"}; it was stopped`,
      )
    : v;

/** What the session showed after the turn, as the finish needs it. */
export interface SessionAfter {
  readonly observed: ObservedSession;
  readonly metadata?: FinishContext["metadata"];
  readonly turnUsage?: FinishContext["turnUsage"];
}

/** The finish context of a turn: structured or not, the secret, and what the session showed. */
export const finishContextOf = (
  structured: boolean,
  secret: string | undefined,
  after: SessionAfter | null,
): FinishContext => {
  const position =
    after !== null && after.observed.completedTurns !== undefined
      ? {
          completedTurns: after.observed.completedTurns,
          lastTurnId: after.observed.lastTurnId ?? null,
        }
      : undefined;
  return {
    structured,
    ...(secret !== undefined ? { secret } : {}),
    ...(position !== undefined ? { position } : {}),
    ...(after?.metadata !== undefined ? { metadata: after.metadata } : {}),
    ...(after?.turnUsage !== undefined ? { turnUsage: after.turnUsage } : {}),
  };
};
