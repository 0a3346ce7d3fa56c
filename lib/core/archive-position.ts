/**
 * The position (completed turns, last turn id) an archive records: counted over a whole rollout,
 * or continued from a base position over the lines a delta appends (O(delta)). Pure.
 */
import type { ArchivePosition } from "./archive.js";
import { parseRolloutLine, summarizeRollout } from "./rollout.js";

const NL = 0x0a;

/** The position of a whole rollout held in memory; null when it is not a readable rollout. */
export const positionOfWhole = (bytes: Buffer): ArchivePosition | null => {
  const s = summarizeRollout(bytes.toString("utf8"), { path: "archive" });
  return s.isErr()
    ? null
    : { completedTurns: s.value.completedTurns ?? 0, lastTurnId: s.value.lastTurnId };
};

/**
 * The position after appending `delta` (whole lines) to a rollout at `base`, counting only the
 * new lines; null when they hold a rollback or a nested turn boundary the count cannot follow
 * from the delta alone (the caller then counts the whole file).
 */
export const positionAfter = (base: ArchivePosition, delta: Buffer): ArchivePosition | null => {
  let completed = base.completedTurns;
  let last = base.lastTurnId;
  let pos = 0;
  for (;;) {
    const nl = delta.indexOf(NL, pos);
    if (nl === -1) break;
    const line = parseRolloutLine(delta.toString("utf8", pos, nl));
    pos = nl + 1;
    if (line.kind === "thread_rolled_back") return null;
    if (line.kind === "task_complete" && !line.nested) {
      completed += 1;
      last = line.turnId;
    }
  }
  return { completedTurns: completed, lastTurnId: last };
};
