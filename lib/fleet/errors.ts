/**
 * The fleet's errors: a tagged union like the core's (`_tag`, `path`, `message`, context).
 * A turn run through the fleet ends with a `TurnError` (the turn's own verdict, as `runTurn`
 * gives it, `ContinuationMismatch` included) or one of these. Every one is built by a
 * constructor below, never inline.
 */
import type { Issue } from "../core/errors/index.js";

/** Every fleet error. */
export type FleetError =
  | {
      /** The options of `openFleet` / `startFleetWorker` (or a job's payload) did not decode. */
      readonly _tag: "InvalidFleetOptions" | "InvalidJobData" | "InvalidJobResult";
      readonly path: string;
      readonly message: string;
      readonly issues: readonly Issue[];
    }
  | {
      /** Redis did not answer, or a command failed. */
      readonly _tag: "RedisUnavailable";
      readonly path: string;
      readonly message: string;
    }
  | {
      /** The thread's session in the fleet's store is missing a piece or does not decode. */
      readonly _tag: "StoreCorrupt";
      readonly path: string;
      readonly message: string;
      readonly threadId: string;
    }
  | {
      /** The worker could not bring its local copy of the session up to the head, or read it. */
      readonly _tag: "SessionSyncFailed";
      readonly path: string;
      readonly message: string;
      readonly threadId: string | null;
    }
  | {
      /** A thread with an id but no continuation token: the fleet cannot tell its position. */
      readonly _tag: "UnguardedThread";
      readonly path: string;
      readonly message: string;
      readonly threadId: string;
    }
  | {
      /** The job ended without a typed verdict (stalled too often, removed, worker error …). */
      readonly _tag: "JobFailed";
      readonly path: string;
      readonly message: string;
      readonly jobId: string | null;
    }
  | {
      /** The fleet or worker was closed. */
      readonly _tag: "FleetClosed";
      readonly path: string;
      readonly message: string;
    };

/** The `_tag`s of fleet errors. */
export type FleetErrorTag = FleetError["_tag"];

/** Every fleet `_tag` (for telling a fleet error from a turn error read off the wire). */
export const FLEET_ERROR_TAGS: readonly FleetErrorTag[] = [
  "InvalidFleetOptions",
  "InvalidJobData",
  "InvalidJobResult",
  "RedisUnavailable",
  "StoreCorrupt",
  "SessionSyncFailed",
  "UnguardedThread",
  "JobFailed",
  "FleetClosed",
];

/** A decoding failure of options, a job's data or a job's result. */
export const decodeFailure = (
  _tag: "InvalidFleetOptions" | "InvalidJobData" | "InvalidJobResult",
  what: string,
  issues: readonly Issue[],
): FleetError => ({
  _tag,
  path: issues[0]?.path ?? "",
  message: `${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
  issues,
});

/** Redis failed; only the error's message is kept (never a command's arguments). */
export const redisUnavailable = (path: string, cause: unknown): FleetError => ({
  _tag: "RedisUnavailable",
  path,
  message: `Redis: ${cause instanceof Error ? cause.message : String(cause)}`,
});

/** The store holds something it should not. */
export const storeCorrupt = (threadId: string, message: string): FleetError => ({
  _tag: "StoreCorrupt",
  path: "store",
  message: `the fleet's store of thread ${threadId}: ${message}`,
  threadId,
});

/** The local session could not be synced. */
export const sessionSyncFailed = (threadId: string | null, message: string): FleetError => ({
  _tag: "SessionSyncFailed",
  path: "session",
  message,
  threadId,
});

/** A thread without a token. */
export const unguardedThread = (threadId: string): FleetError => ({
  _tag: "UnguardedThread",
  path: "thread.continuationToken",
  message: `thread ${threadId} has no continuation token: a fleet turn needs the position it continues from`,
  threadId,
});

/** A job that ended without a typed verdict. */
export const jobFailed = (jobId: string | null, message: string): FleetError => ({
  _tag: "JobFailed",
  path: "job",
  message,
  jobId,
});

/** Used after close. */
export const fleetClosed = (what: string): FleetError => ({
  _tag: "FleetClosed",
  path: what,
  message: `the ${what} is closed`,
});
