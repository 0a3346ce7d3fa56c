/** The shapes of running a turn: its outcome, its streamed form, the observer and the deps. */
import type { ResultAsync } from "neverthrow";
import type { InputLimits } from "../../core/limits.js";
import type { ThreadEvent } from "../../core/events.js";
import type { TurnError } from "../../core/errors/index.js";
import type { FinishContext } from "../../core/fold.js";
import type { ObservedSession } from "../../core/resume-validator.js";
import type { Effects, TokenEffects } from "../../core/effects.js";
import type { Thread } from "../../core/thread.js";
import type { Turn } from "../../core/turn.js";
import type { Transport } from "../transport.js";

/** What a turn produced: the new Thread value (the old one is untouched) and the Turn. */
export interface TurnOutcome {
  readonly thread: Thread;
  readonly turn: Turn;
}

/** What the session store showed of a thread: its position and the metadata of its rollout. */
export interface SessionObservation {
  readonly observed: ObservedSession;
  readonly metadata?: FinishContext["metadata"];
  /** The last turn's own usage, as the session recorded it. */
  readonly turnUsage?: FinishContext["turnUsage"];
}

/**
 * Reads a thread's session (its rollout); null when there is none to read. `signal` aborts when
 * the turn is aborted or its deadline passes: the observer should stop (the turn does not wait).
 */
export type ObserveSession = (
  thread: Thread,
  opts?: { readonly signal?: AbortSignal },
) => Promise<SessionObservation | null>;

/** The effects a turn may use, all optional (the shared ones are documented on `Effects`). */
export interface RunDeps extends Pick<Effects, "sink" | "now" | "codexPath">, TokenEffects {
  /** How turns run (default: a `codex exec` per turn). */
  readonly transport?: Transport;
  /** The longest output line accepted, in bytes (default 64 MiB). */
  readonly maxLineBytes?: number;
  /** Reads the session store before and after a turn; `false` turns observation off. */
  readonly observe?: ObserveSession | false;
  /** Bounds on the thread, input and turn options, checked before they are read (see InputLimits). */
  readonly limits?: InputLimits;
}

/** A turn whose events can be read as they come. */
export interface StreamedTurn {
  /** The turn's events; never throws; leaving early aborts the turn. */
  readonly events: AsyncIterable<ThreadEvent>;
  /** The outcome, once the turn ends. */
  readonly outcome: ResultAsync<TurnOutcome, TurnError>;
}
