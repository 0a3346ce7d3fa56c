/**
 * One typed constructor per `_tag`: every error codex-fp returns is built here, never inline.
 * Grouped by the union each tag belongs to: thread, fold and event lines here; the shell's in
 * `make-shell.ts`, the session store's in `make-session.ts`.
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
import type { DecodeError, FoldError, ViolationKind } from "./turn.js";

/** Every issue as `path: message`, joined with "; ". */
export const listIssues = (issues: readonly Issue[]): string =>
  issues.map((i) => `${i.path}: ${i.message}`).join("; ");

/** The member of the union `U` with the tag `Tag`. */
export type Of<U, Tag> = Extract<U, { readonly _tag: Tag }>;

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
