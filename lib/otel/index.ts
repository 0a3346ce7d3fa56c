/**
 * codex-fp/otel: a telemetry sink that turns codex-fp's telemetry events into OpenTelemetry
 * spans and metrics named by OpenTelemetry's GenAI semantic conventions (v1.41.0): one
 * `invoke_agent codex` span (kind CLIENT) per turn, and the `gen_ai.client.token.usage` and
 * `gen_ai.client.operation.duration` histograms. See docs/otel.md.
 *
 * `@opentelemetry/api` is an optional peer dependency: install it (and an SDK) to use this
 * entry point; nothing else in codex-fp loads it.
 *
 * @module codex-fp/otel
 */
export {
  CODEX_ATTRIBUTES,
  DEFAULT_AGENT_NAME,
  DEFAULT_PROVIDER_NAME,
  GEN_AI_METRICS,
  INVOKE_AGENT,
  MAX_MESSAGE_LENGTH,
  OTHER_ERROR,
  turnSpanName,
} from "./attributes.js";
export { DURATION_BUCKETS, TOKEN_BUCKETS } from "./metrics.js";
export type { OtelSinkOptions } from "./options.js";
export { otelSink } from "./sink.js";
