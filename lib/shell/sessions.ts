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
 * Odd entries never hang anything: only regular files are opened (FIFOs, sockets, devices,
 * folders and symbolic links named like rollouts are reported as `SessionUnreadable`), reads are
 * bounded process-wide, and `signal` stops any call at once (`Aborted`).
 *
 * Bad entries never fail a listing: they come back as `problems`, one per file. Every function
 * returns a `ResultAsync` and never rejects.
 *
 * The parts: `sessions/store.ts` (where the store is, limits, options), `sessions/walk.ts`
 * (the folders), `sessions/read-rollout.ts` (one file); this module holds the public functions.
 */
import { basename, resolve } from "node:path";
import { err, errAsync, ok, ResultAsync, type Result } from "neverthrow";
import {
  newestFirst,
  observedFrom,
  parseRolloutName,
  type SessionSummary,
} from "../core/rollout.js";
import type { ObservedSession } from "../core/resume-validator.js";
import {
  aborted,
  sessionNotFound,
  sessionUnreadable,
  type SessionError,
  type SessionProblem,
} from "../core/errors/index.js";
import { threadIdAt } from "../core/thread-id.js";
import {
  concurrencyOf,
  nonEmpty,
  sessionsDir,
  storeUnreadable,
  takeOptions,
  type SessionListing,
  type SessionReadOptions,
  type SessionStoreOptions,
} from "./sessions/store.js";
import { damage, newScratch, readRollout } from "./sessions/read-rollout.js";
import { compressedProblem, findInDays, readEntries, walk, type Entry } from "./sessions/walk.js";

export {
  SESSION_READ_LIMITS,
  resolveCodexHome,
  type SessionListing,
  type SessionReadOptions,
  type SessionStoreOptions,
} from "./sessions/store.js";
export { dayFoldersOf } from "./sessions/walk.js";

const abortedRead = (): SessionError =>
  aborted("opts.signal", "the read of the session store was aborted");

/**
 * Turns a promise of a Result that might still reject into a ResultAsync that never does, and
 * that settles `Aborted` as soon as `signal` aborts (the work left behind stops at its next step).
 */
const settle = <A>(
  p: () => Promise<Result<A, SessionError>>,
  path: string,
  signal?: AbortSignal,
): ResultAsync<A, SessionError> =>
  new ResultAsync(
    new Promise<Result<A, SessionError>>((done) => {
      if (signal?.aborted === true) return done(err(abortedRead()));
      const onAbort = () => done(err(abortedRead()));
      signal?.addEventListener("abort", onAbort, { once: true });
      (async () => {
        try {
          return await p();
        } catch (e) {
          return err<A, SessionError>(storeUnreadable(path, e));
        }
      })().then((r) => {
        signal?.removeEventListener("abort", onAbort);
        done(signal?.aborted === true ? err(abortedRead()) : r);
      });
    }),
  );

/**
 * Lists every session of the store, newest first (by the timestamp in the file name, then
 * modification time), reading only each file's head and tail. `completedTurns` is null for
 * files too large to be read whole that way. Unreadable, invalid, damaged (still listed),
 * compressed and foreign entries are reported in `problems`. Fails only when the sessions
 * folder itself exists but cannot be read.
 */
export const listSessions = (
  optsArg: SessionStoreOptions = {},
): ResultAsync<SessionListing, SessionError> => {
  const taken = takeOptions<SessionStoreOptions>(optsArg, "opts");
  if (taken.isErr()) return errAsync(taken.error);
  const opts: SessionStoreOptions = taken.value.options;
  const dir = sessionsDir(opts);
  return settle(
    async () => {
      const w = await walk(dir, concurrencyOf(opts), opts.signal);
      if (w.isErr()) return err(w.error);
      const { entries, compressed, problems } = w.value;
      const reads = await readEntries(entries, concurrencyOf(opts), opts.signal);
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
    },
    dir,
    opts.signal,
  );
};

/**
 * Reads one rollout file by path: its head, then the whole file streamed (`scan: "full"`, the
 * default: turns are counted) or only its tail. A file named like a rollout must hold that
 * thread. Damage (unreadable lines, an incomplete last line) shows in the summary's flags. Only
 * a regular file is read: not a symbolic link, FIFO, socket or folder.
 */
