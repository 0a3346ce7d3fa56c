/**
 * The process runner: how every CLI child is spawned, stopped, tracked for the host's death,
 * and how its end maps to a typed error. Used by the exec transport, the lifecycle commands
 * and `openAppServer`.
 */
export {
  spawnCli,
  STOP_GRACE_MS,
  type CliChild,
  type ChildEnd,
  type SpawnRequest,
} from "./spawn.js";
export { classifyExit, describeExit, lastErrorLine, spawnErrorOf, type ChildExit } from "./exit.js";
export { secretsOf } from "./secrets.js";
export { liveChildren } from "./registry.js";
