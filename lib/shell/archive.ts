/**
 * Moving a thread's history between stores (machines): `exportSession` turns a thread's rollout
 * into a {@link SessionArchive} (whole, or what was appended since a point held elsewhere), and
 * `importSession` writes one into a store where the CLI will find it, atomically.
 */
import { errAsync, type ResultAsync } from "neverthrow";
import type { ArchiveSince, SessionArchive } from "../core/archive.js";
import type { SessionSummary } from "../core/rollout.js";
import type { SessionError } from "../core/session-errors.js";
import type { SessionStoreOptions } from "./sessions.js";

/** Options of {@link exportSession}: where the store is, and what the receiver already holds. */
export interface ExportOptions extends Pick<SessionStoreOptions, "codexHome" | "env"> {
  /**
   * A point the receiver already holds — the previous archive, its end point, or a bare
   * `{ length, digest? }` — to export only the bytes appended since. With an archive or a
   * point (which carry the hash state) the cost is O(bytes appended); a bare length makes the
   * digest be computed over the whole file.
   */
  readonly since?: ArchiveSince;
  /** Compress the bytes: `"auto"` (default) when it saves at least a quarter. */
  readonly compress?: "auto" | boolean;
}

/** Options of {@link importSession}: where the store is, and how hard to check the local base. */
export interface ImportOptions extends Pick<SessionStoreOptions, "codexHome" | "env"> {
  /**
   * How a delta's base is recognised in the local rollout: `"tail"` (default) by its length
   * and the digest of the last 4 KiB before it (O(1)); `"full"` rehashes the local bytes.
   */
  readonly verify?: "tail" | "full";
}

/**
 * Exports a thread's rollout as a {@link SessionArchive}: whole, or (with `options.since`) only
 * what was appended since that point. Never rejects.
 */
export const exportSession = (
  threadId: string,
  options: ExportOptions = {},
): ResultAsync<SessionArchive, SessionError> => {
  void threadId;
  void options;
  return errAsync({
    _tag: "InvalidArchive",
    path: "archive",
    message: "not implemented yet",
    issues: [],
  });
};

/**
 * Imports a {@link SessionArchive} (a value or its JSON) into the store: decoded, digest
 * verified, written at the same path under `sessions/` atomically (a temporary file, then a
 * rename). A delta applies only onto its exact base; a local rollout that is ahead or has
 * diverged is refused with `ArchiveConflict`; one behind is brought forward. Never rejects.
 */
export const importSession = (
  archive: unknown,
  options: ImportOptions = {},
): ResultAsync<SessionSummary, SessionError> => {
  void archive;
  void options;
  return errAsync({
    _tag: "InvalidArchive",
    path: "archive",
    message: "not implemented yet",
    issues: [],
  });
};
