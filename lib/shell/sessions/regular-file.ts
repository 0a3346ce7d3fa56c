/**
 * Opening a rollout safely: only a regular file is opened (checked with `lstat`, opened
 * non-blocking and without following links, checked again with `fstat`), and at most
 * {@link SESSION_READ_LIMITS}.concurrency files are open at once in the whole process.
 */
import { close, constants, fstat, lstat, open, read, type Stats } from "node:fs";
import { err, ok, type Result } from "neverthrow";
import { sessionUnreadable, type SessionProblem } from "../../core/errors/index.js";
import { SESSION_READ_LIMITS, unreadable } from "./store.js";

/**
 * An open file, through the callback API (measurably lighter than `FileHandle` when thousands of
 * files are opened in a row).
 */
export interface File {
  read(buf: Buffer, offset: number, length: number, position: number): Promise<number>;
  stat(): Promise<Stats>;
  close(): Promise<void>;
}

/** What kind of entry `st` is, in words, for a refusal. */
const kindOf = (st: Stats): string =>
  st.isSymbolicLink()
    ? "a symbolic link (not followed)"
    : st.isDirectory()
      ? "a folder"
      : st.isFIFO()
        ? "a FIFO"
        : st.isSocket()
          ? "a socket"
          : st.isBlockDevice() || st.isCharacterDevice()
            ? "a device"
            : "not a regular file";

const notRegular = (path: string, st: Stats): SessionProblem =>
  sessionUnreadable(path, `not a regular file: ${kindOf(st)}`, null);

const lstatOf = (path: string): Promise<Stats> =>
  new Promise((res, rej) => lstat(path, (e, st) => (e ? rej(e) : res(st))));

// Non-blocking (a FIFO swapped in after the lstat cannot hold the open) and without following a
// link (nor can a symbolic link).
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOFOLLOW ?? 0);

/**
 * Opens `path` only if it is a regular file: `lstat` first (nothing else is opened at all),
 * then a non-blocking, no-follow open, then `fstat` on what was opened.
 */
const openRegularFile = async (path: string): Promise<Result<File, SessionProblem>> => {
  const before = await lstatOf(path);
  if (!before.isFile()) return err(notRegular(path, before));
  const fd = await new Promise<number>((res, rej) =>
    open(path, OPEN_FLAGS, (e, n) => (e ? rej(e) : res(n))),
  );
  const file: File = {
    read: (buf, offset, length, position) =>
      new Promise((res, rej) =>
        read(fd, buf, offset, length, position, (re, n) => (re ? rej(re) : res(n))),
      ),
    stat: () => new Promise((res, rej) => fstat(fd, (se, st) => (se ? rej(se) : res(st)))),
    close: () => new Promise((res) => close(fd, () => res())),
  };
  let opened: Stats;
  try {
    opened = await file.stat();
  } catch (e) {
    await file.close();
    return err(unreadable(path, e));
  }
  if (!opened.isFile()) {
    await file.close();
    return err(notRegular(path, opened));
  }
  return ok(file);
};

/**
 * The process-wide bound on rollouts open at once (every listing and lookup shares it), so no
 * number of concurrent calls can hold more of libuv's thread pool than this.
 */
const openRollouts: { inUse: number; waiting: Array<() => void> } = { inUse: 0, waiting: [] };

const acquire = (): Promise<void> => {
  if (openRollouts.inUse < SESSION_READ_LIMITS.concurrency) {
    openRollouts.inUse++;
    return Promise.resolve();
  }
  return new Promise((res) => openRollouts.waiting.push(res)); // the slot is handed over
};

const release = (): void => {
  const next = openRollouts.waiting.shift();
  if (next !== undefined) next();
  else openRollouts.inUse--;
};

/**
 * Runs `use` on `path` opened as a regular file (see {@link openRegularFile}), inside the
 * process-wide bound on open rollouts; the file is closed after. Never rejects.
 */
export const withRegularFile = async <A>(
  path: string,
  use: (file: File) => Promise<Result<A, SessionProblem>>,
): Promise<Result<A, SessionProblem>> => {
  let fh: File | null = null;
  await acquire();
  try {
    const opened = await openRegularFile(path);
    if (opened.isErr()) return err(opened.error);
    fh = opened.value;
    return await use(fh);
  } catch (e) {
    return err(unreadable(path, e));
  } finally {
    if (fh !== null) await fh.close().catch(() => undefined);
    release();
  }
};
