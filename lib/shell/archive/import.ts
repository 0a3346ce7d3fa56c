/**
 * `importSession`: a session archive written into a store where the CLI finds it. The local
 * rollout is read only around the archive's range (its base's last 4 KiB and what overlaps the
 * delta), the digest is verified from the base's saved state (O(delta)), and the file is
 * written through a copy (a kernel-side copy, the delta appended, fsynced, renamed over it).
 */
import { UNREADABLE_INPUT } from "../../core/decoding/copy.js";
import { join } from "node:path";
import { err, errAsync, ok, type Result, type ResultAsync } from "neverthrow";
import {
  TAIL_BYTES,
  baseOf,
  decodeArchiveWithin,
  relate,
  sha256Hex,
  tailDigest,
  type SessionArchive,
} from "../../core/archive.js";
import { InputLimits } from "../../core/limits.js";
import { archiveConflict, invalidArchive, type ArchiveError } from "../../core/errors/index.js";
import { decodeBytes } from "../../core/archive-bytes.js";
import type { SessionSummary } from "../../core/rollout.js";
import type { SessionError } from "../../core/errors/index.js";
import { readSession, resolveCodexHome, type SessionStoreOptions } from "../sessions.js";
import { createSHA256, hashPrefix, resumed } from "./hash.js";
import {
  optionIssue,
  readOptions,
  readRange,
  settle,
  sizeOf,
  storeOptions,
  writeAtomically,
} from "./io.js";

/** Options of {@link importSession}: where the store is, and how hard to check the local base. */
export interface ImportOptions extends Pick<SessionStoreOptions, "codexHome" | "env" | "limits"> {
  /**
   * How a delta's base is recognised in the local rollout: `"tail"` (default) by its length
   * and the digest of the last 4 KiB before it (O(1)); `"full"` rehashes the local bytes.
   */
  readonly verify?: "tail" | "full";
}

/** The digest of base + delta, from the base's saved state when there is one (O(delta)). */
const verifyDigest = async (
  a: SessionArchive,
  delta: Buffer,
  local: string | null,
  full: boolean,
): Promise<Result<null, ArchiveError>> => {
  const base = baseOf(a);
  let h = full ? null : await resumed(base.hashState);
  if (h === null && base.length === 0) {
    h = await createSHA256();
    h.init();
  }
  if (h === null) {
    // No usable state: the local base is hashed (the caller has checked it exists and is long enough).
    if (local === null)
      return err(invalidArchive([{ path: "archive.base", message: "no local base to hash" }]));
    h = await hashPrefix(local, base.length);
    const copy = await createSHA256();
    copy.load(h.save());
    if (copy.digest("hex") !== base.digest)
      return err(
        invalidArchive([{ path: "archive.base.digest", message: "is not the local base's" }]),
      );
  }
  h.update(delta);
  if (h.digest("hex") !== a.digest)
    return err(invalidArchive([{ path: "archive.digest", message: "does not verify" }]));
  if (a.hashState !== null) {
    const end = await resumed(a.hashState);
    if (end === null || end.digest("hex") !== a.digest)
      return err(
        invalidArchive([{ path: "archive.hashState", message: "does not end at the digest" }]),
      );
  }
  return ok(null);
};

/** importSession without the guard against arguments that throw when read. */
const importSessionUnguarded = (
  archive: unknown,
  options: ImportOptions = {},
): ResultAsync<SessionSummary, SessionError> => {
  const taken = readOptions(options);
  if (taken.isErr()) return errAsync(taken.error);
  const o = taken.value.options;
  // The archive is read once, by its decoder: under the bounds the caller set, if any, laid
  // over the archive's own (a whole rollout's text is not held to the 64 MiB default).
  const given: unknown = o["limits"];
  const a = decodeArchiveWithin(archive, InputLimits.is(given) ? given : {});
  if (a.isErr()) return errAsync(a.error);
  const verify = o["verify"] ?? "tail";
  if (verify !== "tail" && verify !== "full")
    return errAsync(optionIssue("options.verify", 'must be "tail" or "full"'));
  const arc = a.value;
  const d = decodeBytes(arc);
  if (d.isErr()) return errAsync(d.error);
  const delta = d.value;
  const sessions = join(resolveCodexHome(storeOptions(o)), "sessions");
  const dest = join(sessions, ...arc.relativePath.split("/"));
  return settle(async () => {
    const b = arc.base?.length ?? 0;
    const size = await sizeOf(dest);
    const n = size ?? 0;
    const window =
      size === null
        ? Buffer.alloc(0)
        : await readRange(dest, Math.max(0, b - TAIL_BYTES), Math.min(n, arc.length));
    const split = Math.min(window.length, b - Math.max(0, b - TAIL_BYTES));
    const tailAtBase = size !== null && n >= b ? tailDigest(window.subarray(0, split)) : null;
    const relation = relate(arc, delta, {
      exists: size !== null,
      length: n,
      tailAtBase,
      overlap: n >= b ? window.subarray(split) : Buffer.alloc(0),
    });
    const range = { baseLength: b, length: arc.length };
    if (relation === "ahead" || relation === "diverged" || relation === "missing_base")
      return err(archiveConflict(dest, arc.threadId, relation, n, range));
    const v = await verifyDigest(arc, delta, size === null ? null : dest, verify === "full");
    if (v.isErr()) return err(v.error);
    // The archive's own tail must be what these bytes end with.
    const pre = window.subarray(0, split);
    if (tailDigest(delta.length >= TAIL_BYTES ? delta : Buffer.concat([pre, delta])) !== arc.tail)
      return err(invalidArchive([{ path: "archive.tail", message: "does not verify" }]));
    if (relation === "behind") {
      const w =
        size === null || (b === 0 && n === 0)
          ? await writeAtomically(dest, null, delta)
          : await writeAtomically(dest, { length: n }, delta.subarray(n - b));
      if (w.isErr()) return err(w.error);
    }
    const s = await readSession(dest, { scan: "tail" });
    if (s.isErr()) return err(s.error);
    const summary = s.value;
    return ok(
      summary.completedTurns === null && summary.size === arc.length
        ? { ...summary, completedTurns: arc.position.completedTurns }
        : summary,
    );
  }, dest);
};

/** The bytes of a whole archive (for tests and tools): decoded and verified. */
export const archiveBytes = (archive: SessionArchive): Result<Buffer, ArchiveError> =>
  archive.base !== null
    ? err(invalidArchive([{ path: "archive.base", message: "a delta has no whole bytes" }]))
    : decodeBytes(archive).andThen((bytes) =>
        sha256Hex(bytes) === archive.digest
          ? ok(bytes)
          : err(invalidArchive([{ path: "archive.digest", message: "does not verify" }])),
      );

/**
 * Imports a {@link SessionArchive} (a value or its JSON) into the store: decoded, digest
 * verified, written at the same path under `sessions/` atomically (a temporary file, then a
 * rename). A delta applies only onto its exact base; a local rollout that is ahead or has
 * diverged is refused with `ArchiveConflict`; one behind is brought forward; an equal one is
 * left as it is. Returns the imported rollout's summary (`completedTurns` from the archive when
 * the file is too large to count cheaply). Never rejects.
 */
export const importSession = (
  archive: unknown,
  options: ImportOptions = {},
): ResultAsync<SessionSummary, SessionError> => {
  try {
    return importSessionUnguarded(archive, options);
  } catch {
    // A hostile argument (a throwing getter or proxy) is an error value, never a throw.
    return errAsync(optionIssue("options", UNREADABLE_INPUT));
  }
};
