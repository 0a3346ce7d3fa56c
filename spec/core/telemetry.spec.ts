/**
 * Telemetry: events are data checked by a codec, delivered to an injected sink; a sink that
 * throws never breaks the caller.
 */
import { isRight } from "fp-ts/lib/Either.js";

import { noopSink, recordingSink } from "../../lib/index.js";
import { TelemetryEvent } from "../../lib/codecs/index.js";
import { emit } from "../../lib/core/telemetry.js";

const position = { completedTurns: 2, lastTurnId: "turn_2" };
const base = { timestamp: null, threadId: "thread_abc123" };

/** One event of every name, as the core and the shell emit them. */
const everyEvent: TelemetryEvent[] = [
  { name: "codex.thread.start", ...base },
  { name: "codex.thread.resume", ...base },
  {
    name: "codex.thread.resume.validated",
    ...base,
    tokenKind: "signed",
    expected: position,
    observed: null,
  },
  {
    name: "codex.thread.resume.mismatch",
    ...base,
    reason: "stale",
    expected: position,
    observed: { completedTurns: 3, lastTurnId: "turn_3" },
  },
  { name: "codex.turn.start", ...base, transport: "exec", resumed: true, model: "gpt-5" },
  {
    name: "codex.turn.stop",
    ...base,
    transport: "exec",
    durationMs: 1200,
    outcome: "ok",
    usage: {
      input_tokens: 10,
      cached_input_tokens: 0,
      cache_write_input_tokens: 0,
      output_tokens: 5,
      reasoning_output_tokens: 1,
    },
    exitCode: 0,
  },
  {
    name: "codex.turn.exception",
    ...base,
    transport: "exec",
    errorTag: "ExecFailed",
    message: "exit 1",
  },
  { name: "codex.event.unknown", ...base, eventType: "item.new_kind", itemType: null },
];

describe("TelemetryEvent", () => {
  it.each(everyEvent.map((e) => [e.name, e] as const))("accepts a %s event", (_, event) => {
    expect(isRight(TelemetryEvent.decode(event))).toBe(true);
  });

  it("has exactly these event names", () => {
    expect(everyEvent.map((e) => e.name)).toEqual([
      "codex.thread.start",
      "codex.thread.resume",
      "codex.thread.resume.validated",
      "codex.thread.resume.mismatch",
      "codex.turn.start",
      "codex.turn.stop",
      "codex.turn.exception",
      "codex.event.unknown",
    ]);
    expect(isRight(TelemetryEvent.decode({ name: "codex.thread.stop", ...base }))).toBe(false);
  });

  it("rejects an event that misses a field or has a reason it does not know", () => {
    expect(isRight(TelemetryEvent.decode({ name: "codex.thread.start", timestamp: null }))).toBe(
      false,
    );
    expect(
      isRight(
        TelemetryEvent.decode({ ...everyEvent[3], reason: "expired" } as unknown as TelemetryEvent),
      ),
    ).toBe(false);
  });
});

describe("recordingSink", () => {
  it("keeps the events it is given, in order, until cleared", () => {
    const rec = recordingSink();
    for (const e of everyEvent) rec.sink(e);
    expect(rec.events).toEqual(everyEvent);
    rec.clear();
    expect(rec.events).toEqual([]);
  });

  it("gives each sink its own events", () => {
    const a = recordingSink();
    const b = recordingSink();
    a.sink(everyEvent[0] as TelemetryEvent);
    expect(b.events).toEqual([]);
  });
});

describe("noopSink", () => {
  it("drops every event", () => {
    expect(noopSink(everyEvent[0] as TelemetryEvent)).toBeUndefined();
  });
});

describe("emit", () => {
  it("delivers the event to the sink", () => {
    const rec = recordingSink();
    emit(rec.sink, everyEvent[0] as TelemetryEvent);
    expect(rec.events).toEqual([everyEvent[0]]);
  });

  it("swallows what a sink throws, and tolerates no sink", () => {
    const throwing = () => {
      throw new Error("collector down");
    };
    expect(() => emit(throwing, everyEvent[0] as TelemetryEvent)).not.toThrow();
    expect(() => emit(undefined, everyEvent[0] as TelemetryEvent)).not.toThrow();
    expect(() => emit(42 as never, everyEvent[0] as TelemetryEvent)).not.toThrow();
  });
});
