/**
 * Reading one rollout, safely: only a regular file is opened (checked with `lstat`, opened
 * non-blocking and without following links, checked again with `fstat`), at most
 * {@link SESSION_READ_LIMITS}.concurrency files are open at once in the whole process, and a
 * rollout is never read whole into memory: its head, then the rest (small files), its tail, or
 * everything streamed line by line.
 */
import { close, constants, fstat, lstat, open, read, type Stats } from "node:fs";
import { err, ok, type Result } from "neverthrow";
import { isLeft } from "fp-ts/lib/Either.js";
import {
  parseRolloutLine,
  parseSessionMeta,
  scanLine,
  startScan,
  summarize,
  tailIsSufficient,
  type RolloutScan,
  type SessionMeta,
  type SessionSummary,
} from "../../core/rollout.js";
import {
  damagedRollout,
  sessionUnreadable,
  invalidRollout,
  type SessionProblem,
} from "../../core/errors/index.js";
import { SESSION_READ_LIMITS, unreadable } from "./store.js";

const HEAD_CHUNK = 32 * 1024;
const SCAN_CHUNK = 256 * 1024;
const CLIP_PREFIX = 4096;
const NL = 0x0a;

interface Head {
  readonly meta: SessionMeta;
  /** Byte offset just after the first line's newline. */
  readonly end: number;
  /** The bytes read so far, [0, bytes.length). */
  readonly bytes: Buffer;
}

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

/** Buffers one reader reuses from file to file (the first head and tail reads). */
export interface Scratch {
  readonly head: Buffer;
  readonly tail: Buffer;
}

/** Fresh buffers for one reader. */
export const newScratch = (): Scratch => ({
  head: Buffer.allocUnsafe(HEAD_CHUNK),
  tail: Buffer.allocUnsafe(SESSION_READ_LIMITS.tailFirstBytes),
});

