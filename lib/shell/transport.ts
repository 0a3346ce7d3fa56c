/**
 * The transport seam: how a turn's events are produced. `exec` spawns `codex exec` per turn;
 * `replay` feeds recorded JSONL; an app-server transport keeps one process for many turns.
 * The runner (run.ts) owns validation, the fold and telemetry; a transport only produces events.
 */
import type { Result, ResultAsync } from "neverthrow";
import type { DecodeError, ThreadEvent } from "../core/events.js";
import type { NormalizedInput } from "../core/input.js";
import type { ShellError } from "../core/errors/index.js";
import type { DepsError } from "./deps.js";
import type { TurnOptions } from "../core/options.js";
import type { Thread } from "../core/thread.js";
import type { TransportError } from "../core/errors/index.js";
import type { Link } from "./app-server/link.js";

/** What a transport is asked to run. */
export interface TransportTurnRequest {
  readonly thread: Thread;
  readonly input: NormalizedInput;
  readonly turnOptions: TurnOptions;
  /** Lines longer than this many bytes fail the turn with `LineTooLong`. */
  readonly maxLineBytes: number;
}

/** How a transport's turn ended, besides its events. */
export interface TransportExit {
  readonly exitCode: number | null;
  readonly signal: string | null;
}

/** Why a run is stopped from outside. */
export type CancelReason = "aborted" | "timeout" | "mismatch" | "consumer";

/** A running turn: its events as they come, and how it ended. */
export interface TransportRun {
  /** Called once per event, in order, as events arrive. */
  readonly events: AsyncIterable<ThreadEvent>;
  /**
   * Settles after the events end: Ok with the exit status, or the transport's error. It never
   * rejects.
   */
  readonly exit: Promise<
    | { readonly ok: true; readonly value: TransportExit }
    | { readonly ok: false; readonly error: ShellError | DecodeError }
  >;
  /** Stops the turn now (kills the child / interrupts); idempotent. */
  cancel(reason: CancelReason): void;
}

/**
 * What the lifecycle calls (fork, archive, list …) need of an app-server: its current link.
 * An app-server's transport carries it as `lifecycle`; `deps.server` hands it over explicitly.
 */
export interface LifecycleCapability {
  /** The live connection, or why there is none (closed, restarting). */
  readonly link: () => Result<Link, TransportError>;
}

/** A way of running turns. */
export interface Transport {
  /** A short name for telemetry: "exec", "app-server", "replay". */
  readonly kind: string;
  /** The app-server behind this transport, for the lifecycle calls; absent for the others. */
  readonly lifecycle?: LifecycleCapability;
  /**
   * Starts one turn; fails before any event when it cannot start (or, `InvalidOptions`, when
   * the transport was made with options it refused).
   */
  startTurn(request: TransportTurnRequest): ResultAsync<TransportRun, ShellError | DepsError>;
}
