/**
 * The CLI's session store, read safely: `$CODEX_HOME/sessions/YYYY/MM/DD/rollout-*.jsonl`.
 *
 * A rollout is never read whole into memory. Listings read each file's HEAD (the first line,
 * `session_meta`, up to {@link SESSION_READ_LIMITS}.headBytes) and its TAIL (backwards from the
 * end, in growing windows, until the last completed turn and its usage are in view), so their
 * cost does not grow with the files' bodies. A tail cannot count turns, so a listed summary's
 * `completedTurns` is null unless the file is small enough that head and tail covered all of it.
 * Functions about ONE thread (`findSession`, `readSession`, `observeSession`, the pick of
 * `lastSession`) stream the whole file once, line by line, to count turns exactly; lines too
 * long to matter (over `lineBytes`) are skipped, not held.
 *
 * Bad entries never fail a listing: they come back as `problems`, one per file. Every function
 * returns a `ResultAsync` and never rejects.
 */
import { close, fstat, open, read, type Stats } from "node:fs";
import { readdir } from "node:fs/promises";
import { homedir, userInfo } from "node:os";
import { basename, join, resolve } from "node:path";
import { err, errAsync, ok, ResultAsync, type Result } from "neverthrow";
import { isLeft } from "fp-ts/lib/Either.js";
import {
  newestFirst,
  observedFrom,
  parseRolloutLine,
  parseRolloutName,
  parseSessionMeta,
  scanLine,
  startScan,
  summarize,
  tailIsSufficient,
  type RolloutScan,
  type SessionMeta,
  type SessionSummary,
} from "../core/rollout.js";
import type { ObservedSession } from "../core/resume-validator.js";
import { invalidRollout, type SessionError, type SessionProblem } from "../core/session-errors.js";
import { parseThreadId } from "../core/thread-id.js";

/** The bounds of every read. */
export const SESSION_READ_LIMITS = {
  /** The longest first line (`session_meta`) accepted. */
  headBytes: 1024 * 1024,
  /** A file whose rest (after the first line) is at most this is read whole, and counted exactly. */
  smallRestBytes: 256 * 1024,
  /** The first tail window; each further one is four times larger. */
  tailFirstBytes: 16 * 1024,
  /** The largest tail window a listing reads. */
  tailBytes: 2 * 1024 * 1024,
  /** In a full scan, lines longer than this are skipped (only their start is read, for the ordinal). */
  lineBytes: 16 * 1024 * 1024,
  /** Files read at once by default. */
  concurrency: 16,
} as const;

const HEAD_CHUNK = 32 * 1024;
const SCAN_CHUNK = 256 * 1024;
const CLIP_PREFIX = 4096;
const NL = 0x0a;

/** Where the store is: an explicit `codexHome`, else the environment the CLI will run with. */
export interface SessionStoreOptions {
  /** The `CODEX_HOME` to read; wins over everything else. */
  readonly codexHome?: string;
  /**
   * The environment the CLI runs with — a thread's `codexOptions.env`. As with the CLI, when it
   * is given it is the whole environment: `CODEX_HOME` from it, else `$HOME/.codex` from it,
   * else the user's home; `process.env` is not consulted. When it is not given, `process.env`.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Files read at once (default {@link SESSION_READ_LIMITS}.concurrency). */
  readonly concurrency?: number;
}

/** How much of a single rollout to read: `full` streams it to count turns, `tail` does not. */
export interface SessionReadOptions {
  readonly scan?: "full" | "tail";
}

/** The sessions of a store, newest first, and the entries that could not be listed. */
export interface SessionListing {
  readonly sessions: readonly SessionSummary[];
  readonly problems: readonly SessionProblem[];
}

const nonEmpty = (s: string | undefined): s is string => typeof s === "string" && s !== "";

const userHome = (): string => {
  try {
    return userInfo().homedir;
  } catch {
    return homedir();
  }
};

/**
 * The `CODEX_HOME` the CLI would use: `codexHome`; else `CODEX_HOME` of `env` (when given) or of
 * `process.env`; else `<home>/.codex`. An empty value counts as unset; relative paths are
 * resolved against the current directory.
 */
