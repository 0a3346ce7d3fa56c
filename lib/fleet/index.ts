/**
 * codex-fp/fleet: turns run by BullMQ workers on Redis. Threads hop between machines (each a
 * worker with its own `CODEX_HOME`); Redis holds the queue and the sessions (per thread a head
 * and append-only chunks); a head moves only by compare-and-set, so each turn commits once.
 * `bullmq` and `ioredis` are optional peer dependencies, needed only by this entry point.
 *
 * @module codex-fp/fleet
 */
import { totalCodec } from "../core/decoding/total.js";
import { FleetOptions as FleetOptionsCodec } from "./fleet.js";
import { FleetWorkerOptions as FleetWorkerOptionsCodec } from "./worker.js";
import { FleetEvent as FleetEventCodec } from "./telemetry.js";
import {
  FleetJobData as FleetJobDataCodec,
  FleetJobResult as FleetJobResultCodec,
  FleetPosition as FleetPositionCodec,
  StoreHead as StoreHeadCodec,
  FleetConnection as FleetConnectionCodec,
  JobTurnOptions as JobTurnOptionsCodec,
} from "./wire.js";

export { openFleet, type Fleet, type FleetTurnOutcome } from "./fleet.js";
export { startFleetWorker, type FleetWorker } from "./worker.js";
export { FLEET_ERROR_TAGS, type FleetError, type FleetErrorTag } from "./errors.js";
export { type FleetSink } from "./telemetry.js";
export { FLEET_JOB_FORMAT, FLEET_RESULT_FORMAT, DEFAULT_QUEUE } from "./wire.js";
export { storeNamespace } from "./store.js";

// The fleet's codecs, made total for callers (an unreadable value, a throwing getter or a
// Proxy, is a Left from `decode` and false from `is`); the fleet itself decodes with the bare
// ones.

/** Codec of `openFleet`'s options (total). */
export const FleetOptions = /* @__PURE__ */ totalCodec(FleetOptionsCodec);
/** Options of `openFleet`. */
export type FleetOptions = FleetOptionsCodec;
/** Codec of `startFleetWorker`'s options (total). */
export const FleetWorkerOptions = /* @__PURE__ */ totalCodec(FleetWorkerOptionsCodec);
/** Options of `startFleetWorker`. */
export type FleetWorkerOptions = FleetWorkerOptionsCodec;
/** Codec of a fleet telemetry event (total). */
export const FleetEvent = /* @__PURE__ */ totalCodec(FleetEventCodec);
/** A fleet telemetry event. */
export type FleetEvent = FleetEventCodec;
/** Codec of a queued job's payload (total). */
export const FleetJobData = /* @__PURE__ */ totalCodec(FleetJobDataCodec);
/** A queued job's payload. */
export type FleetJobData = FleetJobDataCodec;
/** Codec of a job's result (total). */
export const FleetJobResult = /* @__PURE__ */ totalCodec(FleetJobResultCodec);
/** A job's result. */
export type FleetJobResult = FleetJobResultCodec;
/** Codec of a thread's position in the store (total). */
export const FleetPosition = /* @__PURE__ */ totalCodec(FleetPositionCodec);
/** A thread's position in the store. */
export type FleetPosition = FleetPositionCodec;
/** Codec of a thread's head in the store (total). */
export const StoreHead = /* @__PURE__ */ totalCodec(StoreHeadCodec);
/** A thread's head in the store. */
export type StoreHead = StoreHeadCodec;
/** Codec of where Redis is (total). */
export const FleetConnection = /* @__PURE__ */ totalCodec(FleetConnectionCodec);
/** Where Redis is. */
export type FleetConnection = FleetConnectionCodec;
/** Codec of a fleet turn's options (total). */
export const JobTurnOptions = /* @__PURE__ */ totalCodec(JobTurnOptionsCodec);
/** A fleet turn's options. */
export type JobTurnOptions = JobTurnOptionsCodec;