export const readSession = (
  path: string,
  optsArg: SessionReadOptions & Pick<SessionStoreOptions, "signal" | "limits"> = {},
): ResultAsync<SessionSummary, SessionError> => {
  const taken = takeOptions<SessionReadOptions & Pick<SessionStoreOptions, "signal">>(
    optsArg,
    "opts",
    [[path, "path"]],
  );
  if (taken.isErr()) return errAsync(taken.error);
  const opts: SessionReadOptions & Pick<SessionStoreOptions, "signal"> = taken.value.options;
  return settle(
    async () => {
      if (typeof path !== "string" || path === "")
        return err(sessionUnreadable("path", "no path given", null));
      const name = parseRolloutName(basename(path));
      if (name?.kind === "compressed") return err(compressedProblem({ path, ...name }));
      const r = await readRollout(
        path,
        opts.scan ?? "full",
        name?.threadId ?? null,
        newScratch(),
        opts.signal,
      );
      return r.map((x) => x.summary);
    },
    typeof path === "string" ? path : "path",
    opts.signal,
  );
};

/**
 * Finds a thread's rollout in the store and reads it (a full scan by default). The id is
 * validated before any file is touched; it is only ever compared with file names.
 */
export const findSession = (
  threadId: string,
  optsArg: SessionStoreOptions & SessionReadOptions = {},
): ResultAsync<SessionSummary, SessionError> => {
  const taken = takeOptions<SessionStoreOptions & SessionReadOptions>(optsArg, "opts");
  if (taken.isErr()) return errAsync(taken.error);
  const opts: SessionStoreOptions & SessionReadOptions = taken.value.options;
  const id = threadIdAt(threadId, "threadId", taken.value.limits);
  if (id.isErr()) return errAsync(id.error);
  const dir = sessionsDir(opts);
  return settle(
    async () => {
      // The CLI's ids are UUIDv7: their first 48 bits are the creation time, and the rollout lives
      // in that day's folder (local time: the days around the UTC one are tried). Looking there
      // first keeps a lookup after every turn cheap in a store of any size.
      const hinted = await findInDays(dir, id.value);
      if (hinted !== null) {
        const r = await readRollout(
          hinted,
          opts.scan ?? "full",
          id.value,
          newScratch(),
          opts.signal,
        );
        if (r.isOk()) return ok(r.value.summary);
      }
      const w = await walk(dir, concurrencyOf(opts), opts.signal);
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
          : err(sessionNotFound(dir, `no rollout found for thread id ${id.value}`, id.value, null));
      }
      const r = await readRollout(
        entry.path,
        opts.scan ?? "full",
        entry.threadId,
        newScratch(),
        opts.signal,
      );
      return r.map((x) => x.summary);
    },
    dir,
    opts.signal,
  );
};

/**
 * The most recent session — of the given working directory when `cwd` is set — like
 * `codex exec resume --last`: candidates are read newest first, tails only, a batch at a time;
 * the one picked is then read in full (turns counted).
 */
export const lastSession = (
  optsArg: SessionStoreOptions & { readonly cwd?: string } = {},
): ResultAsync<SessionSummary, SessionError> => {
  const taken = takeOptions<SessionStoreOptions & { readonly cwd?: string }>(optsArg, "opts");
  if (taken.isErr()) return errAsync(taken.error);
  const opts: SessionStoreOptions & { readonly cwd?: string } = taken.value.options;
  const dir = sessionsDir(opts);
  const cwd = nonEmpty(opts.cwd) ? resolve(opts.cwd) : null;
  return settle(
    async () => {
      const w = await walk(dir, concurrencyOf(opts), opts.signal);
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
        if (opts.signal?.aborted === true) break;
        const reads = await readEntries(entries.slice(i, j), batch, opts.signal);
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
          const full = await readRollout(
            best.entry.path,
            "full",
            best.entry.threadId,
            newScratch(),
            opts.signal,
          );
          return full.map((x) => x.summary);
        }
        i = j;
      }
      return err(
        sessionNotFound(
          dir,
          cwd === null ? "no session in the store" : `no session for the working directory ${cwd}`,
          null,
          cwd,
        ),
      );
    },
    dir,
    opts.signal,
  );
};

/**
 * What the store says of a thread, for the resume validator: its position (turns counted by a
 * full scan) and whether its rollout interleaves two writers.
 */
export const observeSession = (
  threadId: string,
  opts: SessionStoreOptions = {},
): ResultAsync<ObservedSession, SessionError> => {
  const taken = takeOptions<SessionStoreOptions>(opts, "opts");
  if (taken.isErr()) return errAsync(taken.error);
  return findSession(threadId, { ...taken.value.options, scan: "full" }).map(observedFrom);
};
