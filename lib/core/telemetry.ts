/**
 * Telemetry: events are data, defined by a codec with stable dotted names, delivered to an
 * injected sink (never a global logger). A sink that throws never breaks the caller.
 */
import * as t from "io-ts";
import { MismatchReason, Position } from "./errors/thread.js";
import { Usage } from "./usage.js";
import { callQuietly } from "./call-quietly.js";

const nullableString = t.union([t.string, t.null]);

// The timestamp is null when no clock was injected (the pure core reads none of its own).
const base = { timestamp: nullableString, threadId: nullableString };

/** Codec of the event a thread lifecycle call reports (fork, archive, list …). */
export const LifecycleEvent = t.type({
  name: t.keyof({
    "codex.thread.fork": null,
    "codex.thread.archive": null,
    "codex.thread.unarchive": null,
    "codex.thread.delete": null,
    "codex.thread.list": null,
    "codex.thread.read": null,
    "codex.thread.name": null,
  }),
  ...base,
  /** `fork` only: the new thread's id. */
  forkedThreadId: nullableString,
  transport: t.string,
  durationMs: t.number,
  outcome: t.keyof({ ok: null, error: null }),
  errorTag: nullableString,
});
/** A lifecycle telemetry event. */
export type LifecycleEvent = t.TypeOf<typeof LifecycleEvent>;

/** Codec of every telemetry event codex-fp emits. */
export const TelemetryEvent = t.intersection(
  [
    t.union([
      LifecycleEvent,
      t.type({ name: t.literal("codex.thread.start"), ...base }),
      t.type({ name: t.literal("codex.thread.resume"), ...base }),
      t.type({
        name: t.literal("codex.thread.resume.validated"),
        ...base,
        tokenKind: t.keyof({
          signed: null,
          unverified: null,
          unsigned: null,
          legacy: null,
          none: null,
        }),
        expected: t.union([Position, t.null]),
        observed: t.union([Position, t.null]),
      }),
      t.type({
        name: t.literal("codex.thread.resume.mismatch"),
        ...base,
        reason: MismatchReason,
        expected: t.union([Position, t.null]),
        observed: t.union([Position, t.null]),
      }),
      t.type({
        name: t.literal("codex.turn.start"),
        ...base,
        transport: t.string,
        resumed: t.boolean,
        /** The model the turn asks for (`threadOptions.model`); null: the CLI's default. */
        model: nullableString,
      }),
      t.type({
        name: t.literal("codex.turn.stop"),
        ...base,
        transport: t.string,
        durationMs: t.number,
        outcome: t.keyof({ ok: null, error: null }),
        usage: t.union([Usage, t.null]),
        exitCode: t.union([t.number, t.null]),
      }),
      t.type({
        name: t.literal("codex.turn.exception"),
        ...base,
        transport: t.string,
        errorTag: t.string,
        message: t.string,
      }),
      t.type({
        name: t.literal("codex.event.unknown"),
        ...base,
        eventType: t.string,
        itemType: nullableString,
      }),
    ]),
    /**
     * Ties the events of one turn together (its start, thread, resume check, stop): set by the
     * runner, one per `runTurn` / `runStreamed` call.
     */
    t.partial({ correlationId: t.string }),
  ],
  "TelemetryEvent",
);
/** A telemetry event. */
export type TelemetryEvent = t.TypeOf<typeof TelemetryEvent>;
/** The names of telemetry events. */
export type TelemetryEventName = TelemetryEvent["name"];

/** Where telemetry goes: a function of one event. It may throw; callers are protected. */
export type TelemetrySink = (event: TelemetryEvent) => void;

/** A sink that drops every event. */
export const noopSink: TelemetrySink = () => undefined;

/** A sink that keeps events in memory, for tests and demos. */
export interface RecordingSink {
  readonly sink: TelemetrySink;
  readonly events: readonly TelemetryEvent[];
  /** Forgets the events recorded so far. */
  clear(): void;
}

/** Creates a recording sink. */
export const recordingSink = (): RecordingSink => {
  const events: TelemetryEvent[] = [];
  return {
    sink: (e) => {
      events.push(e);
    },
    events,
    clear: () => {
      events.length = 0;
    },
  };
};

/** Delivers `event` to `sink`, swallowing anything the sink throws or rejects with. */
export const emit = (sink: TelemetrySink | undefined, event: TelemetryEvent): void => {
  if (sink !== undefined) callQuietly(sink, event);
};
