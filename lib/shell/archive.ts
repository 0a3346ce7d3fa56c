/**
 * Moving a thread's history between stores (machines): `exportSession` turns a thread's rollout
 * into a {@link SessionArchive} (whole, or what was appended since a point held elsewhere), and
 * `importSession` writes one into a store where the CLI will find it, atomically.
 *
 * Cost: a delta export reads the bytes appended since `since` (and the 4 KiB before it, to
 * recognise the point), continues the SHA-256 from the point's saved state, and counts turns in
 * the new lines only. A delta import reads the same window of the local rollout, verifies the
 * digest from the base's state, and writes through a copy of the file (a kernel-side copy, then
 * the delta appended, fsynced, renamed over the rollout).
 */
import { randomBytes } from "node:crypto";
import { constants as fsConstants } from "node:fs";
import { copyFile, mkdir, open, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { createSHA256, type IHasher } from "hash-wasm";
import { err, errAsync, ok, ResultAsync, type Result } from "neverthrow";
import { isLeft } from "fp-ts/lib/Either.js";
import {
  ArchiveSince,
  SESSION_ARCHIVE_FORMAT,
  TAIL_BYTES,
  baseOf,
  decodeArchive,
  invalidArchive,
  relate,
  sha256Hex,
  tailDigest,
  type ArchiveError,
  type ArchivePoint,
  type ArchivePosition,
  type ConflictReason,
  type SessionArchive,
} from "../core/archive.js";
import { decodeAll, isRecord } from "../core/internal/decode.js";
import { parseRolloutLine, summarizeRollout, type SessionSummary } from "../core/rollout.js";
import type { SessionError } from "../core/session-errors.js";
import { parseThreadId } from "../core/thread-id.js";
import {
  findSession,
  readSession,
  resolveCodexHome,
  type SessionStoreOptions,
} from "./sessions.js";

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

/** Below this many bytes, compression is not tried. */
const COMPRESS_FROM = 1024;
const NL = 0x0a;

// ---------------------------------------------------------------------------------------------
// Small effects
// ---------------------------------------------------------------------------------------------

const codeOf = (e: unknown): string | null =>
  typeof e === "object" && e !== null && typeof (e as { code?: unknown }).code === "string"
    ? (e as { code: string }).code
    : null;

const describeFsError = (e: unknown): string => {
  const code = codeOf(e);
  const text = e instanceof Error ? e.message : "unknown error";
  return code === null ? text : `${code}: ${text}`;
};

const unreadable = (path: string, e: unknown): SessionError => ({
  _tag: "SessionUnreadable",
  path,
  message: `cannot read the rollout (${describeFsError(e)})`,
  code: codeOf(e),
});

const writeFailed = (path: string, e: unknown): ArchiveError => ({
  _tag: "ArchiveWriteFailed",
  path,
  message: `cannot write the rollout (${describeFsError(e)})`,
  code: codeOf(e),
});

const conflict = (
  path: string,
  threadId: string,
  reason: ConflictReason,
  localLength: number,
  range: { baseLength: number; length: number },
): ArchiveError => {
  const says: Record<ConflictReason, string> = {
    ahead: "the local rollout is ahead of the archive (it holds more turns); it was left alone",
    behind: "the local rollout is behind the point given as `since`",
    diverged: "the local rollout and the archive have different histories; it was left alone",
    missing_base: "the local rollout does not hold the base this delta applies to",
  };
  return {
    _tag: "ArchiveConflict",
    path,
    message: `${says[reason]} (thread ${threadId}: local ${localLength} bytes, archive ${range.baseLength}–${range.length})`,
    threadId,
    reason,
    localLength,
    archive: range,
  };
};

/** Reads `[from, to)` of a file (fewer bytes if it is shorter). */
const readRange = async (path: string, from: number, to: number): Promise<Buffer> => {
  const fh = await open(path, "r");
  try {
    const buf = Buffer.allocUnsafe(Math.max(0, to - from));
    let got = 0;
    while (got < buf.length) {
      const { bytesRead } = await fh.read(buf, got, buf.length - got, from + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  } finally {
    await fh.close().catch(() => undefined);
  }
};

/** A file's size, or null when there is none. */
const sizeOf = async (path: string): Promise<number | null> => {
  try {
    const st = await stat(path);
    return st.isFile() ? st.size : null;
  } catch (e) {
    if (codeOf(e) === "ENOENT") return null;
    throw e; // throws-ok: caught by `settle`, reported as SessionUnreadable
  }
};

/** A SHA-256 hasher resumed from a saved state, or null when the state cannot be loaded. */
const resumed = async (state: string | null): Promise<IHasher | null> => {
  if (state === null) return null;
  const h = await createSHA256();
  try {
    h.load(Buffer.from(state, "base64"));
    return h;
  } catch {
    return null;
  }
};

/** Hashes `[0, length)` of a file in chunks: the hasher after it. */
const hashPrefix = async (path: string, length: number): Promise<IHasher> => {
  const h = await createSHA256();
  h.init();
  const chunk = 1024 * 1024;
  for (let at = 0; at < length; at += chunk)
    h.update(await readRange(path, at, Math.min(length, at + chunk)));
  return h;
};

/** Saves the state, then finishes: the state (base64) and the digest (hex). */
const finish = (h: IHasher): { hashState: string; digest: string } => {
  const hashState = Buffer.from(h.save()).toString("base64");
  return { hashState, digest: h.digest("hex") };
};

/** Turns a promise of a Result that might still reject into a ResultAsync that never does. */
const settle = <A>(
  p: () => Promise<Result<A, SessionError>>,
  path: string,
): ResultAsync<A, SessionError> =>
  new ResultAsync(
    (async () => {
      try {
        return await p();
      } catch (e) {
        return err<A, SessionError>(unreadable(path, e));
      }
    })(),
  );

const storeOptions = (o: Record<string, unknown>): SessionStoreOptions => ({
  ...(typeof o["codexHome"] === "string" ? { codexHome: o["codexHome"] } : {}),
  ...(isRecord(o["env"]) ? { env: o["env"] as Record<string, string | undefined> } : {}),
});

/** Reads the caller's options once, into a plain record (never a getter twice); null if unusable. */
const readOptions = (u: unknown): Record<string, unknown> | null => {
  if (u === undefined || u === null) return {};
  if (!isRecord(u)) return null;
  try {
    return { ...u };
  } catch {
    return null;
  }
};

const optionIssue = (path: string, message: string): ArchiveError =>
  invalidArchive([{ path, message }]);

// ---------------------------------------------------------------------------------------------
// Positions
// ---------------------------------------------------------------------------------------------

/** The position of a whole rollout held in memory; null when it is not a readable rollout. */
const positionOfWhole = (bytes: Buffer): ArchivePosition | null => {
  const s = summarizeRollout(bytes.toString("utf8"), { path: "archive" });
  return isLeft(s)
    ? null
    : { completedTurns: s.right.completedTurns ?? 0, lastTurnId: s.right.lastTurnId };
};

/**
 * The position after appending `delta` (whole lines) to a rollout at `base`, counting only the
 * new lines; null when they hold a rollback or a nested turn boundary the count cannot follow
 * from the delta alone (the caller then counts the whole file).
 */
const positionAfter = (base: ArchivePosition, delta: Buffer): ArchivePosition | null => {
  let completed = base.completedTurns;
  let last = base.lastTurnId;
  let pos = 0;
  for (;;) {
    const nl = delta.indexOf(NL, pos);
    if (nl === -1) break;
    const line = parseRolloutLine(delta.toString("utf8", pos, nl));
    pos = nl + 1;
    if (line.kind === "thread_rolled_back") return null;
    if (line.kind === "task_complete" && !line.nested) {
      completed += 1;
      last = line.turnId;
    }
  }
  return { completedTurns: completed, lastTurnId: last };
};

// ---------------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------------

/** `since` as a point of the local rollout at `path`, verified; or the conflict. */
const sincePoint = async (
  path: string,
  threadId: string,
  since: ArchiveSince,
  size: number,
): Promise<Result<{ point: ArchivePoint; hasher: IHasher; before: Buffer }, SessionError>> => {
  const length = since.length;
  const range = { baseLength: length, length };
  if (length > size) return err(conflict(path, threadId, "behind", size, range));
  const before = await readRange(path, Math.max(0, length - TAIL_BYTES), length);
  const tail = tailDigest(before);
  const given = "tail" in since ? since : null;
  if (given !== null && given.tail !== tail)
    return err(conflict(path, threadId, "diverged", size, range));
  const state = "hashState" in since ? since.hashState : null;
  const fast = await resumed(state);
  if (fast !== null && given !== null)
    return ok({
      point: { length, digest: given.digest, tail, hashState: state, position: given.position },
      hasher: fast,
      before,
    });
  // No usable state: hash (and count) the prefix, and check the digest if one was given.
  const h = await hashPrefix(path, length);
  const copy = await createSHA256();
  copy.load(h.save());
  const { hashState, digest } = finish(copy);
  if ("digest" in since && since.digest !== undefined && since.digest !== digest)
    return err(conflict(path, threadId, "diverged", size, range));
  const position =
    given !== null
      ? given.position
      : length === 0
        ? { completedTurns: 0, lastTurnId: null }
        : positionOfWhole(await readRange(path, 0, length));
  if (position === null)
    return err(
      optionIssue("options.since.length", "is not at the end of a line of a readable rollout"),
    );
  return ok({ point: { length, digest, tail, hashState, position }, hasher: h, before });
};

const encode = (
  bytes: Buffer,
  compress: "auto" | boolean,
): { encoding: SessionArchive["encoding"]; bytes: string } => {
  if (compress === false || (compress === "auto" && bytes.length < COMPRESS_FROM))
    return { encoding: "base64", bytes: bytes.toString("base64") };
  const z = deflateRawSync(bytes, { level: 1 });
  return compress === true || z.length <= bytes.length * 0.75
    ? { encoding: "deflate-raw+base64", bytes: z.toString("base64") }
    : { encoding: "base64", bytes: bytes.toString("base64") };
};

/** Where a thread's rollout is: under `since`'s path when it is an archive and exists, else found. */
const locate = async (
  threadId: string,
  store: SessionStoreOptions,
  since: ArchiveSince | undefined,
): Promise<Result<string, SessionError>> => {
  const sessions = join(resolveCodexHome(store), "sessions");
  if (since !== undefined && "relativePath" in since) {
    const p = join(sessions, ...since.relativePath.split("/"));
    if ((await sizeOf(p)) !== null) return ok(p);
  }
  const found = await findSession(threadId, { ...store, scan: "tail" });
  return found.map((s) => s.path);
};

/**
 * Exports a thread's rollout as a {@link SessionArchive}: whole, or (with `options.since`) only
 * what was appended since that point — which must be a point of the local rollout (its length,
 * the digest of the 4 KiB before it, and its digest when given), else `ArchiveConflict`. Only
 * whole lines are exported: a line the CLI is still writing waits for the next export.
 * Never rejects.
 */
export const exportSession = (
  threadId: string,
  options: ExportOptions = {},
): ResultAsync<SessionArchive, SessionError> => {
  const id = parseThreadId(threadId);
  if (id.isErr())
    return errAsync({
      _tag: "InvalidThreadId",
      path: "threadId",
      message: id.error.message,
      issues: "issues" in id.error ? id.error.issues : [],
    });
  const o = readOptions(options);
  if (o === null) return errAsync(optionIssue("options", "must be an object"));
  let since: ArchiveSince | undefined;
  if (o["since"] !== undefined) {
    const s = decodeAll(ArchiveSince, o["since"], "options.since");
    if (isLeft(s)) return errAsync(invalidArchive(s.left));
    since = s.right;
    if ("threadId" in since && since.threadId !== id.value)
      return errAsync(optionIssue("options.since.threadId", `is not ${id.value}`));
  }
  const compress = o["compress"] ?? "auto";
  if (compress !== "auto" && typeof compress !== "boolean")
    return errAsync(optionIssue("options.compress", 'must be "auto", true or false'));
  const store = storeOptions(o);
  const sessions = join(resolveCodexHome(store), "sessions");
  return settle(async () => {
    const where = await locate(id.value, store, since);
    if (where.isErr()) return err(where.error);
    const path = where.value;
    const relativePath = relative(sessions, path).split(sep).join("/");
    const size = await sizeOf(path);
    if (size === null) return err(unreadable(path, new Error("the rollout vanished")));
    let base: ArchivePoint | null = null;
    let hasher: IHasher;
    let before: Buffer = Buffer.alloc(0);
    if (since !== undefined) {
      const p = await sincePoint(path, id.value, since, size);
      if (p.isErr()) return err(p.error);
      ({ point: base, hasher, before } = p.value);
    } else {
      hasher = await createSHA256();
      hasher.init();
    }
    const from = base?.length ?? 0;
    const read = await readRange(path, from, size);
    const end = read.lastIndexOf(NL) + 1; // whole lines only
    const delta = read.subarray(0, end);
    hasher.update(delta);
    const { hashState, digest } = finish(hasher);
    const position =
      (base !== null ? positionAfter(base.position, delta) : positionOfWhole(delta)) ??
      positionOfWhole(await readRange(path, 0, from + end));
    if (position === null)
      return err({
        _tag: "InvalidRollout",
        path,
        message: "not a readable rollout: its first line is not session_meta",
        issues: [{ path: "line", message: "not a session_meta line" }],
      });
    const tail = tailDigest(delta.length >= TAIL_BYTES ? delta : Buffer.concat([before, delta]));
    return ok({
      format: SESSION_ARCHIVE_FORMAT,
      threadId: id.value,
      relativePath,
      position,
      length: from + end,
      digest,
      tail,
      hashState,
      base,
      ...encode(delta, compress),
    } as SessionArchive);
  }, sessions);
};

// ---------------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------------

/** The archive's delta bytes, decoded and bounded by its declared range. */
const deltaBytes = (a: SessionArchive): Result<Buffer, ArchiveError> => {
  const want = a.length - (a.base?.length ?? 0);
  const raw = Buffer.from(a.bytes, "base64");
  let bytes: Buffer;
  if (a.encoding === "base64") bytes = raw;
  else
    try {
      bytes = inflateRawSync(raw, { maxOutputLength: Math.max(1, want) });
    } catch {
      return err(
        invalidArchive([{ path: "archive.bytes", message: `do not inflate to ${want} bytes` }]),
      );
    }
  return bytes.length === want
    ? ok(bytes)
    : err(
        invalidArchive([
          { path: "archive.bytes", message: `hold ${bytes.length} bytes, not ${want}` },
        ]),
      );
};

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

/** Writes `content` (or the local file plus `append`) to a temporary file, then renames it over `dest`. */
const writeAtomically = async (
  dest: string,
  copyFrom: { readonly length: number } | null,
  append: Buffer,
): Promise<Result<null, ArchiveError>> => {
  const tmp = join(dirname(dest), `.import-${randomBytes(6).toString("hex")}.tmp`);
  try {
    await mkdir(dirname(dest), { recursive: true });
    if (copyFrom === null) await writeFile(tmp, append, { flag: "wx" });
    else {
      await copyFile(dest, tmp, fsConstants.COPYFILE_FICLONE);
      const fh = await open(tmp, "r+");
      try {
        await fh.truncate(copyFrom.length); // exactly the bytes that were checked
        await fh.write(append, 0, append.length, copyFrom.length);
        await fh.sync();
      } finally {
        await fh.close();
      }
    }
    if (copyFrom === null) {
      const fh = await open(tmp, "r+");
      await fh.sync().finally(() => fh.close());
    }
    // The CLI may have appended meanwhile (a turn running here): then the local file is ahead.
    const now = await sizeOf(dest);
    if (copyFrom !== null && now !== copyFrom.length) {
      await rm(tmp, { force: true });
      return err(writeFailed(dest, new Error("the rollout changed while it was being imported")));
    }
    await rename(tmp, dest);
    return ok(null);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    return err(writeFailed(dest, e));
  }
};

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
  const a = decodeArchive(archive);
  if (a.isErr()) return errAsync(a.error);
  const o = readOptions(options);
  if (o === null) return errAsync(optionIssue("options", "must be an object"));
  const verify = o["verify"] ?? "tail";
  if (verify !== "tail" && verify !== "full")
    return errAsync(optionIssue("options.verify", 'must be "tail" or "full"'));
  const arc = a.value;
  const d = deltaBytes(arc);
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
      return err(conflict(dest, arc.threadId, relation, n, range));
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
    : deltaBytes(archive).andThen((bytes) =>
        sha256Hex(bytes) === archive.digest
          ? ok(bytes)
          : err(invalidArchive([{ path: "archive.digest", message: "does not verify" }])),
      );
