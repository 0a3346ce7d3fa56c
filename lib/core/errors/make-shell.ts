/** One typed constructor per `_tag` of a ShellError (processes, servers, cancellation, defects). */
import type { Issue } from "./thread.js";
import type { InvalidResponse, RpcFailed, ShellError, Unsupported, Defect } from "./turn.js";
import { listIssues, type Of } from "./make.js";

// ---------------------------------------------------------------------------------------------
// ShellError

/** `CodexNotFound`: no `codex` binary where `path` pointed. */
export const codexNotFound = (path: string, message: string): Of<ShellError, "CodexNotFound"> => ({
  _tag: "CodexNotFound",
  path,
  message,
});

/** `SpawnFailed`: the process (or server) could not be started. */
export const spawnFailed = (path: string, message: string): Of<ShellError, "SpawnFailed"> => ({
  _tag: "SpawnFailed",
  path,
  message,
});

/** `ExecFailed`: `codex` exited unsuccessfully. */
export const execFailed = (
  message: string,
  exitCode: number | null,
  signal: string | null,
  stderrTail: string,
): Of<ShellError, "ExecFailed"> => ({
  _tag: "ExecFailed",
  path: "codex",
  message,
  exitCode,
  signal,
  stderrTail,
});

/** `ThreadNotFound`: the CLI has no session for `threadId`. */
export const threadNotFound = (
  threadId: string,
  message = `no session found for thread ${threadId}`,
): Of<ShellError, "ThreadNotFound"> => ({
  _tag: "ThreadNotFound",
  path: "threadId",
  message,
  threadId,
});

/** `ThreadBusy`: another writer holds the thread; retryable. */
export const threadBusy = (threadId: string, message: string): Of<ShellError, "ThreadBusy"> => ({
  _tag: "ThreadBusy",
  path: "threadId",
  message,
  threadId,
  retryable: true,
});

/** `ResumeMismatch`: asked to resume one thread, the producer started another. */
export const resumeMismatch = (
  expectedThreadId: string,
  actualThreadId: string,
  message: string,
): Of<ShellError, "ResumeMismatch"> => ({
  _tag: "ResumeMismatch",
  path: "threadId",
  message,
  expectedThreadId,
  actualThreadId,
});

/** `Aborted`: the `AbortSignal` at `path` (e.g. `turnOptions.signal`) stopped the call. */
export const aborted = (path: string, message: string): Of<ShellError, "Aborted"> => ({
  _tag: "Aborted",
  path,
  message,
});

/** `TimedOut`: the call took longer than `timeoutMs` (the limit set at `path`). */
export const timedOut = (
  path: string,
  timeoutMs: number,
  message: string,
): Of<ShellError, "TimedOut"> => ({ _tag: "TimedOut", path, message, timeoutMs });

/**
 * `TimedOut` of a turn: it took longer than its `turnOptions.timeoutMs` (the limit that was set,
 * never a stand-in); `during` says where it was when the time ran out (e.g. " (reading its
 * session)").
 */
export const turnTimedOut = (timeoutMs: number, during = ""): Of<ShellError, "TimedOut"> =>
  timedOut(
    "turnOptions.timeoutMs",
    timeoutMs,
    `the turn took longer than ${timeoutMs} ms${during} and was stopped`,
  );

/**
 * Why a turn was stopped from outside: its time-out (with the limit that was set), the caller's
 * signal, the consumer leaving the event stream, or a resume that reached another thread.
 */
export type TurnStop =
  | { readonly reason: "timeout"; readonly timeoutMs: number }
  | { readonly reason: "aborted" | "mismatch" | "consumer" };

/**
 * The error of a turn stopped from outside: `TimedOut` with its real limit, or `Aborted` at the
 * path that stopped it (`turnOptions.signal`, `events`, `threadId`).
 */