export const resolveCodexHome = (opts: SessionStoreOptions = {}): string => {
  if (nonEmpty(opts.codexHome)) return resolve(opts.codexHome);
  const env = opts.env ?? process.env;
  const fromEnv = env["CODEX_HOME"];
  if (nonEmpty(fromEnv)) return resolve(fromEnv);
  const home = opts.env === undefined ? homedir() : (opts.env["HOME"] ?? "");
  return join(nonEmpty(home) ? home : userHome(), ".codex");
};

const codeOf = (e: unknown): string | null =>
  typeof e === "object" && e !== null && typeof (e as { code?: unknown }).code === "string"
    ? (e as { code: string }).code
    : null;

const describeFsError = (e: unknown): string => {
  const code = codeOf(e);
  const text = e instanceof Error ? e.message : "unknown error";
  return code === null ? text : `${code}: ${text}`;
};

const unreadable = (path: string, e: unknown): SessionProblem => ({
  _tag: "SessionUnreadable",
  path,
  message: `cannot read the rollout (${describeFsError(e)})`,
  code: codeOf(e),
});

/** Runs `f` on every item with at most `limit` in flight; results in item order. */
const mapPool = async <A, B>(
  items: readonly A[],
  limit: number,
  f: (a: A, worker: number) => Promise<B>,
): Promise<B[]> => {
  const out = new Array<B>(items.length);
  let next = 0;
  const work = async (w: number): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i] as A, w);
    }
  };
  const n = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  await Promise.all(Array.from({ length: n }, (_, w) => work(w)));
  return out;
};

// ---------------------------------------------------------------------------------------------
// Reading one rollout
// ---------------------------------------------------------------------------------------------

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
interface File {
  read(buf: Buffer, offset: number, length: number, position: number): Promise<number>;
  stat(): Promise<Stats>;
  close(): Promise<void>;
}

const openFile = (path: string): Promise<File> =>
  new Promise((resolveOpen, reject) =>
    open(path, "r", (e, fd) => {
      if (e) return reject(e);
      resolveOpen({
        read: (buf, offset, length, position) =>
          new Promise((res, rej) =>
            read(fd, buf, offset, length, position, (re, n) => (re ? rej(re) : res(n))),
          ),
        stat: () => new Promise((res, rej) => fstat(fd, (se, st) => (se ? rej(se) : res(st)))),
        close: () => new Promise((res) => close(fd, () => res())),
      });
    }),
  );

/** Buffers one reader reuses from file to file (the first head and tail reads). */
interface Scratch {
  readonly head: Buffer;
  readonly tail: Buffer;
}

