/**
 * The fold over a rollout's lines: turns counted (nested and aborted ones not), the last turn and
 * its usage, two writers detected. See `../rollout.ts` for what is read and why.
 */
import { Usage } from "../usage.js";
import type { RolloutLine } from "./line.js";

// ---------------------------------------------------------------------------------------------
// The fold
// ---------------------------------------------------------------------------------------------

/** Completed turn ids, newest first (a persistent list, so the fold stays cheap and pure). */
type TurnStack = { readonly turnId: string | null; readonly next: TurnStack } | null;

/** The last completed turn, as far as the lines read tell. */
export interface LastTurn {
  readonly turnId: string | null;
  readonly lastAgentMessage: string | null;
  readonly error: string | null;
  /** The turn's own usage (`turn_token_usage`, else the last request's `last_token_usage`). */
  readonly usage: Usage | null;
  /** The thread's cumulative usage when the turn ended. */
  readonly cumulative: Usage | null;
  /** Whether the turn's `task_started` was among the lines read. */
  readonly startSeen: boolean;
  /** Whether both a `token_count` and a `token_usage_record` of the turn were read. */
  readonly usageSeen: boolean;
}

/** What a fold over a rollout's lines (after the first) has gathered. */
export interface RolloutScan {
  readonly lines: number;
  readonly unreadableLines: number;
  readonly lastOrdinal: number | null;
  /** The first sign that two writers interleave, or null. */
  readonly forkEvidence: string | null;
  /** Whether turn boundaries are visible (the scan started at the top, or saw a task_started). */
  readonly boundarySeen: boolean;
  /** The root turn started and not yet ended. */
  readonly openTurn: { readonly turnId: string | null } | null;
  readonly completedTurns: number;
  readonly failedTurns: number;
  readonly completed: TurnStack;
  readonly lastTurn: LastTurn | null;
  /** The latest cumulative usage. */
  readonly total: Usage | null;
  /** `last_token_usage` of the current turn's latest token_count (undefined: none seen). */
  readonly turnLast: Usage | null | undefined;
  /** `turn_token_usage` of the current turn's latest record (undefined: none seen). */
  readonly turnRecord: Usage | null | undefined;
}

/**
 * The start of a fold. `fromTop`: the lines will start right after the first line (so every
 * turn boundary is seen); otherwise they are a tail window. `headOrdinal`: the first line's.
 */
export const startScan = (fromTop: boolean, headOrdinal: number | null): RolloutScan => ({
  lines: 0,
  unreadableLines: 0,
  lastOrdinal: headOrdinal,
  forkEvidence: null,
  boundarySeen: fromTop,
  openTurn: null,
  completedTurns: 0,
  failedTurns: 0,
  completed: null,
  lastTurn: null,
  total: null,
  turnLast: undefined,
  turnRecord: undefined,
});

const differ = (a: string | null, b: string | null): boolean => a !== null && b !== null && a !== b;

const pop = (stack: TurnStack, n: number): TurnStack => {
  let s = stack;
  for (let i = 0; i < n && s !== null; i++) s = s.next;
  return s;
};

type Draft = { -readonly [K in keyof RolloutScan]: RolloutScan[K] };

const endTurn = (s: Draft): void => {
  s.openTurn = null;
  s.turnLast = undefined;
  s.turnRecord = undefined;
};

/** Folds one more line into the scan. Pure and total (it only writes to the copy it returns). */
export const scanLine = (s0: RolloutScan, line: RolloutLine): RolloutScan => {
  const s: Draft = { ...s0, lines: s0.lines + 1 };
  const evidence = (e: string): void => {
    if (s.forkEvidence === null) s.forkEvidence = e;
  };
  if (line.kind === "unreadable" || line.kind === "invalid") s.unreadableLines += 1;
  if (line.kind !== "unreadable" && line.ordinal !== null) {
    if (s.lastOrdinal !== null && line.ordinal <= s.lastOrdinal)
      evidence(`ordinal ${line.ordinal} follows ordinal ${s.lastOrdinal}`);
    s.lastOrdinal = line.ordinal;
  }
  const open = s.openTurn;
  switch (line.kind) {
    case "task_started":
      if (line.nested) break;
      if (open !== null && differ(open.turnId, line.turnId))
        evidence(`turn ${line.turnId} started while turn ${open.turnId} was still open`);
      endTurn(s);
      s.boundarySeen = true;
      s.openTurn = { turnId: line.turnId };
      break;
    case "task_complete":
      if (line.nested) break;
      if (open !== null && differ(open.turnId, line.turnId))
        evidence(`turn ${line.turnId} completed while turn ${open.turnId} was open`);
      else if (open === null && s.boundarySeen)
        evidence(`turn ${line.turnId} completed but had not started (or had already ended)`);
      s.completedTurns += 1;
      if (line.error !== null) s.failedTurns += 1;
      s.completed = { turnId: line.turnId, next: s.completed };
      s.lastTurn = {
        turnId: line.turnId,
        lastAgentMessage: line.lastAgentMessage,
        error: line.error,
        usage: s.turnRecord ?? s.turnLast ?? null,
        cumulative: s.total,
        startSeen: open !== null,
        usageSeen: s.turnLast !== undefined && s.turnRecord !== undefined,
      };
      endTurn(s);
      break;
    case "turn_aborted":
      if (line.nested) break;
      if (open !== null && differ(open.turnId, line.turnId))
        evidence(`turn ${line.turnId} aborted while turn ${open.turnId} was open`);
      endTurn(s);
      break;
    case "token_count":
      if (line.total === null && line.last === null) break;
      s.total = line.total ?? s.total;
      s.turnLast = line.last;
      break;
    case "token_usage_record":
      if (line.nested || (open !== null && differ(open.turnId, line.turnId))) break;
      s.turnRecord = line.turnUsage;
      break;
    case "thread_rolled_back": {
      const completed = pop(s.completed, line.numTurns);
      s.completedTurns = Math.max(0, s.completedTurns - line.numTurns);
      s.failedTurns = Math.min(s.failedTurns, s.completedTurns);
      s.completed = completed;
      s.lastTurn =
        completed === null
          ? null
          : {
              turnId: completed.turnId,
              lastAgentMessage: null,
              error: null,
              usage: null,
              cumulative: null,
              startSeen: false,
              usageSeen: false,
            };
      break;
    }
    default:
      break;
  }
  return s;
};

/**
 * Whether a tail window already tells all a summary needs: the last completed turn, and either
 * its start or both its usage lines. (Reading further back would change nothing but the
 * turn count, which a tail cannot give anyway.)
 */
export const tailIsSufficient = (s: RolloutScan): boolean =>
  s.lastTurn !== null && (s.lastTurn.startSeen || s.lastTurn.usageSeen);
