/**
 * The errors of the CLI's session store (`$CODEX_HOME/sessions`) and of session archives. Each
 * has a `_tag`, the failing `path` (a file system path, or `threadId` for an invalid id) and a
 * human `message`. Types only; the constructors are in `make.ts`.
 */
import type { DecodingError, Issue } from "./thread.js";
import type { Defect } from "./turn.js";

/** Why an archive cannot be applied or made. */
export type ConflictReason = "ahead" | "behind" | "diverged" | "missing_base";

/**
 * The errors of archives: `InvalidArchive` (does not decode, does not decompress, or its
 * digest does not verify) and `ArchiveConflict` (the local rollout is ahead of the archive,
 * has diverged from it, or lacks the base a delta needs — or, on export, `since` is not a point
 * of the local rollout) and `ArchiveWriteFailed` (the rollout could not be written).
 */
export type ArchiveError =
  | {
      readonly _tag: "InvalidArchive";
      readonly path: string;
      readonly message: string;
      readonly issues: readonly Issue[];
    }
  | {
      readonly _tag: "ArchiveConflict";
      /** The local rollout's path. */
      readonly path: string;
      readonly message: string;
      readonly threadId: string;
      readonly reason: ConflictReason;
      /** The local rollout's length in bytes (0 when there is none). */
      readonly localLength: number;
      /** The byte range the archive (or `since`) covers: its base's length and its end. */
      readonly archive: { readonly baseLength: number; readonly length: number };
    }
  | {
      readonly _tag: "ArchiveWriteFailed";
      /** The file that could not be written. */
      readonly path: string;
      readonly message: string;
      /** The system error code (`EACCES`, `ENOSPC` …), when there is one. */
      readonly code: string | null;
    };

/** A problem with one entry of the store; listings report these per file and carry on. */
export type SessionProblem =
  | {
      readonly _tag: "StoreUnreadable";
      readonly path: string;
      readonly message: string;
      /** The system error code (`EACCES`, `ENOTDIR` …), when there is one. */
      readonly code: string | null;
    }
  | {
      readonly _tag: "SessionUnreadable";
      readonly path: string;
      readonly message: string;
      readonly code: string | null;
    }
  | {
      readonly _tag: "InvalidRollout";
      readonly path: string;
      readonly message: string;
      readonly issues: readonly Issue[];
    }
  | {
      readonly _tag: "DamagedRollout";
      readonly path: string;
      readonly message: string;
      /** Lines read that were not JSON, or known lines of the wrong shape. */
      readonly unreadableLines: number;
      /** The file does not end with a newline (a line is being written, or was cut off). */
      readonly truncated: boolean;
    }
  | { readonly _tag: "ForeignFile"; readonly path: string; readonly message: string }
  | { readonly _tag: "UnsupportedRollout"; readonly path: string; readonly message: string };

/** `SessionNotFound`: no rollout for the thread id (or, for `lastSession`, for the cwd). */
export interface SessionNotFound {
  readonly _tag: "SessionNotFound";
  readonly path: string;
  readonly message: string;
  /** The thread looked for; null for `lastSession`. */
  readonly threadId: string | null;
  /** The working directory asked for by `lastSession`, if any. */
  readonly cwd: string | null;
}

/**
 * Every error the session functions return:
 *
 * | `_tag`               | when                                                                  |
 * |----------------------|-----------------------------------------------------------------------|
 * | `InvalidThreadId`    | a thread id that may not reach a path (checked before any fs access)  |
 * | `StoreUnreadable`    | the sessions folder (or one of its YYYY/MM/DD folders) cannot be read |
 * | `SessionNotFound`    | no rollout for the thread id (or, for `lastSession`, for the cwd)     |
 * | `SessionUnreadable`  | a rollout file cannot be opened or read (permissions, vanished …)     |
 * | `InvalidRollout`     | its first line is not a readable `session_meta` for the file's thread |
 * | `DamagedRollout`     | listed, but lines were unreadable or the last line is incomplete      |
 * | `ForeignFile`        | something under `sessions/` that is not `YYYY/MM/DD/rollout-….jsonl`  |
 * | `UnsupportedRollout` | a rollout in a format not read here (compressed `.jsonl.zst`)         |
 * | `InvalidArchive`     | a session archive that does not decode, decompress or verify          |
 * | `ArchiveConflict`    | the local rollout is ahead of / diverged from an archive, or no base  |
 * | `ArchiveWriteFailed` | an imported rollout could not be written                              |
 * | `Aborted`            | the call's `signal` aborted before it settled (`path`: `opts.signal`) |
 * | `InvalidOptions`     | the options argument is not an object, or a getter or Proxy threw     |
 * | `Defect`             | something threw that never should (a bug)                             |
 */
export type SessionError =
  | DecodingError<"InvalidThreadId">
  | SessionProblem
  | ArchiveError
  | SessionNotFound
  | { readonly _tag: "Aborted"; readonly path: string; readonly message: string }
  | DecodingError<"InvalidOptions">
  | Defect;

/** The `_tag`s of {@link SessionError}. */
export type SessionErrorTag = SessionError["_tag"];

/** A rollout whose first line is not a readable `session_meta` (every issue listed). */
export type InvalidRolloutError = Extract<SessionProblem, { readonly _tag: "InvalidRollout" }>;
