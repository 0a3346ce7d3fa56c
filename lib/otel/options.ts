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

/** `read()`, or `undefined` when reading threw (a throwing getter or a Proxy). */
const attempt = <A>(read: () => A): A | undefined => {
  try {
    return read();
  } catch {
    return undefined;
  }
};

/**
 * The settings of `options`, whatever it is: anything unusable takes its default, and so does
 * a field that throws when read (a getter, a Proxy). Each field is read once.
 */
export const readOptions = (options: unknown): SinkSettings => {
  const o: Partial<Record<keyof OtelSinkOptions, unknown>> =
    typeof options === "object" && options !== null ? options : {};
  const field = (k: keyof OtelSinkOptions): unknown => attempt(() => o[k]);
  const objectOr = <A>(v: unknown): A | undefined =>
    typeof v === "object" && v !== null ? (v as A) : undefined;
  const attributes = objectOr<Attributes>(field("attributes"));
  const maxOpenTurns = field("maxOpenTurns");
  const onError = field("onError");
  return {
    tracer: objectOr<Tracer>(field("tracer")),
    meter: objectOr<Meter>(field("meter")),
    agentName: stringOr(field("agentName"), DEFAULT_AGENT_NAME),
    providerName: stringOr(field("providerName"), DEFAULT_PROVIDER_NAME),
    // Copied once; unreadable attributes (a Proxy) are left out.
    common: attempt(() => ({ ...attributes })) ?? {},
    useEventTimestamps: field("useEventTimestamps") !== false,
    maxOpenTurns:
      typeof maxOpenTurns === "number" && Number.isFinite(maxOpenTurns)
        ? Math.max(1, Math.floor(maxOpenTurns))
        : 1000,
    onError: typeof onError === "function" ? (onError as (error: unknown) => void) : undefined,
  };
};
