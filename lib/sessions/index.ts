/**
 * codex-fp/sessions: the CLI's session store (list, find, read, observe rollouts), resuming the
 * last session, and portable session archives (export, import, deltas).
 *
 * @module codex-fp/sessions
 */
export {
  listSessions,
  findSession,
  lastSession,
  readSession,
  observeSession,
  SESSION_READ_LIMITS,
  type SessionStoreOptions,
  type SessionReadOptions,
  type SessionListing,
} from "../shell/sessions.js";
export { applyDelta, relate, baseOf, endOf, observedFrom } from "../core/checked/sessions.js";
export { resolveCodexHome } from "../shell/sessions/codex-home.js";
export { resumeLast, type ResumeLastOptions } from "../shell/resume-last.js";
export {
  exportSession,
  importSession,
  type ExportOptions,
  type ImportOptions,
} from "../shell/archive.js";
export {
  SessionArchive,
  ArchivePoint,
  ArchivePosition,
  ArchiveSince,
  ArchiveEncoding,
  SESSION_ARCHIVE_FORMAT,
  decodeArchive,
  type ArchiveRelation,
  type LocalView,
} from "../core/archive.js";
export { type ArchiveError, type ConflictReason } from "../core/errors/index.js";
export {
  SessionSummary,
  summarizeRollout,
  parseRolloutLine,
  parseRolloutName,
  type RolloutLine,
} from "../core/rollout.js";
export type { SessionError, SessionProblem, SessionErrorTag } from "../core/errors/index.js";