const newScratch = (): Scratch => ({
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
const readAll = async (fh: File, head: Head, size: number): Promise<Body> => {
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
  while (position < size) {
    const got = await readAt(fh, chunk, Math.min(chunk.length, size - position), position);
    if (got === 0) break;
    feed(chunk.subarray(0, got));
    position += got;
  }
  return { scan, complete: true, truncated: length > 0 };
};

interface Read {
  readonly summary: SessionSummary;
  readonly mtimeMs: number;
}

/**
 * Reads one rollout: head, then the rest (small files), the tail or everything. `expectedId`
 * (from the file name) must match the first line's thread id. Never rejects.
 */
const readRollout = async (
  path: string,
  mode: "full" | "tail",
  expectedId: string | null,
  scratch: Scratch,
): Promise<Result<Read, SessionProblem>> => {
  let fh: File | null = null;
  try {
    fh = await openFile(path);
    const st = await fh.stat();
    if (!st.isFile())
      return err({ _tag: "SessionUnreadable", path, message: "not a regular file", code: null });
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
          ? await readAll(fh, h, size)
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
  }
};

const damage = (s: SessionSummary): SessionProblem | null =>
  s.truncated || s.unreadableLines > 0
    ? {
        _tag: "DamagedRollout",
        path: s.path,
        message: [
          s.unreadableLines > 0 ? `${s.unreadableLines} unreadable line(s) ignored` : null,
          s.truncated ? "the last line is incomplete and was ignored" : null,
        ]
          .filter((m) => m !== null)
          .join("; "),
        unreadableLines: s.unreadableLines,
        truncated: s.truncated,
      }
    : null;

// ---------------------------------------------------------------------------------------------
// Walking the store
// ---------------------------------------------------------------------------------------------

interface Entry {
  readonly path: string;
  readonly timestamp: string;
  readonly threadId: string;
}

interface Walk {
  readonly entries: Entry[];
  readonly compressed: Entry[];
  readonly problems: SessionProblem[];
}

const storeUnreadable = (path: string, e: unknown): SessionProblem => ({
  _tag: "StoreUnreadable",
  path,
  message: `cannot read the session folder (${describeFsError(e)})`,
  code: codeOf(e),
});

const foreign = (path: string, what: string): SessionProblem => ({
  _tag: "ForeignFile",
  path,
  message: `not part of the session store (${what})`,
});

const YEAR = /^\d{4}$/;
const TWO = /^\d{2}$/;

/** Lists `sessions/YYYY/MM/DD/*`; only the top folder being unreadable is fatal. */
const walk = async (sessions: string, concurrency: number): Promise<Result<Walk, SessionError>> => {
  const problems: SessionProblem[] = [];
  const list = async (dir: string) => {
    try {
      return await readdir(dir, { withFileTypes: true });
    } catch (e) {
      problems.push(storeUnreadable(dir, e));
      return [];
    }
  };
  let top;
  try {
    top = await readdir(sessions, { withFileTypes: true });
  } catch (e) {
    return codeOf(e) === "ENOENT"
      ? ok({ entries: [], compressed: [], problems: [] })
      : err(storeUnreadable(sessions, e));
  }
  const dirsMatching = (
    dir: string,
    ents: Awaited<ReturnType<typeof list>>,
    re: RegExp,
    what: string,
  ): string[] => {
    const out: string[] = [];
    for (const d of ents) {
      const p = join(dir, d.name);
      if (re.test(d.name) && (d.isDirectory() || d.isSymbolicLink())) out.push(p);
      else problems.push(foreign(p, `expected a ${what} folder`));
    }
    return out;
  };
  const years = dirsMatching(sessions, top, YEAR, "YYYY");
  const months = (
    await mapPool(years, concurrency, async (y) => dirsMatching(y, await list(y), TWO, "MM"))
  ).flat();
  const days = (
    await mapPool(months, concurrency, async (m) => dirsMatching(m, await list(m), TWO, "DD"))
  ).flat();
  const files = await mapPool(days, concurrency, async (d) => ({ dir: d, ents: await list(d) }));
  const entries: Entry[] = [];
  const compressed: Entry[] = [];
  for (const { dir, ents } of files)
    for (const f of ents) {
      const p = join(dir, f.name);
      const name = parseRolloutName(f.name);
      if (name === null)
        problems.push(foreign(p, "expected rollout-<timestamp>-<thread id>.jsonl"));
      else (name.kind === "rollout" ? entries : compressed).push({ path: p, ...name });
    }
  return ok({ entries, compressed, problems });
};

const compressedProblem = (e: Entry): SessionProblem => ({
  _tag: "UnsupportedRollout",
  path: e.path,
  message: "a compressed rollout (.jsonl.zst) is not read",
});

const sessionsDir = (opts: SessionStoreOptions): string => join(resolveCodexHome(opts), "sessions");

const concurrencyOf = (opts: SessionStoreOptions): number =>
  typeof opts.concurrency === "number" && opts.concurrency >= 1
    ? opts.concurrency
    : SESSION_READ_LIMITS.concurrency;

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
        return err<A, SessionError>(storeUnreadable(path, e));
      }
    })(),
  );

/** Reads listed entries (tails), keeping the name's timestamp for sorting. */
const readEntries = async (
  entries: readonly Entry[],
  concurrency: number,
): Promise<Array<{ entry: Entry; read: Result<Read, SessionProblem> }>> => {
  const bufs = Array.from(
    { length: Math.min(concurrency, Math.max(1, entries.length)) },
    newScratch,
  );
  return mapPool(entries, concurrency, async (entry, w) => ({
    entry,
    read: await readRollout(entry.path, "tail", entry.threadId, bufs[w] ?? newScratch()),
  }));
};

