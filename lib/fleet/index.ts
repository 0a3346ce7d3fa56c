/**
 * codex-fp/fleet: turns run by BullMQ workers on Redis. Threads hop between machines (each a
 * worker with its own `CODEX_HOME`); Redis holds the queue and the sessions (per thread a head
 * and append-only chunks); a head moves only by compare-and-set, so each turn commits once.
 * `bullmq` and `ioredis` are optional peer dependencies, needed only by this entry point.
 *
 * @module codex-fp/fleet
 */
export { openFleet, FleetOptions, type Fleet, type FleetTurnOutcome } from "./fleet.js";
export { startFleetWorker, FleetWorkerOptions, type FleetWorker } from "./worker.js";
export { FLEET_ERROR_TAGS, type FleetError, type FleetErrorTag } from "./errors.js";
export { FleetEvent, type FleetSink } from "./telemetry.js";
export {
  FleetJobData,
  FleetJobResult,
  FleetPosition,
  StoreHead,
  FleetConnection,
  JobTurnOptions,
  FLEET_JOB_FORMAT,
  FLEET_RESULT_FORMAT,
  DEFAULT_QUEUE,
} from "./wire.js";
export { storeNamespace } from "./store.js";
