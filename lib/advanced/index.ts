/**
 * codex-fp/advanced: the building blocks under `runTurn`: the pure turn fold, the append-only
 * log, the `codex exec` argv builder and the transports (exec, replay) with their interface.
 *
 * @module codex-fp/advanced
 */
export {
  foldTurn,
  stepTurn,
  finishTurn,
  initialTurnState,
  type TurnState,
  type FinishContext,
} from "../core/fold.js";
export { logToArray, logLast, logLength, type AppendLog } from "../core/append-only.js";
export { splitUsage, buildExecCommand } from "../core/checked/turn.js";
export { flattenConfig, toTomlValue, type Command, type CommandRequest } from "../core/argv.js";
export type {
  Transport,
  TransportRun,
  TransportTurnRequest,
  TransportExit,
  CancelReason,
  LifecycleCapability,
} from "../shell/transport.js";
export type { Effects, TokenEffects } from "../core/effects.js";
export { execTransport, type ExecTransportOptions } from "../shell/exec-transport.js";
export { replayTransport, type Recording } from "../shell/replay-transport.js";
export { resolveCodexBinary, type CodexBinary } from "../shell/codex-binary.js";
