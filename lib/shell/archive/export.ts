/**
 * `exportSession`: a thread's rollout as a session archive — whole, or the bytes appended since a
 * point held elsewhere. A delta reads the new bytes and the 4 KiB before them (to recognise the
 * point), continues the SHA-256 from the point's saved state, and counts turns in the new lines
 * only: O(bytes appended).
 */
import { UNREADABLE_INPUT } from "../../core/decoding/copy.js";
import { join, relative, sep } from "node:path";
import type { IHasher } from "hash-wasm";
import { err, errAsync, ok, type Result, type ResultAsync } from "neverthrow";
import { isLeft } from "fp-ts/lib/Either.js";
import {
  ArchiveSince,
  SESSION_ARCHIVE_FORMAT,
  TAIL_BYTES,
  tailDigest,
  type ArchivePoint,
  type SessionArchive,
} from "../../core/archive.js";
import { invalidRollout, archiveConflict, invalidArchive } from "../../core/errors/index.js";
import { encodeBytes } from "../../core/archive-bytes.js";
import { positionAfter, positionOfWhole } from "../../core/archive-position.js";
import { decodeAll } from "../../core/decoding/decode.js";
import type { SessionError } from "../../core/errors/index.js";
import { threadIdAt } from "../../core/thread-id.js";
import { findSession, resolveCodexHome, type SessionStoreOptions } from "../sessions.js";
import { createSHA256, finish, hashPrefix, resumed } from "./hash.js";
import {
  optionIssue,
  readOptions,
  readRange,
  settle,
  sizeOf,
  storeOptions,
  unreadable,
} from "./io.js";

/** Options of {@link exportSession}: where the store is, and what the receiver already holds. */
export interface ExportOptions extends Pick<SessionStoreOptions, "codexHome" | "env" | "limits"> {
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

const NL = 0x0a;

/** `since` as a point of the local rollout at `path`, verified; or the conflict. */
const sincePoint = async (
  path: string,
  threadId: string,
  since: ArchiveSince,
  size: number,
): Promise<Result<{ point: ArchivePoint; hasher: IHasher; before: Buffer }, SessionError>> => {
  const length = since.length;
  const range = { baseLength: length, length };
  if (length > size) return err(archiveConflict(path, threadId, "behind", size, range));
  const before = await readRange(path, Math.max(0, length - TAIL_BYTES), length);
  const tail = tailDigest(before);
  const given = "tail" in since ? since : null;
  if (given !== null && given.tail !== tail)
    return err(archiveConflict(path, threadId, "diverged", size, range));
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
    return err(archiveConflict(path, threadId, "diverged", size, range));
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

/** exportSession without the guard against arguments that throw when read. */
const exportSessionUnguarded = (
  threadId: string,
  options: ExportOptions = {},
): ResultAsync<SessionArchive, SessionError> => {
  const taken = readOptions(options);
  if (taken.isErr()) return errAsync(taken.error);
  const { options: o, limits } = taken.value;
  const id = threadIdAt(threadId, "threadId", limits);
  if (id.isErr()) return errAsync(id.error);
  let since: ArchiveSince | undefined;
  if (o["since"] !== undefined) {
    const s = decodeAll(ArchiveSince, o["since"], "options.since", limits);
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
      return err(invalidRollout(path, [{ path: "line", message: "not a session_meta line" }]));
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
      ...encodeBytes(delta, compress),
    } as SessionArchive);
  }, sessions);
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
  try {
    return exportSessionUnguarded(threadId, options);
  } catch {
    // A hostile argument (a throwing getter or proxy) is an error value, never a throw.
    return errAsync(optionIssue("options", UNREADABLE_INPUT));
  }
};
