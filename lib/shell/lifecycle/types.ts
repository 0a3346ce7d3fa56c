/** The shapes of the lifecycle calls: their errors, their deps and what each call may be given. */
import type { ResumeError, ShellError, ThreadError } from "../../core/errors/index.js";
import type { Effects } from "../../core/effects.js";
import type { CodexOptionsInput } from "../../core/options.js";
import type { TransportError } from "../../core/errors/index.js";
import type { AppServer } from "../app-server/open.js";
import type { Transport } from "../transport.js";

/**
 * Every error a lifecycle call returns: a transport's (the app-server path), the input errors
 * checked before anything starts, and any ShellError of the CLI path (it runs the codex CLI).
 */
export type LifecycleError =
  | TransportError
  | Extract<ThreadError, { readonly _tag: "InvalidThreadId" | "InvalidOptions" }>
  | ShellError;

/** What `forkThread` fails with: a lifecycle error, or the parent's token refused. */
export type ForkError = LifecycleError | ResumeError;

/** The telemetry a lifecycle call reports: one `TelemetryEvent` of this shape per call. */
export { LifecycleEvent } from "../../core/telemetry.js";

/**
 * The effects of a lifecycle call, all optional (the shared ones are documented on `Effects`;
 * the sink receives one LifecycleEvent per call; `secret` signs the continuation token of the
 * Thread `forkThread` returns: pass the one your turns use, so the fork's first turn verifies).
 */
/**
 * What the lifecycle calls may be given. `secret`, `acceptLegacyTokens` and `requireToken` are
 * the token policy `runTurn` applies: `forkThread` checks the parent's token under it (a thread
 * refused by a turn cannot be forked into one that passes) and signs the fork's token.
 */
export interface LifecycleDeps extends Pick<
  Effects,
  | "sink"
  | "now"
  | "codexPath"
  | "processEnv"
  | "secret"
  | "acceptLegacyTokens"
  | "requireToken"
  | "limits"
> {
  /**
   * The app-server the calls go to (what `openAppServer` returns): one request each on it. Its
   * sink is the default sink. Takes precedence over `transport`.
   */
  readonly server?: Pick<AppServer, "transport" | "sink">;
  /**
   * A transport: an app-server's (`server.transport`, or a copy of it) sends the calls to that
   * server; the exec transport, or none, runs the CLI.
   */
  readonly transport?: Transport;
  /** Client options for the CLI path (env, API key, config, binary); `forkThread` uses the thread's. */
  readonly codexOptions?: CodexOptionsInput;
  /** The longest a CLI call may take, in ms (default 60 s). */
  readonly timeoutMs?: number;
}

/** What `forkThread` may be given. */
export interface ForkOptions {
  /** Fork through this turn (inclusive); later turns are left out. App-server only. */
  readonly lastTurnId?: string;
}

/** What `readThread` may be given. */
export interface ReadOptions {
  /** Also return the turns and their items (default false). */
  readonly includeTurns?: boolean;
}

/** What `listThreads` filters on. */
export interface ListThreadsQuery {
  /** true: only archived threads; false or absent: only the others. */
  readonly archived?: boolean;
  /** Only threads whose working directory is exactly this. */
  readonly cwd?: string;
  /** A page's `nextCursor`, to read the next page. */
  readonly cursor?: string;
  /** The page size (1 to 1000; default: the server's). */
  readonly limit?: number;
  /** Only threads whose title contains this. */
  readonly searchTerm?: string;
}
