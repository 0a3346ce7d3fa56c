/** A turn's telemetry: its start, the events worth reporting, and its end (exception, stop). */
import type { ThreadEvent } from "../../core/events.js";
import type { TurnError } from "../../core/errors/index.js";
import { emit, type TelemetrySink } from "../../core/telemetry.js";
import type { Turn } from "../../core/turn.js";

/** Reports one turn's telemetry on `sink`, stamped by `now` (a throwing clock stamps null). */
export interface TurnReporter {
  /** `codex.turn.start`; the stop's duration counts from here. */
  start(threadId: string | null, model: string | null): void;
  /** `codex.thread.start|resume` and `codex.event.unknown` for the events that call for them. */
  event(event: ThreadEvent, resumedId: string | null, currentId: string | null): void;
  /** The end of a started turn: an exception (when it failed), then the stop. */
  end(
    threadId: string | null,
    error: TurnError | null,
    usage: Turn["usage"] | null,
    exitCode: number | null,
  ): void;
}

/** A reporter for one turn on `transport`. */
export const turnReporter = (
  sink: TelemetrySink | undefined,
  now: () => Date,
  transport: string,
): TurnReporter => {
  const stamp = () => {
    try {
      return now().toISOString();
    } catch {
      return null;
    }
  };
  let startedAt = performance.now();
  return {
    start: (threadId, model) => {
      startedAt = performance.now();
      emit(sink, {
        name: "codex.turn.start",
        timestamp: stamp(),
        threadId,
        transport,
        resumed: threadId !== null,
        model,
      });
    },
    event: (event, resumedId, currentId) => {
      if (event.type === "thread.started")
        emit(sink, {
          name: resumedId === null ? "codex.thread.start" : "codex.thread.resume",
          timestamp: stamp(),
          threadId: event.thread_id,
        });
      else if (event.type === "unknown")
        emit(sink, {
          name: "codex.event.unknown",
          timestamp: stamp(),
          threadId: currentId,
          eventType: event.eventType,
          itemType: null,
        });
      else if (
        (event.type === "item.completed" || event.type === "item.started") &&
        event.item.type === "unknown"
      )
        emit(sink, {
          name: "codex.event.unknown",
          timestamp: stamp(),
          threadId: currentId,
          eventType: event.type,
          itemType: event.item.itemType,
        });
    },
    end: (threadId, error, usage, exitCode) => {
      if (error !== null)
        emit(sink, {
          name: "codex.turn.exception",
          timestamp: stamp(),
          threadId,
          transport,
          errorTag: error._tag,
          message: error.message,
        });
      emit(sink, {
        name: "codex.turn.stop",
        timestamp: stamp(),
        threadId,
        transport,
        durationMs: Math.round(performance.now() - startedAt),
        outcome: error === null ? "ok" : "error",
        usage,
        exitCode,
      });
    },
  };
};