export const stoppedError = (stop: TurnStop): Of<ShellError, "TimedOut" | "Aborted"> => {
  switch (stop.reason) {
    case "timeout":
      return turnTimedOut(stop.timeoutMs);
    case "consumer":
      return aborted("events", "the event stream was left early; the turn was stopped");
    case "mismatch":
      return aborted("threadId", "the turn was stopped: it did not resume the thread asked for");
    case "aborted":
      return aborted("turnOptions.signal", "the turn was aborted");
  }
};

/**
 * The error of a transport's turn cancelled for `reason` (the Transport seam's cancel reasons),
 * given the turn's `timeoutMs`. The runner only times out a turn that set a limit; a "timeout"
 * with none (a caller of the seam cancelling so on its own) has no limit to report, and is an
 * `Aborted` at `turnOptions.timeoutMs` rather than a `TimedOut` with a made-up one.
 */
export const cancelledError = (
  reason: TurnStop["reason"],
  timeoutMs: number | undefined,
): Of<ShellError, "TimedOut" | "Aborted"> =>
  reason !== "timeout"
    ? stoppedError({ reason })
    : timeoutMs !== undefined
      ? turnTimedOut(timeoutMs)
      : aborted("turnOptions.timeoutMs", "the turn was stopped as timed out, but it set no limit");

/** `LineTooLong`: a line of output at `path` is longer than `limit` bytes. */
export const lineTooLong = (
  path: string,
  limit: number,
  message: string,
): Of<ShellError, "LineTooLong"> => ({
  _tag: "LineTooLong",
  path,
  message,
  limit,
});

/** `TempFileFailed`: a temporary file (the output schema) could not be written. */
export const tempFileFailed = (
  path: string,
  message: string,
): Of<ShellError, "TempFileFailed"> => ({
  _tag: "TempFileFailed",
  path,
  message,
});

/** `TransportClosed`: the transport closed before the call ended. */
export const transportClosed = (message: string): Of<ShellError, "TransportClosed"> => ({
  _tag: "TransportClosed",
  path: "transport",
  message,
});

/** `RpcFailed`: the server answered `method` with a JSON-RPC error. */
export const rpcFailed = (method: string, code: number, error: string): RpcFailed => ({
  _tag: "RpcFailed",
  path: `rpc.${method}`,
  message: `${method} failed: ${error} (code ${code})`,
  method,
  code,
});

/**
 * `InvalidResponse`: the answer to `method` does not match its codec (or, saying `what`, cannot
 * be used otherwise); the first 3 issues shown.
 */
export const invalidResponse = (
  method: string,
  issues: readonly Issue[],
  what = `the ${method} answer does not match its codec`,
): InvalidResponse => ({
  _tag: "InvalidResponse",
  path: `rpc.${method}`,
  message: `${what}: ${listIssues(issues.slice(0, 3))}`,
  method,
  issues,
});

/** `Unsupported`: `operation` cannot be done over `transport`. */
export const unsupported = (operation: string, transport: string, why: string): Unsupported => ({
  _tag: "Unsupported",
  path: "transport",
  message: `${operation} is not supported over ${transport}: ${why}`,
  operation,
  transport,
});

/**
 * What was thrown, for a `Defect`: an Error's name and the first line of its message (cut at
 * 200 characters; no stack, no properties), or only the kind of anything else, whose contents
 * are never shown (they could hold a secret).
 */
export const describeThrown = (e: unknown): string => {
  if (e instanceof Error) {
    const first = String(e.message).split("\n")[0] ?? "";
    return `${e.name}: ${first.length > 200 ? `${first.slice(0, 200)}…` : first}`;
  }
  return e === null ? "null" : typeof e;
};

/**
 * `Defect`: something threw where nothing should (a bug), caught at `path` (the call or step);
 * `redact` hides secrets the caller knows of in the description.
 */
export const defect = (
  path: string,
  thrown: unknown,
  redact: (s: string) => string = (s) => s,
): Defect => {
  const described = redact(describeThrown(thrown));
  return {
    _tag: "Defect",
    path,
    message: `unexpected failure (a defect): ${described}`,
    thrown: described,
  };
};
