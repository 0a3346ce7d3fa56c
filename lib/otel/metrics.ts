/**
 * The GenAI client metrics of a turn: `gen_ai.client.token.usage` (one point for the input
 * tokens, one for the output tokens) and `gen_ai.client.operation.duration`, histograms with the
 * conventions' units, attributes and bucket boundaries (given as advice: an SDK may override).
 */
import { ValueType, type Attributes, type Meter } from "@opentelemetry/api";
import { CODEX_ATTRIBUTES as A, GEN_AI_METRICS, INVOKE_AGENT } from "./attributes.js";
import type { EventOf } from "./turns.js";

/** Token bucket boundaries the conventions advise: powers of 4 from 1 to 4^13. */
export const TOKEN_BUCKETS: readonly number[] = Array.from({ length: 14 }, (_, i) => 4 ** i);
/** Duration bucket boundaries the conventions advise, in seconds: 0.01 doubling to 81.92. */
export const DURATION_BUCKETS: readonly number[] = Array.from(
  { length: 14 },
  (_, i) => Math.round(0.01 * 2 ** i * 100) / 100,
);

/** One finished turn, as its metrics see it. */
export interface TurnMeasure {
  readonly providerName: string;
  /** The model the turn asked for, when known. */
  readonly model: string | null;
  readonly durationMs: number;
  readonly usage: EventOf<"codex.turn.stop">["usage"];
  /** The `error.type` of a failed turn; null when it succeeded. */
  readonly errorType: string | null;
}

/** Records a finished turn's metrics. */
export type RecordTurn = (turn: TurnMeasure) => void;

/** The recorder of a sink with `meter`; without one, a recorder that records nothing. */
export const turnMetrics = (meter: Meter | undefined): RecordTurn => {
  if (meter === undefined) return () => undefined;
  const tokens = meter.createHistogram(GEN_AI_METRICS.tokenUsage.name, {
    description: "Number of input and output tokens used by a Codex turn.",
    unit: GEN_AI_METRICS.tokenUsage.unit,
    valueType: ValueType.INT,
    advice: { explicitBucketBoundaries: [...TOKEN_BUCKETS] },
  });
  const duration = meter.createHistogram(GEN_AI_METRICS.operationDuration.name, {
    description: "Duration of a Codex turn.",
    unit: GEN_AI_METRICS.operationDuration.unit,
    valueType: ValueType.DOUBLE,
    advice: { explicitBucketBoundaries: [...DURATION_BUCKETS] },
  });
  return (turn) => {
    const base: Attributes = {
      [A.operationName]: INVOKE_AGENT,
      [A.providerName]: turn.providerName,
      ...(turn.model !== null ? { [A.requestModel]: turn.model } : {}),
    };
    duration.record(turn.durationMs / 1000, {
      ...base,
      ...(turn.errorType !== null ? { [A.errorType]: turn.errorType } : {}),
    });
    if (turn.usage === null) return;
    tokens.record(turn.usage.input_tokens, { ...base, [A.tokenType]: "input" });
    tokens.record(turn.usage.output_tokens, { ...base, [A.tokenType]: "output" });
  };
};
