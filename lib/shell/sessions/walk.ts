/**
 * Walking the store: `sessions/YYYY/MM/DD/rollout-*.jsonl`, the entries named like rollouts,
 * what is foreign to it, and the day folders a UUIDv7 thread id points at.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { err, ok, type Result } from "neverthrow";
import { parseRolloutName } from "../../core/rollout.js";
import {
  foreignFile,
  unsupportedRollout,
  type SessionError,
  type SessionProblem,
} from "../../core/errors/index.js";
import { codeOf, mapPool, storeUnreadable } from "./store.js";
import { newScratch, readRollout, type Read } from "./read-rollout.js";

/** A file named like a rollout: where it is, and what its name says. */
export interface Entry {
  readonly path: string;
  readonly timestamp: string;
  readonly threadId: string;
}

/** What a walk found. */
export interface Walk {
  readonly entries: Entry[];
  readonly compressed: Entry[];
  readonly problems: SessionProblem[];
}

const foreign = (path: string, what: string): SessionProblem =>
  foreignFile(path, `not part of the session store (${what})`);

const YEAR = /^\d{4}$/;
const TWO = /^\d{2}$/;

/** Lists `sessions/YYYY/MM/DD/*`; only the top folder being unreadable is fatal. */
export const walk = async (
  sessions: string,
  concurrency: number,
  signal?: AbortSignal,
): Promise<Result<Walk, SessionError>> => {
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
    await mapPool(
      years,
      concurrency,
      async (y) => dirsMatching(y, await list(y), TWO, "MM"),
      signal,
    )
  ).flat();
  const days = (
    await mapPool(
      months,
      concurrency,
      async (m) => dirsMatching(m, await list(m), TWO, "DD"),
      signal,
    )
  ).flat();
  const files = await mapPool(
    days,
    concurrency,
    async (d) => ({ dir: d, ents: await list(d) }),
    signal,
  );
  const entries: Entry[] = [];
  const compressed: Entry[] = [];
  for (const { dir, ents } of files.filter((f) => f !== undefined))
    for (const f of ents) {
      const p = join(dir, f.name);
      const name = parseRolloutName(f.name);
      if (name === null)
        problems.push(foreign(p, "expected rollout-<timestamp>-<thread id>.jsonl"));
      else (name.kind === "rollout" ? entries : compressed).push({ path: p, ...name });
    }
  return ok({ entries, compressed, problems });
};

/** A compressed rollout, which is not read. */
export const compressedProblem = (e: Entry): SessionProblem =>
  unsupportedRollout(e.path, "a compressed rollout (.jsonl.zst) is not read");

/** Reads listed entries (tails), keeping the name's timestamp for sorting. */
export const readEntries = async (
  entries: readonly Entry[],
  concurrency: number,
  signal?: AbortSignal,
): Promise<Array<{ entry: Entry; read: Result<Read, SessionProblem> }>> => {
  const bufs = Array.from(
    { length: Math.min(concurrency, Math.max(1, entries.length)) },
    newScratch,
  );
  const reads = await mapPool(
    entries,
    concurrency,
    async (entry, w) => ({
      entry,
      read: await readRollout(entry.path, "tail", entry.threadId, bufs[w] ?? newScratch(), signal),
    }),
    signal,
  );
  return reads.filter((r) => r !== undefined);
};

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
export const findInDays = async (sessions: string, threadId: string): Promise<string | null> => {
  for (const day of dayFoldersOf(threadId)) {
    const dir = join(sessions, day);
    const names = await readdir(dir).catch((): string[] => []);
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
