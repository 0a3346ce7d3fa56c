/**
 * The file effects of archives: ranged reads, sizes, the atomic write (a temporary file in the
 * same folder, fsynced, renamed over the rollout), and the errors they turn into.
 */
import { randomBytes } from "node:crypto";
import { constants as fsConstants } from "node:fs";
import { copyFile, mkdir, open, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { err, ok, ResultAsync, type Result } from "neverthrow";
import {
  archiveWriteFailed,
  sessionUnreadable,
  invalidArchive,
  type ArchiveError,
} from "../../core/errors/index.js";
import { isRecord } from "../../core/decoding/decode.js";
import type { SessionError } from "../../core/errors/index.js";
import type { SessionStoreOptions } from "../sessions.js";
import { takeOptions, type Taken } from "../sessions/store.js";

/** The system error code of a thrown value (`ENOENT` …), or null. */
export const codeOf = (e: unknown): string | null => {
  const code = isRecord(e) ? e["code"] : undefined;
  return typeof code === "string" ? code : null;
};

const describeFsError = (e: unknown): string => {
  const code = codeOf(e);
  const text = e instanceof Error ? e.message : "unknown error";
  return code === null ? text : `${code}: ${text}`;
};

/** A `SessionUnreadable` error for a file that could not be read. */
export const unreadable = (path: string, e: unknown): SessionError =>
  sessionUnreadable(path, `cannot read the rollout (${describeFsError(e)})`, codeOf(e));

/** An `ArchiveWriteFailed` error for a rollout that could not be written. */
export const writeFailed = (path: string, e: unknown): ArchiveError =>
  archiveWriteFailed(path, `cannot write the rollout (${describeFsError(e)})`, codeOf(e));

/** Reads `[from, to)` of a file (fewer bytes if it is shorter). */
export const readRange = async (path: string, from: number, to: number): Promise<Buffer> => {
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
export const sizeOf = async (path: string): Promise<number | null> => {
  try {
    const st = await stat(path);
    return st.isFile() ? st.size : null;
  } catch (e) {
    if (codeOf(e) === "ENOENT") return null;
    throw e; // throws-ok: caught by `settle`, reported as SessionUnreadable
  }
};

/** Turns a promise of a Result that might still reject into a ResultAsync that never does. */
export const settle = <A>(
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

/** The store options (`codexHome`, `env`) among options read once (`env`: its strings). */
export const storeOptions = (o: Readonly<Record<string, unknown>>): SessionStoreOptions => {
  const env = o["env"];
  const strings: Record<string, string> = {};
  if (isRecord(env))
    for (const [k, v] of Object.entries(env)) if (typeof v === "string") strings[k] = v;
  return {
    ...(typeof o["codexHome"] === "string" ? { codexHome: o["codexHome"] } : {}),
    ...(isRecord(env) ? { env: strings } : {}),
  };
};

/**
 * Reads the caller's options once, deeply (a snapshot: a getter is read once, and `env` is a
 * copy too), checked against their `limits`; the error of options that are not an object, or
 * of bad limits or a value over one.
 */
export const readOptions = (
  u: unknown,
  also: ReadonlyArray<readonly [unknown, string]> = [],
): Result<Taken<Record<string, unknown>>, SessionError> => {
  if (u !== undefined && u !== null && !isRecord(u))
    return err(optionIssue("options", "must be an object"));
  return takeOptions<Record<string, unknown>>(u, "options", also);
};

/** An `InvalidArchive` error for one bad option. */
export const optionIssue = (path: string, message: string): ArchiveError =>
  invalidArchive([{ path, message }]);

/** Writes `content` (or the local file plus `append`) to a temporary file, then renames it over `dest`. */
export const writeAtomically = async (
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
