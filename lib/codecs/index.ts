/**
 * codex-fp/codecs: every io-ts codec of the library (options, threads, events, items, tokens,
 * metadata, telemetry) and the decoders built on them. Every codec here is total: `decode` of a
 * value that throws while it is read (a getter, a Proxy) is a Left ("unreadable value"), and its
 * `is` is false; neither ever throws.
 *
 * @module codex-fp/codecs
 */
import { totalCodec } from "../core/decoding/total.js";
import {
  SandboxMode as SandboxModeCodec,
  ModelReasoningEffort as ModelReasoningEffortCodec,
  WebSearchMode as WebSearchModeCodec,
  ApprovalPolicy as ApprovalPolicyCodec,
  CyberAccessProgram as CyberAccessProgramCodec,
  Labels as LabelsCodec,
  ApiKey as ApiKeyCodec,
} from "../core/options.js";
import { ConfigObject as ConfigObjectCodec } from "../core/config-value.js";
import { ThreadMetadata as ThreadMetadataCodec } from "../core/metadata.js";
import {
  ContinuationToken as ContinuationTokenCodec,
  ContinuationClaim as ContinuationClaimCodec,
} from "../core/continuation.js";
import { ObservedSession as ObservedSessionCodec } from "../core/resume-validator.js";
import {
  TelemetryEvent as TelemetryEventCodec,
  LifecycleEvent as LifecycleEventCodec,
} from "../core/telemetry.js";
import { Usage as UsageCodec } from "../core/usage.js";
import { TokenCount as TokenCountCodec } from "../core/token-count.js";
import { InputLimits as InputLimitsCodec } from "../core/limits.js";
import { UsageWire as UsageWireCodec } from "../core/events.js";
import {
  AgentMessageItem as AgentMessageItemCodec,
  CommandExecutionItem as CommandExecutionItemCodec,
  ReasoningItem as ReasoningItemCodec,
  FileChangeItem as FileChangeItemCodec,
  McpToolCallItem as McpToolCallItemCodec,
  WebSearchItem as WebSearchItemCodec,
  TodoListItem as TodoListItemCodec,
  ErrorItem as ErrorItemCodec,
  UnknownItem as UnknownItemCodec,
} from "../core/items.js";
import { Input as InputCodec, UserInput as UserInputCodec } from "../core/input.js";

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
} from "../core/decoding/public-codecs.js";
export { parseThreadId, MAX_THREAD_ID_LENGTH } from "../core/thread-id.js";
export type { CodexOptionsInput, ThreadOptionsInput, TurnOptionsInput } from "../core/options.js";
export type { ConfigValue } from "../core/config-value.js";
export { Redacted } from "../core/redacted.js";
export { metadataFromJson } from "../core/metadata.js";
export { decodeContinuationToken, TOKEN_VERSION, type DecodedToken } from "../core/continuation.js";
export { DEFAULT_INPUT_LIMITS, type ResolvedInputLimits } from "../core/limits.js";
export { SERIALIZED_THREAD_FORMAT } from "../core/serialize.js";
export {
  decodeEventLine,
  decodeEventValue,
  decodeTranscript,
  type TranscriptError,
  type DecodeError,
} from "../core/events.js";
export type { TurnInput } from "../core/input.js";

