/**
 * codex-fp/sessions: the CLI's session store (list, find, read, observe rollouts), resuming the
 * last session, and portable session archives (export, import, deltas). Its codecs are total:
 * an unreadable value (a throwing getter, a Proxy) is a Left from `decode`, false from `is`.
 *
 * @module codex-fp/sessions
 */
import { totalCodec } from "../core/decoding/total.js";
import {
  SessionArchive as SessionArchiveCodec,
  ArchivePoint as ArchivePointCodec,
  ArchivePosition as ArchivePositionCodec,
  ArchiveSince as ArchiveSinceCodec,
  ArchiveEncoding as ArchiveEncodingCodec,
} from "../core/archive.js";
import { SessionSummary as SessionSummaryCodec } from "../core/rollout.js";

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
export {
  applyDelta,
  relate,
  baseOf,
  endOf,
  observedFrom,
  type RelateArchiveInput,
  type SessionSummaryInput,
} from "../core/checked/sessions.js";
export type { SessionArchiveInput } from "../core/archive.js";
export { resolveCodexHome } from "../shell/sessions/codex-home.js";
export { resumeLast, type ResumeLastOptions } from "../shell/resume-last.js";
export {
  exportSession,
  importSession,
  type ExportOptions,
  type ImportOptions,
} from "../shell/archive.js";
export {
  SESSION_ARCHIVE_FORMAT,
  decodeArchive,
  type ArchiveRelation,
  type LocalView,
} from "../core/archive.js";
export { type ArchiveError, type ConflictReason } from "../core/errors/index.js";
export {
  summarizeRollout,
  parseRolloutLine,
  parseRolloutName,
  type RolloutLine,
} from "../core/rollout.js";
export type { SessionError, SessionProblem, SessionErrorTag } from "../core/errors/index.js";

/** Codec of a session archive (total: an unreadable value is a Left). */
export const SessionArchive = /* @__PURE__ */ totalCodec(SessionArchiveCodec);
/** The type of {@link SessionArchive}'s values. */
export type SessionArchive = SessionArchiveCodec;
/** Codec of a point of a session archive (total: an unreadable value is a Left). */
export const ArchivePoint = /* @__PURE__ */ totalCodec(ArchivePointCodec);
/** The type of {@link ArchivePoint}'s values. */
export type ArchivePoint = ArchivePointCodec;
/** Codec of a position in a session's rollout (total: an unreadable value is a Left). */
export const ArchivePosition = /* @__PURE__ */ totalCodec(ArchivePositionCodec);
/** The type of {@link ArchivePosition}'s values. */
export type ArchivePosition = ArchivePositionCodec;
/** Codec of where a delta archive starts (total: an unreadable value is a Left). */
export const ArchiveSince = /* @__PURE__ */ totalCodec(ArchiveSinceCodec);
/** The type of {@link ArchiveSince}'s values. */
export type ArchiveSince = ArchiveSinceCodec;
/** Codec of an archive's encoding (total: an unreadable value is a Left). */
export const ArchiveEncoding = /* @__PURE__ */ totalCodec(ArchiveEncodingCodec);
/** The type of {@link ArchiveEncoding}'s values. */
export type ArchiveEncoding = ArchiveEncodingCodec;
/** Codec of a session's summary (total: an unreadable value is a Left). */
export const SessionSummary = /* @__PURE__ */ totalCodec(SessionSummaryCodec);
/** The type of {@link SessionSummary}'s values. */
export type SessionSummary = SessionSummaryCodec;
