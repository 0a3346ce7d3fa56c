/** The shapes of the lifecycle calls: their errors, their deps and what each call may be given. */
import type { ShellError, ThreadError } from "../../core/errors.js";
import type { TelemetrySink } from "../../core/telemetry.js";
import type { TransportError } from "../../core/transport-errors.js";
import type { Transport } from "../transport.js";

/** Every error a lifecycle call returns. */
export type LifecycleError =
  | TransportError
  | Extract<ThreadError, { readonly _tag: "InvalidThreadId" | "InvalidOptions" }>
  | Extract<ShellError, { readonly _tag: "ExecFailed" }>;

/** The telemetry a lifecycle call reports: one `TelemetryEvent` of this shape per call. */
export { LifecycleEvent } from "../../core/telemetry.js";

/** The effects of a lifecycle call, all optional. */
export interface LifecycleDeps {
  /** An app-server transport (`server.transport`): calls go to that server. Else the CLI. */
  readonly transport?: Transport;
  /** Client options for the CLI path (env, API key, config, binary); `forkThread` uses the thread's. */
  readonly codexOptions?: unknown;
  /** The codex binary for the CLI path (loses to `codexPathOverride`). */
  readonly codexPath?: string;
  /** The environment inherited when the options have no `env` (default: process.env). */
  readonly processEnv?: Readonly<Record<string, string | undefined>>;
  /** Receives one LifecycleEvent per call (a sink throwing is ignored). */
  readonly sink?: TelemetrySink;
  /** The clock for telemetry timestamps (default: the system clock). */
  readonly now?: () => Date;
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
