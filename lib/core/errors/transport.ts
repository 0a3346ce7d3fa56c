/**
 * TransportError: what a persistent transport (`codex app-server`) and the thread lifecycle
 * calls return: the ShellError tags that mean the same thing (`TransportClosed`,
 * `ThreadNotFound`, `ThreadBusy`, `TimedOut`, `RpcFailed` …) and the input errors checked
 * before anything starts. `classifyRpcError` maps the server's error texts to the typed errors
 * (the server only uses -32600).
 */
import type { DecodingError } from "./thread.js";
import type { ShellError } from "./turn.js";
import { rpcFailed, threadBusy, threadNotFound } from "./make-shell.js";

/** The ShellError tags a transport shares with the exec shell. */
export type SharedShellError = Extract<
  ShellError,
  {
    readonly _tag:
      | "CodexNotFound"
      | "SpawnFailed"
      | "TransportClosed"
      | "TimedOut"
      | "Aborted"
      | "ThreadNotFound"
      | "ThreadBusy"
      | "RpcFailed"
      | "InvalidResponse"
      | "Unsupported"
      | "Defect";
  }
>;

/** Every error of a persistent transport and of the lifecycle calls made through it. */
export type TransportError =
  | SharedShellError
  | DecodingError<"InvalidOptions" | "InvalidApiKey" | "InvalidThreadId" | "NotAThread">;

/** The `_tag`s of TransportError. */
export type TransportErrorTag = TransportError["_tag"];

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
): SharedShellError => {
  if (threadId !== null && NOT_FOUND.test(error.message))
    return threadNotFound(
      threadId,
      `no session found for thread ${threadId} (${method}: ${error.message})`,
    );
  if (threadId !== null && BUSY.test(error.message) && !/no active turn/i.test(error.message))
    return threadBusy(
      threadId,
      `thread ${threadId} is busy; retry when it is done (${method}: ${error.message})`,
    );
  return rpcFailed(method, error.code, error.message);
};

/**
 * The ShellError for a TransportError, for the Transport seam (whose `startTurn` returns
 * ShellError): shell tags stay as they are (an RPC failure stays `RpcFailed`); an input error
 * that reaches a started turn (it should not: the runner checks first) is a `Defect`.
 */
export const toShellError = (e: TransportError): ShellError => {
  switch (e._tag) {
    case "InvalidOptions":
    case "InvalidApiKey":
    case "InvalidThreadId":
    case "NotAThread":
      return {
        _tag: "Defect",
        path: e.path,
        message: `unexpected input error at a started turn: ${e.message}`,
        thrown: e._tag,
      };
    default:
      return e;
  }
};
