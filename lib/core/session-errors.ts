/**
 * Errors of reading the CLI's session store (`$CODEX_HOME/sessions`), as one tagged union. Each
 * has a `_tag`, the failing `path` (a file system path, or `threadId` for an invalid id) and a
 * human `message`.
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
 * | `Aborted`            | the call's `signal` aborted before it settled (`path`: `signal`)      |
 * | `InvalidOptions`     | the options argument is not an object, or a getter or Proxy threw     |
 */
import type { Issue, ThreadError } from "./errors.js";
import type { ArchiveError } from "./archive.js";

/** The invalid-thread-id error, shared with the rest of the core. */
export type InvalidThreadIdError = Extract<ThreadError, { readonly _tag: "InvalidThreadId" }>;

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

/** Every error the session functions return (archives: see `ArchiveError` in core/archive.ts). */
export type SessionError =
  | InvalidThreadIdError
  | SessionProblem
  | ArchiveError
  | {
      readonly _tag: "SessionNotFound";
      readonly path: string;
      readonly message: string;
      /** The thread looked for; null for `lastSession`. */
      readonly threadId: string | null;
      /** The working directory asked for by `lastSession`, if any. */
      readonly cwd: string | null;
    }
  | { readonly _tag: "Aborted"; readonly path: string; readonly message: string }
  | Extract<ThreadError, { readonly _tag: "InvalidOptions" }>;

/** The `_tag`s of {@link SessionError}. */
export type SessionErrorTag = SessionError["_tag"];

/** Builds an `InvalidRollout` error; the message lists every issue. */
export const invalidRollout = (path: string, issues: readonly Issue[]): SessionProblem => ({
  _tag: "InvalidRollout",
  path,
  message: `not a readable rollout: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
  issues,
});
