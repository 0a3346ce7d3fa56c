/**
 * One typed constructor per `_tag`: every error codex-fp returns is built here, never inline.
 * Grouped by the union each tag belongs to (thread, fold, event lines, shell, session store).
 * Decoding errors are built through `decode.ts` (the one path from issues to an error).
 */
import type {
  ContinuationMismatch,
  DecodingError,
  DecodingErrorTag,
  Issue,
  MismatchReason,
  MissingSecrets,
  Position,
  SessionMissing,
} from "./thread.js";
import type {
  DecodeError,
  Defect,
  FoldError,
  InvalidResponse,
  RpcFailed,
  ShellError,
  Unsupported,
  ViolationKind,
} from "./turn.js";
import type { ArchiveError, ConflictReason, SessionNotFound, SessionProblem } from "./session.js";

/** Every issue as `path: message`, joined with "; ". */
export const listIssues = (issues: readonly Issue[]): string =>
  issues.map((i) => `${i.path}: ${i.message}`).join("; ");

type Of<U, Tag> = Extract<U, { readonly _tag: Tag }>;

// ---------------------------------------------------------------------------------------------
// ThreadError

/** A decoding error at `path` saying `what`; the message lists every issue. */
export const decodingError = <Tag extends DecodingErrorTag>(
  _tag: Tag,
  path: string,
  what: string,
  issues: readonly Issue[],
): DecodingError<Tag> => ({ _tag, path, message: `${what}: ${listIssues(issues)}`, issues });

/** A decoding error with one issue, at that issue's path. */
export const invalidAt = <Tag extends DecodingErrorTag>(
  _tag: Tag,
  path: string,
  what: string,
  message: string,
): DecodingError<Tag> => decodingError(_tag, path, what, [{ path, message }]);

/** `ContinuationMismatch`: the token does not fit the thread or the observed session. */
export const continuationMismatch = (
  reason: MismatchReason,
  message: string,
  threadId: string | null,
  expected: Position | null,
  observed: Position | null,
): ContinuationMismatch => ({
  _tag: "ContinuationMismatch",
  path: "thread.continuationToken",
  message,
  reason,
  threadId,
  expected,
  observed,
});

/** `SessionMissing`: the token-bearing thread's session is not in `store`. */
export const sessionMissing = (
  threadId: string | null,
  store: string,
  expected: Position | null,
  message: string,
): SessionMissing => ({
  _tag: "SessionMissing",
  path: "thread.threadId",
  message,
  threadId,
  store,
  expected,
});

/** `MissingSecrets`: a serialized thread lists secrets (`paths`) that were not supplied. */
export const missingSecrets = (paths: readonly string[]): MissingSecrets => ({
  _tag: "MissingSecrets",
  path: "secrets",
  message: `the serialized thread left out secrets that were not supplied: ${paths.join(", ")}`,
  paths,
});

// ---------------------------------------------------------------------------------------------
// FoldError

/** `TurnFailed`: the producer reported the turn failed (`error` as it gave it). */
export const turnFailed = (
  message: string,
  error: Readonly<Record<string, unknown>>,
): Of<FoldError, "TurnFailed"> => ({ _tag: "TurnFailed", path: "turn", message, error });

/** `ProtocolViolation`: the events broke the protocol. */
export const protocolViolation = (
  violation: ViolationKind,
  message: string,
  expectedThreadId: string | null,
  actualThreadId: string | null,
): Of<FoldError, "ProtocolViolation"> => ({
  _tag: "ProtocolViolation",
  path: "events",
  message,
  violation,
  expectedThreadId,
  actualThreadId,
});

/** `InvalidStructuredOutput`: the turn had an output schema and its final response is not JSON. */
export const invalidStructuredOutput = (
  message: string,
): Of<FoldError, "InvalidStructuredOutput"> => ({
  _tag: "InvalidStructuredOutput",
  path: "turn.finalResponse",
  message,
});

// ---------------------------------------------------------------------------------------------
// DecodeError (the CLI's event lines)

/** `InvalidJson`: a line of output is not JSON. */
export const invalidJson = (message: string): Of<DecodeError, "InvalidJson"> => ({
  _tag: "InvalidJson",
  path: "line",
  message,
});

/**
 * `InvalidEvent`: JSON, but not a valid `eventType` event; at the first issue's path (else
 * `where`). The message says `what` and lists the first `shown` issues (all by default).
 */