/** Codec of a sandbox mode (total: an unreadable value is a Left). */
export const SandboxMode = /* @__PURE__ */ totalCodec(SandboxModeCodec);
/** The type of {@link SandboxMode}'s values. */
export type SandboxMode = SandboxModeCodec;
/** Codec of a model reasoning effort (total: an unreadable value is a Left). */
export const ModelReasoningEffort = /* @__PURE__ */ totalCodec(ModelReasoningEffortCodec);
/** The type of {@link ModelReasoningEffort}'s values. */
export type ModelReasoningEffort = ModelReasoningEffortCodec;
/** Codec of a web search mode (total: an unreadable value is a Left). */
export const WebSearchMode = /* @__PURE__ */ totalCodec(WebSearchModeCodec);
/** The type of {@link WebSearchMode}'s values. */
export type WebSearchMode = WebSearchModeCodec;
/** Codec of an approval policy (total: an unreadable value is a Left). */
export const ApprovalPolicy = /* @__PURE__ */ totalCodec(ApprovalPolicyCodec);
/** The type of {@link ApprovalPolicy}'s values. */
export type ApprovalPolicy = ApprovalPolicyCodec;
/** Codec of a cyber access program (total: an unreadable value is a Left). */
export const CyberAccessProgram = /* @__PURE__ */ totalCodec(CyberAccessProgramCodec);
/** Codec of a thread's labels (total: an unreadable value is a Left). */
export const Labels = /* @__PURE__ */ totalCodec(LabelsCodec);
/** The type of {@link Labels}'s values. */
export type Labels = LabelsCodec;
/** Codec of an API key (kept in a Redacted box) (total: an unreadable value is a Left). */
export const ApiKey = /* @__PURE__ */ totalCodec(ApiKeyCodec);
/** Codec of a CLI config object (`-c key=value` overrides) (total: an unreadable value is a Left). */
export const ConfigObject = /* @__PURE__ */ totalCodec(ConfigObjectCodec);
/** The type of {@link ConfigObject}'s values. */
export type ConfigObject = ConfigObjectCodec;
/** Codec of a thread's metadata (total: an unreadable value is a Left). */
export const ThreadMetadata = /* @__PURE__ */ totalCodec(ThreadMetadataCodec);
/** The type of {@link ThreadMetadata}'s values. */
export type ThreadMetadata = ThreadMetadataCodec;
/** Codec of a continuation token (total: an unreadable value is a Left). */
export const ContinuationToken = /* @__PURE__ */ totalCodec(ContinuationTokenCodec);
/** The type of {@link ContinuationToken}'s values. */
export type ContinuationToken = ContinuationTokenCodec;
/** Codec of what a continuation token claims (total: an unreadable value is a Left). */
export const ContinuationClaim = /* @__PURE__ */ totalCodec(ContinuationClaimCodec);
/** The type of {@link ContinuationClaim}'s values. */
export type ContinuationClaim = ContinuationClaimCodec;
/** Codec of a session as the store shows it (total: an unreadable value is a Left). */
export const ObservedSession = /* @__PURE__ */ totalCodec(ObservedSessionCodec);
/** The type of {@link ObservedSession}'s values. */
export type ObservedSession = ObservedSessionCodec;
/** Codec of a telemetry event (total: an unreadable value is a Left). */
export const TelemetryEvent = /* @__PURE__ */ totalCodec(TelemetryEventCodec);
/** The type of {@link TelemetryEvent}'s values. */
export type TelemetryEvent = TelemetryEventCodec;
/** Codec of a lifecycle telemetry event (total: an unreadable value is a Left). */
export const LifecycleEvent = /* @__PURE__ */ totalCodec(LifecycleEventCodec);
/** The type of {@link LifecycleEvent}'s values. */
export type LifecycleEvent = LifecycleEventCodec;
/** Codec of a turn's token usage (total: an unreadable value is a Left). */
export const Usage = /* @__PURE__ */ totalCodec(UsageCodec);
/** The type of {@link Usage}'s values. */
export type Usage = UsageCodec;
/** Codec of a token count (a non-negative safe integer) (total: an unreadable value is a Left). */
export const TokenCount = /* @__PURE__ */ totalCodec(TokenCountCodec);
/** Codec of the input limits (total: an unreadable value is a Left). */
export const InputLimits = /* @__PURE__ */ totalCodec(InputLimitsCodec);
/** The type of {@link InputLimits}'s values. */
export type InputLimits = InputLimitsCodec;
/** Codec of the usage of a `turn.completed` event as the CLI writes it (total: an unreadable value is a Left). */
export const UsageWire = /* @__PURE__ */ totalCodec(UsageWireCodec);
/** The type of {@link UsageWire}'s values. */
export type UsageWire = UsageWireCodec;
/** Codec of an agent message item (total: an unreadable value is a Left). */
export const AgentMessageItem = /* @__PURE__ */ totalCodec(AgentMessageItemCodec);
/** The type of {@link AgentMessageItem}'s values. */
export type AgentMessageItem = AgentMessageItemCodec;
/** Codec of a command execution item (total: an unreadable value is a Left). */
export const CommandExecutionItem = /* @__PURE__ */ totalCodec(CommandExecutionItemCodec);
/** The type of {@link CommandExecutionItem}'s values. */
export type CommandExecutionItem = CommandExecutionItemCodec;
/** Codec of a reasoning item (total: an unreadable value is a Left). */
export const ReasoningItem = /* @__PURE__ */ totalCodec(ReasoningItemCodec);
/** Codec of a file change item (total: an unreadable value is a Left). */
export const FileChangeItem = /* @__PURE__ */ totalCodec(FileChangeItemCodec);
/** Codec of an MCP tool call item (total: an unreadable value is a Left). */
export const McpToolCallItem = /* @__PURE__ */ totalCodec(McpToolCallItemCodec);
/** Codec of a web search item (total: an unreadable value is a Left). */
export const WebSearchItem = /* @__PURE__ */ totalCodec(WebSearchItemCodec);
/** Codec of a to-do list item (total: an unreadable value is a Left). */
export const TodoListItem = /* @__PURE__ */ totalCodec(TodoListItemCodec);
/** Codec of an error item (total: an unreadable value is a Left). */
export const ErrorItem = /* @__PURE__ */ totalCodec(ErrorItemCodec);
/** Codec of an item of a type this release does not know (total: an unreadable value is a Left). */
export const UnknownItem = /* @__PURE__ */ totalCodec(UnknownItemCodec);
/** Codec of a turn's input (total: an unreadable value is a Left). */
export const Input = /* @__PURE__ */ totalCodec(InputCodec);
/** The type of {@link Input}'s values. */
export type Input = InputCodec;
/** Codec of one part of a turn's input (total: an unreadable value is a Left). */
export const UserInput = /* @__PURE__ */ totalCodec(UserInputCodec);
/** The type of {@link UserInput}'s values. */
export type UserInput = UserInputCodec;
