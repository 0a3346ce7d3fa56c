/**
 * The fleet's telemetry events, in the style of core/telemetry.ts: a codec with stable dotted
 * names. A worker's sink gets the usual turn events (from `runTurn`) and these. None carries a
 * secret: ids, positions, sizes and tags only.
 */
import * as t from "io-ts";
import type { TelemetryEvent } from "../core/telemetry.js";
import { callQuietly } from "../core/call-quietly.js";

const nullableString = t.union([t.string, t.null]);
const Position = t.type({ completedTurns: t.number, lastTurnId: nullableString });
const base = {
  timestamp: nullableString,
  threadId: nullableString,
  jobId: t.string,
  workerId: t.string,
};

/** Codec of every fleet event. */
export const FleetEvent = t.union(
  [
    t.type({
      name: t.literal("codex.fleet.job.taken"),
      ...base,
      /** How many times this job was started before (a stalled job taken again counts). */
      attempt: t.number,
    }),
    t.type({
      name: t.literal("codex.fleet.session.imported"),
      ...base,
      /** The chunks applied and their bytes; `replaced` when the local copy was thrown away. */
      chunks: t.number,
      bytes: t.number,
      replaced: t.boolean,
    }),
    t.type({
      name: t.literal("codex.fleet.head.committed"),
      ...base,
      head: Position,
      length: t.number,
      chunkBytes: t.number,
    }),
    t.type({
      name: t.literal("codex.fleet.conflict"),
      ...base,
      /**
       * `stale` / `forked`: the job's snapshot is not the head; `lost_race`: the head moved
       * while the turn ran (its result is thrown away); `busy`: another job holds the thread.
       */
      reason: t.keyof({ stale: null, forked: null, lost_race: null, busy: null }),
      expected: t.union([Position, t.null]),
      observed: t.union([Position, t.null]),
    }),
  ],
  "FleetEvent",
);
/** A fleet event. */
export type FleetEvent = t.TypeOf<typeof FleetEvent>;

/** A worker's sink: the usual events and the fleet's. It may throw; callers are protected. */
export type FleetSink = (event: TelemetryEvent | FleetEvent) => void;

/** Delivers a fleet event, swallowing anything the sink throws or rejects with. */
export const emitFleet = (sink: FleetSink | undefined, event: FleetEvent): void => {
  if (sink !== undefined) callQuietly(sink, event);
};
