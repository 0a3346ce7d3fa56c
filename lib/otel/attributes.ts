/**
 * The names codex-fp/otel writes: OpenTelemetry's GenAI semantic conventions (v1.41.0, status
 * Development) where they have a name for the thing, `codex.*` where they do not.
 */

/** The attribute names the sink writes, by role. Values are stable across releases. */
export const CODEX_ATTRIBUTES = {
  /** Always `invoke_agent` on a turn span and its metrics (GenAI convention). */
  operationName: "gen_ai.operation.name",
  /** The provider behind the model, `openai` unless told otherwise (GenAI convention). */
  providerName: "gen_ai.provider.name",
  /** The agent's name, `codex` unless told otherwise (GenAI convention). */
  agentName: "gen_ai.agent.name",
  /** The model the turn asked for (`threadOptions.model`), when one was set (GenAI convention). */
  requestModel: "gen_ai.request.model",
  /** The thread id, once known: a new thread learns it at `codex.thread.start` (GenAI convention). */
  threadId: "gen_ai.conversation.id",
  /** Which count a `gen_ai.client.token.usage` point is: `input` or `output` (GenAI convention). */
  tokenType: "gen_ai.token.type",
  /** The transport kind (`exec`, `app-server`, `replay` …). */
  transport: "codex.transport",
  /** Whether the turn resumed an existing thread. */
  resumed: "codex.turn.resumed",
  /** The turn's duration in milliseconds, as measured by the runner. */
  durationMs: "codex.turn.duration_ms",
  /** `ok` or `error`. */
  outcome: "codex.turn.outcome",
  /** The CLI's exit code, when it exited. */
  exitCode: "codex.turn.exit_code",
  /** The `_tag` of the turn's error, `_OTHER` when the turn failed without one (`error.type`). */
  errorType: "error.type",
  /** Input tokens of the turn, cached ones included (GenAI convention). */
  inputTokens: "gen_ai.usage.input_tokens",
  /** Output tokens of the turn, reasoning included (GenAI convention). */
  outputTokens: "gen_ai.usage.output_tokens",
  /** Input tokens served from the provider's cache (GenAI convention). */
  cacheReadInputTokens: "gen_ai.usage.cache_read.input_tokens",
  /** Input tokens written to the provider's cache (GenAI convention). */
  cacheCreationInputTokens: "gen_ai.usage.cache_creation.input_tokens",
  /** Output tokens spent on reasoning. */
  reasoningOutputTokens: "codex.usage.reasoning_output_tokens",
  /** The type of an event this release does not know. */
  eventType: "codex.event.type",
  /** The type of an item this release does not know. */
  itemType: "codex.item.type",
  /** The kind of continuation token a resume check accepted. */
  tokenKind: "codex.resume.token_kind",
  /** Why a resume check refused the token. */
  reason: "codex.resume.reason",
  /** The position the token claims: turns completed. */
  expectedCompletedTurns: "codex.resume.expected.completed_turns",
  /** The position the token claims: the last turn's id. */
  expectedLastTurnId: "codex.resume.expected.last_turn_id",
  /** The position the session store shows: turns completed. */
  observedCompletedTurns: "codex.resume.observed.completed_turns",
  /** The position the session store shows: the last turn's id. */
  observedLastTurnId: "codex.resume.observed.last_turn_id",
  /**
   * True when events could not be tied to this span with certainty: several new-thread turns
   * were open on one sink and the first `codex.thread.start` went to the oldest of them.
   */
  ambiguous: "codex.telemetry.ambiguous",
  /** True when the span was ended without a `codex.turn.stop` (see `maxOpenTurns`). */
  abandoned: "codex.turn.abandoned",
} as const;

/** `gen_ai.operation.name` of a turn: a turn invokes the Codex agent. */
export const INVOKE_AGENT = "invoke_agent";

/** `gen_ai.agent.name` unless `OtelSinkOptions.agentName` says otherwise. */
export const DEFAULT_AGENT_NAME = "codex";

/** `gen_ai.provider.name` unless `OtelSinkOptions.providerName` says otherwise. */
export const DEFAULT_PROVIDER_NAME = "openai";

/**
 * The name of a turn span, as the conventions ask: `invoke_agent {gen_ai.agent.name}`. A value
 * that is not a string (from JavaScript) takes the default agent name, as `otelSink` does.
 */
export const turnSpanName = (agentName: string = DEFAULT_AGENT_NAME): string => {
  const name = typeof agentName === "string" ? agentName : DEFAULT_AGENT_NAME;
  return name === "" ? INVOKE_AGENT : `${INVOKE_AGENT} ${name}`;
};

/** The `error.type` of a turn that failed without telling why (the conventions' fallback). */
export const OTHER_ERROR = "_OTHER";

/** The metrics the sink records when given a meter (GenAI conventions: names, units). */
export const GEN_AI_METRICS = {
  /** Histogram of a turn's input and output tokens, one point each, in `{token}`. */
  tokenUsage: { name: "gen_ai.client.token.usage", unit: "{token}" },
  /** Histogram of a turn's duration, in seconds. */
  operationDuration: { name: "gen_ai.client.operation.duration", unit: "s" },
} as const;

/** The longest error message recorded on a span, in characters; longer ones are cut. */
export const MAX_MESSAGE_LENGTH = 1024;

/** `s` cut to {@link MAX_MESSAGE_LENGTH} characters, the last one an ellipsis. */
export const cut = (s: string): string =>
  s.length <= MAX_MESSAGE_LENGTH ? s : `${s.slice(0, MAX_MESSAGE_LENGTH - 1)}…`;
