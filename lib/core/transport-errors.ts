/**
 * TransportError: what a persistent transport (`codex app-server`) and the thread lifecycle
 * calls return. It reuses the ShellError tags that mean the same thing (`TransportClosed`,
 * `ThreadNotFound`, `ThreadBusy`, `TimedOut` …) and adds three of its own: `RpcFailed` (the
 * server answered a request with a JSON-RPC error), `InvalidResponse` (an answer that does not
 * match its generated codec) and `Unsupported` (the transport cannot do this at all).
 * `classifyRpcError` maps the server's error texts to the typed errors (it only uses -32600).
 */
import type { Issue, ShellError, ThreadError } from "./errors.js";

/** The ShellError tags a transport shares with the exec shell. */
export type SharedShellError = Extract<
  ShellError,
  {
    readonly _tag:
      | "CodexNotFound"
      | "SpawnFailed"
      | "TransportClosed"
      | "TimedOut"
      | "ThreadNotFound"
      | "ThreadBusy";
  }
>;

/** A JSON-RPC error answer the other tags do not cover. */
export interface RpcFailed {
  readonly _tag: "RpcFailed";
  readonly path: string;
  readonly message: string;
  /** The request's method, e.g. `thread/delete`. */
  readonly method: string;
  /** The JSON-RPC error code (the server uses -32600 for almost everything). */
  readonly code: number;
}

/** A response or notification that does not match its generated codec. */
export interface InvalidResponse {
  readonly _tag: "InvalidResponse";
  readonly path: string;
  readonly message: string;
  readonly method: string;
  readonly issues: readonly Issue[];
}

/** An operation the chosen transport cannot perform (e.g. `listThreads` over `codex exec`). */
export interface Unsupported {
  readonly _tag: "Unsupported";
  readonly path: string;
  readonly message: string;
  readonly operation: string;
  readonly transport: string;
}

/** Every error of a persistent transport and of the lifecycle calls made through it. */
export type TransportError =
  | SharedShellError
  | Extract<ThreadError, { readonly _tag: "InvalidOptions" | "InvalidApiKey" }>
  | RpcFailed
  | InvalidResponse
  | Unsupported;

/** The `_tag`s of TransportError. */
export type TransportErrorTag = TransportError["_tag"];

/** `TransportClosed` with a reason. */
export const transportClosed = (message: string): TransportError => ({
  _tag: "TransportClosed",
  path: "transport",
  message,
});

/** `Unsupported` for `operation` over `transport`. */
export const unsupported = (operation: string, transport: string, why: string): Unsupported => ({
  _tag: "Unsupported",
  path: "transport",
  message: `${operation} is not supported over ${transport}: ${why}`,
  operation,
  transport,
});

const NOT_FOUND =
  /no (archived )?rollout found for thread id|thread not found|thread not loaded|no active or archived session found|invalid session id|session \S+ is archived/i;
const BUSY = /already has an active writer|active turn|thread is busy/i;

/**
 * The typed error for a JSON-RPC error answer to `method` about `threadId` (null when the
 * request names no thread): not-found and busy texts become `ThreadNotFound` / `ThreadBusy`
 * (the server only uses -32600, so only the text tells them apart); the rest `RpcFailed`.
 */
export const classifyRpcError = (
  method: string,
  threadId: string | null,
  error: { readonly code: number; readonly message: string },
): TransportError => {
  if (threadId !== null && NOT_FOUND.test(error.message))
    return {
      _tag: "ThreadNotFound",
      path: "threadId",
      message: `no session found for thread ${threadId} (${method}: ${error.message})`,
      threadId,
    };
  if (threadId !== null && BUSY.test(error.message) && !/no active turn/i.test(error.message))
    return {
      _tag: "ThreadBusy",
      path: "threadId",
      message: `thread ${threadId} is busy; retry when it is done (${method}: ${error.message})`,
      threadId,
      retryable: true,
    };
  return {
    _tag: "RpcFailed",
    path: `rpc.${method}`,
    message: `${method} failed: ${error.message} (code ${error.code})`,
    method,
    code: error.code,
  };
};

/**
 * The closest ShellError for a TransportError, for the Transport seam (whose `startTurn`
 * returns ShellError): `RpcFailed`, `InvalidResponse`, `Unsupported` and option errors become
 * `SpawnFailed` (the turn could not be started) with the same message.
 */
export const toShellError = (e: TransportError): ShellError => {
  switch (e._tag) {
    case "RpcFailed":
    case "InvalidResponse":
    case "Unsupported":
    case "InvalidOptions":
    case "InvalidApiKey":
      return { _tag: "SpawnFailed", path: e.path, message: e.message };
    default:
      return e;
  }
};
