/**
 * codex-fp/codecs: every io-ts codec of the library (options, threads, events, items, tokens,
 * metadata, telemetry) and the decoders built on them.
 *
 * @module codex-fp/codecs
 */
export { ThreadId, parseThreadId, MAX_THREAD_ID_LENGTH } from "../core/thread-id.js";
export {
  CodexOptions,
  ThreadOptions,
  TurnOptions,
  type CodexOptionsInput,
  type ThreadOptionsInput,
  type TurnOptionsInput,
  SandboxMode,
  ModelReasoningEffort,
  WebSearchMode,
  ApprovalPolicy,
  CyberAccessProgram,
  Labels,
  ApiKey,
} from "../core/options.js";
export { ConfigObject, type ConfigValue } from "../core/config-value.js";
export { Redacted } from "../core/redacted.js";
export { ThreadMetadata, metadataFromJson } from "../core/metadata.js";
export {
  ContinuationToken,
  ContinuationClaim,
  decodeContinuationToken,
  TOKEN_VERSION,
  type DecodedToken,
} from "../core/continuation.js";
export { ObservedSession } from "../core/resume-validator.js";
export { TelemetryEvent, LifecycleEvent } from "../core/telemetry.js";
export { Usage } from "../core/usage.js";
export { TokenCount } from "../core/token-count.js";
export { InputLimits, DEFAULT_INPUT_LIMITS, type ResolvedInputLimits } from "../core/limits.js";
export { Thread } from "../core/thread.js";
export { SerializedThread, SERIALIZED_THREAD_FORMAT } from "../core/serialize.js";
export {
  ThreadEvent,
  decodeEventLine,
  decodeEventValue,
  decodeTranscript,
  type TranscriptError,
  UsageWire,
  type DecodeError,
} from "../core/events.js";
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
} from "../core/items.js";
export { Input, UserInput, type TurnInput } from "../core/input.js";
export { Turn } from "../core/turn.js";
