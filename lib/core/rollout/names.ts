/**
 * Rollout file names: what the CLI's `rollout-<timestamp>-<thread id>.jsonl` says, and the store's
 * order. See `../rollout.ts` for what is read and why.
 */
import { threadIdProblem } from "../thread-id.js";

// ---------------------------------------------------------------------------------------------
// File names
// ---------------------------------------------------------------------------------------------

const ROLLOUT_NAME = /^rollout-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2})-(.+?)\.jsonl(\.zst)?$/;

/** What a file name in the store says: a rollout (or a compressed one) of a thread, or nothing. */
export type RolloutName = {
  readonly kind: "rollout" | "compressed";
  /** `YYYY-MM-DDThh-mm-ss` (the CLI's local time at creation); sorts as text. */
  readonly timestamp: string;
  readonly threadId: string;
} | null;

/** Reads `rollout-<YYYY-MM-DDThh-mm-ss>-<thread id>.jsonl[.zst]`; null for any other name (or a non-string). */
export const parseRolloutName = (name: string): RolloutName => {
  if (typeof name !== "string") return null;
  const m = ROLLOUT_NAME.exec(name);
  if (m === null || m[1] === undefined || m[2] === undefined) return null;
  if (threadIdProblem(m[2]) !== null) return null;
  return { kind: m[3] === undefined ? "rollout" : "compressed", timestamp: m[1], threadId: m[2] };
};

/** A listing entry's sort keys. */
export interface SortKeys {
  readonly timestamp: string;
  readonly mtimeMs: number;
  readonly path: string;
}

/** Newest first: by the file name's timestamp, then modification time, then path (descending). */
export const newestFirst = (a: SortKeys, b: SortKeys): number =>
  a.timestamp !== b.timestamp
    ? a.timestamp < b.timestamp
      ? 1
      : -1
    : a.mtimeMs !== b.mtimeMs
      ? b.mtimeMs - a.mtimeMs
      : a.path < b.path
        ? 1
        : a.path > b.path
          ? -1
          : 0;