export const invalidEvent = (
  eventType: string | null,
  issues: readonly Issue[],
  where = "event",
  what = `invalid ${eventType ?? "event"} event`,
  shown = issues.length,
): Of<DecodeError, "InvalidEvent"> => ({
  _tag: "InvalidEvent",
  path: issues[0]?.path ?? where,
  message: `${what}: ${listIssues(issues.slice(0, shown))}`,
  eventType,
  issues,
});

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
 * The error of a turn stopped from outside, by why (the transport seam's cancel reasons): the
 * time-out (`TimedOut`, with the limit `timeoutMs` that was set), the caller's signal, the
 * consumer leaving the event stream, or a resume that reached another thread (`Aborted`, each at
 * the path that stopped it).
 */
export const cancelledError = (
  reason: "aborted" | "timeout" | "mismatch" | "consumer",
  timeoutMs: number | undefined,
): Of<ShellError, "TimedOut" | "Aborted"> => {
  switch (reason) {
    case "timeout":
      return timedOut(
        "turnOptions.timeoutMs",
        timeoutMs ?? 0,
        `the turn took longer than ${timeoutMs ?? 0} ms and was stopped`,
      );
    case "consumer":
      return aborted("events", "the event stream was left early; the turn was stopped");
    case "mismatch":
      return aborted("threadId", "the turn was stopped: it did not resume the thread asked for");
    case "aborted":
      return aborted("turnOptions.signal", "the turn was aborted");
  }
};

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

/** `InvalidResponse`: the answer to `method` does not match its codec (the first 3 issues shown). */
export const invalidResponse = (method: string, issues: readonly Issue[]): InvalidResponse => ({
  _tag: "InvalidResponse",
  path: `rpc.${method}`,
  message: `the ${method} answer does not match its codec: ${listIssues(issues.slice(0, 3))}`,
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

// ---------------------------------------------------------------------------------------------
// SessionError

/** `StoreUnreadable`: a folder of the store cannot be read. */
export const storeUnreadable = (
  path: string,
  message: string,
  code: string | null,
): Of<SessionProblem, "StoreUnreadable"> => ({ _tag: "StoreUnreadable", path, message, code });

/** `SessionUnreadable`: a rollout file cannot be opened or read. */
export const sessionUnreadable = (
  path: string,
  message: string,
  code: string | null,
): Of<SessionProblem, "SessionUnreadable"> => ({ _tag: "SessionUnreadable", path, message, code });

/** `InvalidRollout`: the file's first line is not a readable `session_meta`; lists every issue. */
export const invalidRollout = (
  path: string,
  issues: readonly Issue[],
): Of<SessionProblem, "InvalidRollout"> => ({
  _tag: "InvalidRollout",
  path,
  message: `not a readable rollout: ${listIssues(issues)}`,
  issues,
});

/** `DamagedRollout`: unreadable lines, or an incomplete last line. */
export const damagedRollout = (
  path: string,
  message: string,
  unreadableLines: number,
  truncated: boolean,
): Of<SessionProblem, "DamagedRollout"> => ({
  _tag: "DamagedRollout",
  path,
  message,
  unreadableLines,
  truncated,
});

/** `ForeignFile`: something under `sessions/` that is not a rollout. */
export const foreignFile = (path: string, message: string): Of<SessionProblem, "ForeignFile"> => ({
  _tag: "ForeignFile",
  path,
  message,
});

/** `UnsupportedRollout`: a rollout in a format not read here. */
export const unsupportedRollout = (
  path: string,
  message: string,
): Of<SessionProblem, "UnsupportedRollout"> => ({ _tag: "UnsupportedRollout", path, message });

/** `SessionNotFound`: no rollout for `threadId` (null: `lastSession`, for `cwd`) in `store`. */
export const sessionNotFound = (
  store: string,
  message: string,
  threadId: string | null,
  cwd: string | null,
): SessionNotFound => ({ _tag: "SessionNotFound", path: store, message, threadId, cwd });

/** `InvalidArchive`: an archive that does not decode, decompress or verify; lists every issue. */
export const invalidArchive = (issues: readonly Issue[]): Of<ArchiveError, "InvalidArchive"> => ({
  _tag: "InvalidArchive",
  path: issues[0]?.path ?? "archive",
  message: `not a valid session archive: ${listIssues(issues)}`,
  issues,
});

const conflictSays: Record<ConflictReason, string> = {
  ahead: "the local rollout is ahead of the archive (it holds more turns); it was left alone",
  behind: "the local rollout is behind the point given as `since`",
  diverged: "the local rollout and the archive have different histories; it was left alone",
  missing_base: "the local rollout does not hold the base this delta applies to",
};

/** `ArchiveConflict`: says what was found and that nothing changed. */
export const archiveConflict = (
  path: string,
  threadId: string,
  reason: ConflictReason,
  localLength: number,
  range: { baseLength: number; length: number },
): Of<ArchiveError, "ArchiveConflict"> => ({
  _tag: "ArchiveConflict",
  path,
  message: `${conflictSays[reason]} (thread ${threadId}: local ${localLength} bytes, archive ${range.baseLength}–${range.length})`,
  threadId,
  reason,
  localLength,
  archive: range,
});

/** `ArchiveWriteFailed`: a rollout could not be written at `path`. */
export const archiveWriteFailed = (
  path: string,
  message: string,
  code: string | null,
): Of<ArchiveError, "ArchiveWriteFailed"> => ({ _tag: "ArchiveWriteFailed", path, message, code });
