/**
 * codex-fp: run OpenAI Codex agent threads the functional way. The public surface; every
 * export is re-exported from the module that owns it.
 *
 * @module codex-fp
 */
export type { Issue, MismatchReason, Position, ThreadError } from "./core/errors.js";
export { ThreadId, parseThreadId, MAX_THREAD_ID_LENGTH } from "./core/thread-id.js";
export {
  CodexOptions,
  ThreadOptions,
  TurnOptions,
  SandboxMode,
  ModelReasoningEffort,
  WebSearchMode,
  ApprovalPolicy,
  CyberAccessProgram,
  Labels,
  ApiKey,
} from "./core/options.js";
export { ConfigObject, type ConfigValue } from "./core/config-value.js";
export { Redacted } from "./core/redacted.js";
export { ThreadMetadata, metadataFromJson } from "./core/metadata.js";
export {
  ContinuationToken,
  ContinuationClaim,
  mintContinuationToken,
  decodeContinuationToken,
  TOKEN_VERSION,
  type DecodedToken,
} from "./core/continuation.js";
export {
  validateResume,
  ObservedSession,
  type ResumeValidatorDeps,
} from "./core/resume-validator.js";
export {
  TelemetryEvent,
  LifecycleEvent,
  noopSink,
  recordingSink,
  type TelemetrySink,
  type TelemetryEventName,
  type RecordingSink,
} from "./core/telemetry.js";
export { Usage } from "./core/usage.js";
export {
  Thread,
  startThread,
  resumeThread,
  withThreadOptions,
  type ResumeInput,
  type DeepReadonly,
} from "./core/thread.js";
export {
  serializeThread,
  deserializeThread,
  SerializedThread,
  SERIALIZED_THREAD_FORMAT,
  type ThreadSecrets,
} from "./core/serialize.js";
export type { FoldError, ShellError, TurnError, ViolationKind } from "./core/errors.js";
export {
  ThreadEvent,
  decodeEventLine,
  decodeEventValue,
  decodeTranscript,
  type TranscriptError,
  UsageWire,
  type DecodeError,
} from "./core/events.js";
export {
  ThreadItem,
  AgentMessageItem,
  CommandExecutionItem,
  ReasoningItem,
  FileChangeItem,
  McpToolCallItem,
  WebSearchItem,
  TodoListItem,
  ErrorItem,
  UnknownItem,
} from "./core/items.js";
export { Input, UserInput } from "./core/input.js";
export { Turn } from "./core/turn.js";
export {
  foldTurn,
  stepTurn,
  finishTurn,
  initialTurnState,
  splitUsage,
  type TurnState,
  type FinishContext,
} from "./core/fold.js";
export {
  buildExecCommand,
  flattenConfig,
  toTomlValue,
  type Command,
  type CommandRequest,
} from "./core/argv.js";
export {
  runTurn,
  runStreamed,
  type RunDeps,
  type TurnOutcome,
  type StreamedTurn,
  type ObserveSession,
  type SessionObservation,
  observeFromStore,
} from "./shell/run.js";
export type {
  Transport,
  TransportRun,
  TransportTurnRequest,
  TransportExit,
  CancelReason,
} from "./shell/transport.js";
export { execTransport, type ExecTransportOptions } from "./shell/exec-transport.js";
export { replayTransport, type Recording } from "./shell/replay-transport.js";
export { resolveCodexBinary, type CodexBinary } from "./shell/codex-binary.js";
export {
  listSessions,
  findSession,
  lastSession,
  readSession,
  observeSession,
  resolveCodexHome,
  SESSION_READ_LIMITS,
  type SessionStoreOptions,
  type SessionReadOptions,
  type SessionListing,
} from "./shell/sessions.js";
export { resumeLast, type ResumeLastOptions } from "./shell/resume-last.js";
export {
  exportSession,
  importSession,
  type ExportOptions,
  type ImportOptions,
} from "./shell/archive.js";
export {
  SessionArchive,
  ArchivePoint,
  ArchivePosition,
  ArchiveSince,
  ArchiveEncoding,
  SESSION_ARCHIVE_FORMAT,
  decodeArchive,
  applyDelta,
  relate,
  baseOf,
  endOf,
  type ArchiveError,
  type ArchiveRelation,
  type ConflictReason,
  type LocalView,
} from "./core/archive.js";
export {
  SessionSummary,
  summarizeRollout,
  observedFrom,
  parseRolloutLine,
  parseRolloutName,
  type RolloutLine,
} from "./core/rollout.js";
export type { SessionError, SessionProblem, SessionErrorTag } from "./core/session-errors.js";
export {
  openAppServer,
  type AppServer,
  type AppServerDeps,
  type ServerInfo,
  ThreadSummary,
  ThreadPage,
  ThreadRecord,
  TurnRecord,
} from "./shell/app-server/index.js";
export {
  forkThread,
  archiveThread,
  unarchiveThread,
  deleteThread,
  listThreads,
  readThread,
  setThreadName,
  type LifecycleDeps,
  type LifecycleError,
  type ForkOptions,
  type ReadOptions,
  type ListThreadsQuery,
} from "./shell/lifecycle.js";
export type {
  TransportError,
  TransportErrorTag,
  RpcFailed,
  InvalidResponse,
  Unsupported,
} from "./core/transport-errors.js";
export {
  toEither,
  fromEither,
  toTaskEither,
  fromTaskEither,
  eitherK,
  taskEitherK,
} from "./interop/fp-ts.js";
