/**
 * Where a new fork stands, read from the session store: its position (its own rollout, which
 * the session observer will read before the fork's first turn) and the usage its history holds
 * (the parent's cumulative usage at the fork's cut, following a fork of a fork back as far as
 * needed). Both transports' `forkThread` use it; `listThreads` uses {@link forkedFromIdAt}.
 * See `../core/fork.ts` for the CLI's fork layout.
 */
import { NEW_FORK_POSITION, startForkPoint, stepForkPoint, type ForkFacts } from "../core/fork.js";
import { scanLine, startScan } from "../core/rollout.js";
import type { Usage } from "../core/usage.js";
import { foldRollout } from "./sessions/fold-rollout.js";

/** Finds a thread's rollout file: its path, or null when it cannot be found. Never rejects. */
export type LocateRollout = (threadId: string) => Promise<string | null>;

/** How many forks of forks are followed back to find the usage of a fork's history. */
const MAX_FORK_DEPTH = 16;

/**
 * What a new fork is, from its rollout at `forkPath` (null: it has none, e.g. ephemeral) and
 * its ancestors' (found with `locate`). What cannot be read falls back: the position of a new
 * rollout (no turns) and the usage `fallback`. Never rejects.
 */
export const readForkFacts = async (
  forkPath: string | null,
  locate: LocateRollout,
  fallback: Usage | null,
): Promise<ForkFacts> => {
  if (forkPath === null) return { cumulativeUsage: fallback, position: NEW_FORK_POSITION };
  const own = await foldRollout(forkPath, {
    start: (meta) => startScan(true, meta.ordinal),
    step: scanLine,
    done: () => false,
  });
  if (own.isErr()) return { cumulativeUsage: fallback, position: NEW_FORK_POSITION };
  const { meta, state: scan } = own.value;
  const position = {
    completedTurns: scan.completedTurns,
    lastTurnId: scan.completedTurns === 0 ? null : (scan.lastTurn?.turnId ?? null),
  };
  if (scan.total !== null) return { cumulativeUsage: scan.total, position };
  let parent = meta.forkedFromId;
  let cut = meta.forkedFromOrdinal;
  for (let depth = 0; parent !== null && cut !== null && depth < MAX_FORK_DEPTH; depth++) {
    const path = await locate(parent).catch(() => null);
    if (path === null) break;
    const from = cut;
    const read = await foldRollout(path, {
      start: () => startForkPoint(from),
      step: stepForkPoint,
      done: (s) => s.done,
    });
    if (read.isErr()) break;
    if (read.value.state.total !== null)
      return { cumulativeUsage: read.value.state.total, position };
    // No usage in the parent's own lines before the cut: it is in the parent's history.
    parent = read.value.meta.forkedFromId;
    cut = read.value.meta.forkedFromOrdinal;
    if (parent === null) return { cumulativeUsage: null, position }; // a history without usage
  }
  return { cumulativeUsage: fallback, position };
};

/** The thread the rollout at `path` was forked from, or null (not a fork, or unreadable). */
export const forkedFromIdAt = async (path: string): Promise<string | null> => {
  const head = await foldRollout(path, { start: () => null, step: (s) => s, done: () => true });
  return head.isOk() ? head.value.meta.forkedFromId : null;
};