/** Reads `length` bytes at `position` into `buf` at `offset` (fewer at the end of the file). */
const readAt = async (
  fh: File,
  buf: Buffer,
  length: number,
  position: number,
  offset = 0,
): Promise<number> => {
  let got = 0;
  while (got < length) {
    const bytesRead = await fh.read(buf, offset + got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got;
};

const ASCII = /^[\x00-\x7f]*$/;
const asciiMeta = (m: SessionMeta): boolean =>
  [m.threadId, m.createdAt, m.cwd, m.cliVersion, m.originator, m.modelProvider].every(
    (v) => v === null || ASCII.test(v),
  );

/** Reads the first line, in chunks, up to the head limit. */
const readHead = async (
  fh: File,
  path: string,
  size: number,
  scratch: Buffer,
): Promise<Result<Head, SessionProblem>> => {
  let buf = scratch;
  let got = await readAt(fh, buf, Math.min(buf.length, size), 0);
  let nl = buf.subarray(0, got).indexOf(NL);
  while (nl === -1 && got < size && got < SESSION_READ_LIMITS.headBytes) {
    const bigger = Buffer.allocUnsafe(Math.min(buf.length * 4, SESSION_READ_LIMITS.headBytes + 1));
    buf.copy(bigger, 0, 0, got);
    buf = bigger;
    const more = await readAt(fh, buf, Math.min(buf.length, size) - got, got, got);
    if (more === 0) break;
    const from = got;
    got += more;
    const at = buf.subarray(from, got).indexOf(NL);
    nl = at === -1 ? -1 : from + at;
  }
  if (nl === -1) {
    const message =
      got >= SESSION_READ_LIMITS.headBytes
        ? `the first line is longer than ${SESSION_READ_LIMITS.headBytes} bytes`
        : size === 0
          ? "the file is empty"
          : "the first line is incomplete";
    return err(invalidRollout(path, [{ path: "line", message }]));
  }
  // JSON's syntax is ASCII, so the line parses the same read as latin1 (one byte a character,
  // much faster for a line of tens of KB); only if a field we keep is not ASCII is it reread.
  let meta = parseSessionMeta(buf.toString("latin1", 0, nl));
  if (isLeft(meta)) return err(invalidRollout(path, meta.left));
  if (!asciiMeta(meta.right)) meta = parseSessionMeta(buf.toString("utf8", 0, nl));
  if (isLeft(meta)) return err(invalidRollout(path, meta.left));
  return ok({ meta: meta.right, end: nl + 1, bytes: buf.subarray(0, got) });
};

/** Splits complete lines out of `buf` (from `from`), folding each; returns the fold and the rest's start. */
const foldLines = (scan: RolloutScan, buf: Buffer, from: number): [RolloutScan, number] => {
  let s = scan;
  let pos = from;
  for (;;) {
    const nl = buf.indexOf(NL, pos);
    if (nl === -1) return [s, pos];
    s = scanLine(s, parseRolloutLine(buf.toString("utf8", pos, nl)));
    pos = nl + 1;
  }
};

interface Body {
  readonly scan: RolloutScan;
  readonly complete: boolean;
  readonly truncated: boolean;
}

/** The rest of a small file, read in one go. */
const readRest = async (fh: File, head: Head, size: number): Promise<Body> => {
  const rest = Buffer.allocUnsafe(size - head.end);
  const fromHead = head.bytes.copy(rest, 0, head.end);
  const got =
    fromHead + (await readAt(fh, rest, rest.length - fromHead, head.bytes.length, fromHead));
  const [scan, pos] = foldLines(startScan(true, head.meta.ordinal), rest.subarray(0, got), 0);
  return { scan, complete: true, truncated: pos < got };
};

/** Backwards from the end, in growing windows, until the tail tells enough (or the limit). */
const readTail = async (fh: File, head: Head, size: number, scratch: Buffer): Promise<Body> => {
  let window: Buffer = Buffer.alloc(0);
  let start = size;
  let want: number = SESSION_READ_LIMITS.tailFirstBytes;
  for (;;) {
    const from = Math.max(head.end, size - want);
    const part =
      window.length === 0 && start - from <= scratch.length
        ? scratch.subarray(0, start - from)
        : Buffer.allocUnsafe(start - from);
    const got = await readAt(fh, part, part.length, from);
    const fresh = part.subarray(0, got);
    window = window.length === 0 ? fresh : Buffer.concat([fresh, window]);
    start = from;
    const complete = start === head.end;
    // A window that does not start at a line boundary begins with a fragment: drop it.
    const first = complete ? 0 : window.indexOf(NL) + 1;
    const [scan, pos] =
      first === 0 && !complete
        ? [startScan(false, head.meta.ordinal), 0]
        : foldLines(startScan(complete, head.meta.ordinal), window, first);
    const truncated = window.length > 0 && window[window.length - 1] !== NL;
    const done =
      complete ||
      tailIsSufficient(scan) ||
      window.length >= SESSION_READ_LIMITS.tailBytes ||
      got < part.length; // the file shrank under us: read no further
    if (done) return { scan, complete, truncated: truncated && pos < window.length };
    want = Math.min(want * 4, SESSION_READ_LIMITS.tailBytes);
  }
};

/** The first `n` bytes of `parts`, joined. */
const startOf = (parts: readonly Buffer[], n: number): Buffer => {
  const out: Buffer[] = [];
  let taken = 0;
  for (const p of parts) {
    if (taken >= n) break;
    const take = p.subarray(0, n - taken);
    out.push(take);
    taken += take.length;
  }
  return Buffer.concat(out);
};

/** Every line after the first, streamed; lines over the line limit are clipped to their start. */
const readAll = async (fh: File, head: Head, size: number, signal?: AbortSignal): Promise<Body> => {
  const limit = SESSION_READ_LIMITS.lineBytes;
  let scan = startScan(true, head.meta.ordinal);
  let parts: Buffer[] = []; // the current line's bytes so far (copies), unless clipped
  let length = 0; // the current line's length so far
  let prefix: Buffer | null = null; // once the line is over the limit: its first bytes only
  const add = (seg: Buffer): void => {
    if (seg.length === 0) return;
    if (prefix === null && length + seg.length > limit) {
      prefix = startOf([...parts, seg], CLIP_PREFIX);
      parts = [];
    } else if (prefix === null) parts.push(Buffer.from(seg));
    length += seg.length;
  };
  const end = (seg: Buffer): void => {
    const whole = prefix === null && length + seg.length <= limit;
    const bytes = whole
      ? length === 0
        ? seg
        : Buffer.concat([...parts, seg])
      : (prefix ?? startOf([...parts, seg], CLIP_PREFIX));
    scan = scanLine(scan, parseRolloutLine(bytes.toString("utf8"), !whole));
    parts = [];
    length = 0;
    prefix = null;
  };
  const feed = (buf: Buffer): void => {
    let pos = 0;
    for (;;) {
      const nl = buf.indexOf(NL, pos);
      if (nl === -1) return add(buf.subarray(pos));
      end(buf.subarray(pos, nl));
      pos = nl + 1;
    }
  };
  feed(head.bytes.subarray(head.end));
  const chunk = Buffer.allocUnsafe(SCAN_CHUNK);
  let position = head.bytes.length;
  while (position < size && signal?.aborted !== true) {
    const got = await readAt(fh, chunk, Math.min(chunk.length, size - position), position);
    if (got === 0) break;
    feed(chunk.subarray(0, got));
    position += got;
  }
  return { scan, complete: true, truncated: length > 0 };
};

/** A rollout read: its summary and its modification time. */
export interface Read {
  readonly summary: SessionSummary;
  readonly mtimeMs: number;
}

/**
 * Reads one rollout: head, then the rest (small files), the tail or everything. `expectedId`
 * (from the file name) must match the first line's thread id. Never rejects.
 */
export const readRollout = async (
  path: string,
  mode: "full" | "tail",
  expectedId: string | null,
  scratch: Scratch,
  signal?: AbortSignal,
): Promise<Result<Read, SessionProblem>> => {
  let fh: File | null = null;
  await acquire();
  try {
    if (signal?.aborted === true) return err(sessionUnreadable(path, "the read was aborted", null));
    const opened = await openRegularFile(path);
    if (opened.isErr()) return err(opened.error);
    fh = opened.value;
    const st = await fh.stat();
    const size = st.size;
    const head = await readHead(fh, path, size, scratch.head);
    if (head.isErr()) return err(head.error);
    const h = head.value;
    if (expectedId !== null && h.meta.threadId !== expectedId)
      return err(
        invalidRollout(path, [
          {
            path: "line.payload.id",
            message: `is ${h.meta.threadId}, but the file name says ${expectedId}`,
          },
        ]),
      );
    const body =
      size - h.bytes.length <= SESSION_READ_LIMITS.smallRestBytes
        ? await readRest(fh, h, size)
        : mode === "full"
          ? await readAll(fh, h, size, signal)
          : await readTail(fh, h, size, scratch.tail);
    const summary = summarize(h.meta, body.scan, {
      path,
      size,
      modifiedAt: new Date(st.mtimeMs).toISOString(),
      complete: body.complete,
      truncated: body.truncated,
    });
    return ok({ summary, mtimeMs: st.mtimeMs });
  } catch (e) {
    return err(unreadable(path, e));
  } finally {
    if (fh !== null) await fh.close().catch(() => undefined);
    release();
  }
};

/** The damage a summary shows, as a problem, or null. */
export const damage = (s: SessionSummary): SessionProblem | null =>
  s.truncated || s.unreadableLines > 0
    ? damagedRollout(
        s.path,
        [
          s.unreadableLines > 0 ? `${s.unreadableLines} unreadable line(s) ignored` : null,
          s.truncated ? "the last line is incomplete and was ignored" : null,
        ]
          .filter((m) => m !== null)
          .join("; "),
        s.unreadableLines,
        s.truncated,
      )
    : null;