// ---------------------------------------------------------------------------------------------
// The public functions
// ---------------------------------------------------------------------------------------------

/**
 * Lists every session of the store, newest first (by the timestamp in the file name, then
 * modification time), reading only each file's head and tail. `completedTurns` is null for
 * files too large to be read whole that way. Unreadable, invalid, damaged (still listed),
 * compressed and foreign entries are reported in `problems`. Fails only when the sessions
 * folder itself exists but cannot be read.
 */
export const listSessions = (
  opts: SessionStoreOptions = {},
): ResultAsync<SessionListing, SessionError> => {
  const dir = sessionsDir(opts);
  return settle(async () => {
    const w = await walk(dir, concurrencyOf(opts));
    if (w.isErr()) return err(w.error);
    const { entries, compressed, problems } = w.value;
    const reads = await readEntries(entries, concurrencyOf(opts));
    const listed: Array<{ summary: SessionSummary; timestamp: string; mtimeMs: number }> = [];
    const found: SessionProblem[] = [...problems, ...compressed.map(compressedProblem)];
    for (const { entry, read } of reads) {
      if (read.isErr()) {
        found.push(read.error);
        continue;
      }
      listed.push({ ...read.value, timestamp: entry.timestamp });
      const d = damage(read.value.summary);
      if (d !== null) found.push(d);
    }
    listed.sort((a, b) =>
      newestFirst(
        { timestamp: a.timestamp, mtimeMs: a.mtimeMs, path: a.summary.path },
        { timestamp: b.timestamp, mtimeMs: b.mtimeMs, path: b.summary.path },
      ),
    );
    found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return ok({ sessions: listed.map((l) => l.summary), problems: found });
  }, dir);
};

/**
 * Reads one rollout file by path: its head, then the whole file streamed (`scan: "full"`, the
 * default: turns are counted) or only its tail. A file named like a rollout must hold that
 * thread. Damage (unreadable lines, an incomplete last line) shows in the summary's flags.
 */
export const readSession = (
  path: string,
  opts: SessionReadOptions = {},
): ResultAsync<SessionSummary, SessionError> =>
  settle(async () => {
    if (typeof path !== "string" || path === "")
      return err({
        _tag: "SessionUnreadable",
        path: String(path),
        message: "no path given",
        code: null,
      });
    const name = parseRolloutName(basename(path));
    if (name?.kind === "compressed") return err(compressedProblem({ path, ...name }));
    const r = await readRollout(path, opts.scan ?? "full", name?.threadId ?? null, newScratch());
    return r.map((x) => x.summary);
  }, String(path));

/** The UTC day folders (`YYYY/MM/DD`) around a UUIDv7's creation time; empty for other ids. */
export const dayFoldersOf = (threadId: string): string[] => {
  const m = /^([0-9a-f]{8})-([0-9a-f]{4})-7[0-9a-f]{3}-/i.exec(threadId);
  if (m === null) return [];
  const ms = parseInt(`${m[1]}${m[2]}`, 16);
  const day = 24 * 60 * 60 * 1000;
  return [ms, ms - day, ms + day].map((t) => {
    const d = new Date(t);
    const two = (n: number) => String(n).padStart(2, "0");
    return join(String(d.getUTCFullYear()), two(d.getUTCMonth() + 1), two(d.getUTCDate()));
  });
};

/** The newest plain rollout of `threadId` in its UUIDv7 day folders, or null. */
const findInDays = async (sessions: string, threadId: string): Promise<string | null> => {
  for (const day of dayFoldersOf(threadId)) {
    const dir = join(sessions, day);
    const names = await readdir(dir).catch(() => [] as string[]);
    const hit = names
      .filter((n) => {
        const r = parseRolloutName(n);
        return r !== null && r.kind === "rollout" && r.threadId === threadId;
      })
      .sort()
      .pop();
    if (hit !== undefined) return join(dir, hit);
  }
  return null;
};

/**
 * Finds a thread's rollout in the store and reads it (a full scan by default). The id is
 * validated before any file is touched; it is only ever compared with file names.
 */
