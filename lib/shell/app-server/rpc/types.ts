/** The shapes of a JSON-RPC connection to a `codex app-server`: options, signals, the connection. */
import type { ResultAsync } from "neverthrow";
import type { TransportError } from "../../../core/errors/index.js";
import type { InvalidNote, RpcMethod, RpcParams, RpcResult, ServerNote } from "../protocol.js";

/** How a connection behaves. */
export interface RpcOptions {
  /** How long a request may wait for its answer (ms). */
  readonly requestTimeoutMs: number;
  /** Lines longer than this many bytes close the connection. */
  readonly maxLineBytes: number;
  /** Values redacted from every message before anything reads it (a key the server echoes). */
  readonly secrets: readonly string[];
}

/** What a thread's subscriber is told: a decoded notification, an undecodable one, or the end. */
export type ThreadSignal =
  ServerNote | InvalidNote | { readonly method: "closed"; readonly error: TransportError };

/** Per-request options. */
export interface RequestOptions {
  /** Overrides the connection's request time-out. */
  readonly timeoutMs?: number;
  /** The thread the request is about: not-found and busy answers name it. */
  readonly threadId?: string | null;
}

/** A live JSON-RPC connection to one app-server process. */
export interface RpcConnection {
  /** The server's process id. */
  readonly pid: number | null;
  /** True once the process has gone (or `close` was called). */
  isClosed(): boolean;
  /** Sends a request; its decoded result, or a typed error. Never rejects. */
  request<M extends RpcMethod>(
    method: M,
    params: RpcParams<M>,
    options?: RequestOptions,
  ): ResultAsync<RpcResult<M>, TransportError>;
  /** Sends a notification (only `initialized` exists). */
  notify(method: "initialized"): void;
  /** Routes `threadId`'s notifications to `listener` until the returned function is called. */
  subscribe(threadId: string, listener: (s: ThreadSignal) => void): () => void;
  /** Sees every decoded thread-state notification (status, usage, started, closed …). */
  onNote(listener: (n: ServerNote) => void): () => void;
  /** Called once when the connection ends (at once if it already has). */
  onClose(listener: (error: TransportError) => void): () => void;
  /** Keeps the Node event loop alive while held (a turn or request in flight). */
  hold(): () => void;
  /** Ends stdin, waits up to `graceMs` for the server to exit, then kills its process group. */
  close(graceMs: number): Promise<void>;
}
