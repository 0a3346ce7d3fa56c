/**
 * What the sink is told, and the same read defensively: a bad options value (from JavaScript)
 * must not make `otelSink` throw either.
 */
import type { Attributes, Meter, Tracer } from "@opentelemetry/api";
import { DEFAULT_AGENT_NAME, DEFAULT_PROVIDER_NAME } from "./attributes.js";

/** How `otelSink` reports. */
export interface OtelSinkOptions {
  /** Where spans go: `trace.getTracer("codex-fp")` or a tracer of your provider. */
  readonly tracer: Tracer;
  /**
   * Where the `gen_ai.client.token.usage` and `gen_ai.client.operation.duration` histograms go:
   * `metrics.getMeter("codex-fp")` or a meter of your provider. Without one, no metrics.
   */
  readonly meter?: Meter;
  /** `gen_ai.agent.name`, also the span name's suffix (default `codex`). */
  readonly agentName?: string;
  /** `gen_ai.provider.name` (default `openai`; set it when the CLI talks to another provider). */
  readonly providerName?: string;
  /** Attributes added to every span the sink starts (they must not carry secrets). */
  readonly attributes?: Attributes;
  /**
   * Use the events' own timestamps as span start, end and event times (default true), so an
   * injected clock (`RunDeps.now`) shows in the trace. Events without one use the tracer's clock.
   */
  readonly useEventTimestamps?: boolean;
  /**
   * At most this many turn spans are kept open (default 1000). Past it, the oldest is ended
   * with status ERROR and `codex.turn.abandoned`: a sink never grows without bound.
   */
  readonly maxOpenTurns?: number;
  /** Told of anything the sink or the tracer threw; it is never rethrown (default: ignored). */
  readonly onError?: (error: unknown) => void;
}

/** The options, read once, with their defaults. */
export interface SinkSettings {
  readonly tracer: Tracer | undefined;
  readonly meter: Meter | undefined;
  readonly agentName: string;
  readonly providerName: string;
  readonly common: Attributes;
  readonly useEventTimestamps: boolean;
  readonly maxOpenTurns: number;
  readonly onError: ((error: unknown) => void) | undefined;
}

const stringOr = (v: unknown, fallback: string): string => (typeof v === "string" ? v : fallback);

/** The settings of `options`, whatever it is: anything unusable takes its default. */
export const readOptions = (options: unknown): SinkSettings => {
  const o: Partial<Record<keyof OtelSinkOptions, unknown>> =
    typeof options === "object" && options !== null ? options : {};
  const objectOr = <A>(v: unknown): A | undefined =>
    typeof v === "object" && v !== null ? (v as A) : undefined;
  return {
    tracer: objectOr<Tracer>(o.tracer),
    meter: objectOr<Meter>(o.meter),
    agentName: stringOr(o.agentName, DEFAULT_AGENT_NAME),
    providerName: stringOr(o.providerName, DEFAULT_PROVIDER_NAME),
    common: { ...(objectOr<Attributes>(o.attributes) ?? {}) },
    useEventTimestamps: o.useEventTimestamps !== false,
    maxOpenTurns:
      typeof o.maxOpenTurns === "number" && Number.isFinite(o.maxOpenTurns)
        ? Math.max(1, Math.floor(o.maxOpenTurns))
        : 1000,
    onError: typeof o.onError === "function" ? (o.onError as (error: unknown) => void) : undefined,
  };
};