export const findSession = (
  threadId: string,
  opts: SessionStoreOptions & SessionReadOptions = {},
): ResultAsync<SessionSummary, SessionError> => {
  const id = parseThreadId(threadId);
  if (id.isErr()) {
    const e = id.error;
    return errAsync(
      e._tag === "InvalidThreadId"
        ? e
        : { _tag: "InvalidThreadId", path: "threadId", message: e.message, issues: [] },
    );
  }
  const dir = sessionsDir(opts);
  return settle(async () => {
    // The CLI's ids are UUIDv7: their first 48 bits are the creation time, and the rollout lives
    // in that day's folder (local time: the days around the UTC one are tried). Looking there
    // first keeps a lookup after every turn cheap in a store of any size.
    const hinted = await findInDays(dir, id.value);
    if (hinted !== null) {
      const r = await readRollout(hinted, opts.scan ?? "full", id.value, newScratch());
      if (r.isOk()) return ok(r.value.summary);
    }
    const w = await walk(dir, concurrencyOf(opts));
    if (w.isErr()) return err(w.error);
    const newest = (es: Entry[]) =>
      es
        .filter((e) => e.threadId === id.value)
        .sort((a, b) => newestFirst({ ...a, mtimeMs: 0 }, { ...b, mtimeMs: 0 }))[0];
    const entry = newest(w.value.entries);
    if (entry === undefined) {
      const packed = newest(w.value.compressed);
      return packed !== undefined
        ? err(compressedProblem(packed))
        : err({
            _tag: "SessionNotFound",
            path: dir,
            message: `no rollout found for thread id ${id.value}`,
            threadId: id.value,
            cwd: null,
          });
    }
    const r = await readRollout(entry.path, opts.scan ?? "full", entry.threadId, newScratch());
    return r.map((x) => x.summary);
  }, dir);
};

/**
 * The most recent session — of the given working directory when `cwd` is set — like
 * `codex exec resume --last`: candidates are read newest first, tails only, a batch at a time;
 * the one picked is then read in full (turns counted).
 */
export const lastSession = (
  opts: SessionStoreOptions & { readonly cwd?: string } = {},
): ResultAsync<SessionSummary, SessionError> => {
  const dir = sessionsDir(opts);
  const cwd = nonEmpty(opts.cwd) ? resolve(opts.cwd) : null;
  return settle(async () => {
    const w = await walk(dir, concurrencyOf(opts));
    if (w.isErr()) return err(w.error);
    const entries = [...w.value.entries].sort((a, b) =>
      newestFirst({ ...a, mtimeMs: 0 }, { ...b, mtimeMs: 0 }),
    );
    const batch = concurrencyOf(opts);
    let i = 0;
    while (i < entries.length) {
      // Keep entries of one timestamp in one batch: among them, mtime decides.
      let j = Math.min(entries.length, i + batch);
      while (j < entries.length && entries[j]?.timestamp === entries[j - 1]?.timestamp) j++;
      const reads = await readEntries(entries.slice(i, j), batch);
      const best = reads
        .flatMap(({ entry, read }) =>
          read.isOk() && (cwd === null || read.value.summary.cwd === cwd)
            ? [{ ...read.value, timestamp: entry.timestamp, entry }]
            : [],
        )
        .sort((a, b) =>
          newestFirst(
            { timestamp: a.timestamp, mtimeMs: a.mtimeMs, path: a.summary.path },
            { timestamp: b.timestamp, mtimeMs: b.mtimeMs, path: b.summary.path },
          ),
        )[0];
      if (best !== undefined) {
        const full = await readRollout(best.entry.path, "full", best.entry.threadId, newScratch());
        return full.map((x) => x.summary);
      }
      i = j;
    }
    return err({
      _tag: "SessionNotFound",
      path: dir,
      message:
        cwd === null ? "no session in the store" : `no session for the working directory ${cwd}`,
      threadId: null,
      cwd,
    });
  }, dir);
};

/**
 * What the store says of a thread, for the resume validator: its position (turns counted by a
 * full scan) and whether its rollout interleaves two writers.
 */
export const observeSession = (
  threadId: string,
  opts: SessionStoreOptions = {},
): ResultAsync<ObservedSession, SessionError> =>
  findSession(threadId, { ...opts, scan: "full" }).map(observedFrom);
