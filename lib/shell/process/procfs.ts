/**
 * What Linux's `/proc` says about processes: the descendants of a process (a walk of parent
 * ids), and a kill that checks a pid still names the process that was seen (its start time),
 * so a recycled pid is never hit. Commands the CLI runs in their own session are outside its
 * process group; this is how they are found while the CLI is alive. Without `/proc` (macOS,
 * Windows) every function returns nothing and kills nothing.
 */
import { readdirSync, readFileSync } from "node:fs";

/** One process as `/proc/<pid>/stat` shows it. */
export interface ProcEntry {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  /** Clock ticks after boot at which it started: with the pid, its identity. */
  readonly startTime: string;
}

/** Parses `/proc/<pid>/stat` ("pid (comm) S ppid pgrp session … starttime …"); null if unreadable. */
export const parseStat = (text: string): ProcEntry | null => {
  const close = text.lastIndexOf(")");
  if (close < 0) return null;
  const pid = Number(text.slice(0, text.indexOf(" ")));
  // After ") ": state(0) ppid(1) pgrp(2) session(3) … starttime is field 22 overall → index 19.
  const rest = text.slice(close + 2).split(" ");
  const ppid = Number(rest[1]);
  const pgid = Number(rest[2]);
  const startTime = rest[19];
  if (!Number.isInteger(pid) || !Number.isInteger(ppid) || !Number.isInteger(pgid)) return null;
  if (startTime === undefined || rest[0] === "Z") return null; // a zombie is already dead
  return { pid, ppid, pgid, startTime };
};

const readEntry = (pid: number): ProcEntry | null => {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return null;
  }
};

/** Every live process, or an empty list without `/proc`. */
export const processTable = (): ProcEntry[] => {
  let names: string[];
  try {
    names = readdirSync("/proc");
  } catch {
    return [];
  }
  const out: ProcEntry[] = [];
  for (const n of names) {
    if (n.charCodeAt(0) < 48 || n.charCodeAt(0) > 57) continue;
    const e = readEntry(Number(n));
    if (e !== null) out.push(e);
  }
  return out;
};

/** The live descendants of `root` (children, their children …), found by parent id. */
export const descendantsOf = (root: number, table: readonly ProcEntry[] = processTable()) => {
  const children = new Map<number, ProcEntry[]>();
  for (const e of table) {
    const list = children.get(e.ppid);
    if (list === undefined) children.set(e.ppid, [e]);
    else list.push(e);
  }
  const out: ProcEntry[] = [];
  const todo = [root];
  const seen = new Set<number>([root]);
  while (todo.length > 0) {
    for (const c of children.get(todo.pop()!) ?? []) {
      if (seen.has(c.pid)) continue;
      seen.add(c.pid);
      out.push(c);
      todo.push(c.pid);
    }
  }
  return out;
};

/** True while `e`'s pid still names the process that was seen (same start time, not a zombie). */
export const stillRunning = (e: ProcEntry): boolean => readEntry(e.pid)?.startTime === e.startTime;

const signal = (pid: number, sig: NodeJS.Signals): void => {
  try {
    process.kill(pid, sig);
  } catch {
    // gone meanwhile
  }
};

/**
 * Sends `sig` to each entry still running, and to the process group of each that leads one
 * (so what it started in its group since the snapshot goes too). `spare` is a group never
 * signalled (the host's own). Returns how many were still running.
 */
export const signalEntries = (
  entries: readonly ProcEntry[],
  sig: NodeJS.Signals,
  spare: number = process.pid,
): number => {
  const hostGroup = readEntry(spare)?.pgid ?? -1;
  let hit = 0;
  for (const e of entries) {
    if (!stillRunning(e)) continue;
    hit += 1;
    if (e.pgid === e.pid && e.pgid !== hostGroup) signal(-e.pgid, sig);
    signal(e.pid, sig);
  }
  return hit;
};
