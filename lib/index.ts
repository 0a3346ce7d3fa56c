/**
 * codex-fp: run OpenAI Codex agent threads the functional way. The root holds what a user of
 * threads and turns needs; the rest lives in subpaths: `codex-fp/codecs` (every codec),
 * `codex-fp/sessions` (the session store and archives), `codex-fp/app-server` (the JSON-RPC
 * transport and thread lifecycle), `codex-fp/advanced` (the fold, argv and transports),
 * `codex-fp/testing`, `codex-fp/otel` and `codex-fp/fleet`.
 *
 * @module codex-fp
 */
export type {
  Issue,
  MismatchReason,
  Position,
  ThreadError,
  ResumeError,
  FoldError,
  ShellError,
  TurnError,
  ViolationKind,
} from "./core/errors/index.js";
export { parseThreadId } from "./core/thread-id.js";
export {
  ThreadId,
  CodexOptions,
  ThreadOptions,
  TurnOptions,
  Thread,
  SerializedThread,
  ThreadEvent,
  ThreadItem,
  Turn,
} from "./core/decoding/public-codecs.js";
export type { CodexOptionsInput, ThreadOptionsInput, TurnOptionsInput } from "./core/options.js";
export { Redacted } from "./core/redacted.js";
export {
  mintContinuationToken,
  decodeContinuationToken,
  type ContinuationClaimInput,
  type ContinuationToken,
  type DecodedToken,
} from "./core/continuation.js";
export {
  validateResume,
  type ObservedSession,
  type ResumeValidatorDeps,
} from "./core/resume-validator.js";
export {
  noopSink,
  recordingSink,
  type TelemetryEvent,
  type TelemetrySink,
  type TelemetryEventName,
  type RecordingSink,
} from "./core/telemetry.js";
export type { Usage } from "./core/usage.js";
export type { InputLimits } from "./core/limits.js";
export {
  startThread,
  resumeThread,
  withThreadOptions,
  type ResumeInput,
  type DeepReadonly,
} from "./core/thread.js";
export { serializeThread, deserializeThread, type ThreadSecrets } from "./core/serialize.js";
export type { Input, TurnInput } from "./core/input.js";
export {
  runTurn,
  runStreamed,
  observeFromStore,
  type RunDeps,
  type TurnOutcome,
  type StreamedTurn,
  type ObserveSession,
  type SessionObservation,
} from "./shell/run.js";
export { resumeLast, type ResumeLastOptions } from "./shell/resume-last.js";
export {
  exportSession,
  importSession,
  type ExportOptions,
  type ImportOptions,
} from "./shell/archive.js";
export type { ArchiveError } from "./core/errors/index.js";
export type { SessionError } from "./core/errors/index.js";
export {
  toEither,
  fromEither,
  toTaskEither,
  fromTaskEither,
  eitherK,
  taskEitherK,
} from "./interop/fp-ts.js";
export {
  startThreadTE,
  runTurnWith,
  validateResumeWith,
  type ThreadSource,
} from "./interop/pipe.js";
