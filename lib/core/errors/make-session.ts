/** One typed constructor per `_tag` of a SessionError (the session store, rollouts, archives). */
import type { Issue } from "./thread.js";
import type { ArchiveError, ConflictReason, SessionNotFound, SessionProblem } from "./session.js";
import { listIssues, type Of } from "./make.js";

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
