/**
 * Event codecs for `codex exec --experimental-json` (one JSON object per line), plus the
 * legacy dialect of the parity fixtures, and `decodeEventLine`: dispatch on `type` first, then
 * decode. Unknown event and item types are kept as data, never an error.
 */
import * as t from "io-ts";
import { TokenCount } from "./token-count.js";
import { err, ok, type Result } from "neverthrow";
import { isLeft } from "fp-ts/lib/Either.js";
import { decodeAll, isRecord, open } from "./decoding/decode.js";
import { invalidEvent, invalidJson, type DecodeError, type Issue } from "./errors/index.js";
import { knownItemCodecs, ThreadItem, type ThreadItem as Item } from "./items.js";
import { parseJson } from "./decoding/unknown.js";

const ids = { thread_id: t.string, turn_id: t.string };
const event = <T extends string, P extends t.Props, O extends t.Props>(
  type: T,
  props: P,
  optional: O,
) => open(type, { type: t.literal(type), ...props }, { ...ids, ...optional });

/** Codec of usage as printed (older releases omit the fields newer ones add). */
export const UsageWire = open(
  "Usage",
  { input_tokens: TokenCount, output_tokens: TokenCount },
  {
    cached_input_tokens: TokenCount,
    cache_write_input_tokens: TokenCount,
    reasoning_output_tokens: TokenCount,
    total_tokens: TokenCount,
  },
);
/** Usage as printed. */
export type UsageWire = t.TypeOf<typeof UsageWire>;

/** Codec of a turn error as printed (legacy producers add type, code, status, details …). */
export const TurnErrorPayload = open(
  "TurnError",
  { message: t.string },
  { type: t.string, code: t.string, status: t.number, retry_after: t.number },
);

/** `thread.started`: the thread id (and, in the legacy dialect, its metadata). */
export const ThreadStartedEvent = event(
  "thread.started",
  { thread_id: t.string },
  { metadata: t.unknown },
);
/** `turn.started`. */
export const TurnStartedEvent = event("turn.started", {}, {});
/** `turn.completed`: usage (cumulative over a resumed thread); legacy adds status and more. */
export const TurnCompletedEvent = event(
  "turn.completed",
  {},
  {
    usage: UsageWire,
    status: t.string,
    final_response: t.unknown,
    response_id: t.string,
    error: t.unknown,
  },
);
/** `turn.failed`: the turn ended with an error. */
export const TurnFailedEvent = event("turn.failed", { error: TurnErrorPayload }, {});
/** `item.started`. */
export const ItemStartedEvent = event("item.started", { item: ThreadItem }, {});
/** `item.updated`. */
export const ItemUpdatedEvent = event("item.updated", { item: ThreadItem }, {});
/** `item.completed`. */
export const ItemCompletedEvent = event("item.completed", { item: ThreadItem }, {});
/** `error`: a notice; `Reconnecting… n/5` ones announce a retry and are not fatal. */
export const ErrorEvent = event("error", { message: t.string }, { will_retry: t.boolean });

/** Legacy `turn.continuation`: a server-issued continuation token. */
export const TurnContinuationEvent = event(
  "turn.continuation",
  { continuation_token: t.string },
  { retryable: t.boolean, reason: t.string },
);
/** Legacy `item.agent_message.delta` / `item.input_text.delta`: an item's content. */
export const LegacyItemDeltaEvent = open(
  "LegacyItemDelta",
  {
    type: t.keyof({ "item.agent_message.delta": null, "item.input_text.delta": null }),
    item: open(
      "LegacyItem",
      { id: t.string, type: t.string },
      { role: t.string, content: t.unknown },
    ),
  },
  ids,
);
/** Legacy `tool.call.required` / `tool.call.completed`. */
export const LegacyToolCallEvent = open(
  "LegacyToolCall",
  {
    type: t.keyof({ "tool.call.required": null, "tool.call.completed": null }),
    call_id: t.string,
    tool_name: t.string,
  },
  { ...ids, arguments: t.unknown, output: t.unknown, requires_approval: t.boolean },
);
/** Legacy token usage and diff/compaction progress events. */
export const LegacyProgressEvent = open(
  "LegacyProgress",
  {
    type: t.keyof({
      "thread/tokenUsage/updated": null,
      "thread.tokenUsage.updated": null,
      "turn/diff/updated": null,
      "turn/compaction/completed": null,
    }),
  },
  { ...ids, usage: t.unknown, delta: t.unknown, diff: t.unknown, compaction: t.unknown },
);

/** An event of a type this release does not know: kept whole, reported through telemetry. */
export const UnknownEvent = t.type({
  type: t.literal("unknown"),
  eventType: t.string,
  payload: t.UnknownRecord,
});

/** Codec of every event. */
export const ThreadEvent = t.union([
  ThreadStartedEvent,
  TurnStartedEvent,
  TurnCompletedEvent,
  TurnFailedEvent,
  ItemStartedEvent,
  ItemUpdatedEvent,
  ItemCompletedEvent,
  ErrorEvent,
  TurnContinuationEvent,
  LegacyItemDeltaEvent,
  LegacyToolCallEvent,
  LegacyProgressEvent,
  UnknownEvent,
]);
/** An event of a turn. */
export type ThreadEvent = t.TypeOf<typeof ThreadEvent>;

/** A decoder with the fast `is` guard: what dispatch tables hold. */
type Checker<A> = t.Decoder<unknown, A> & { is(u: unknown): u is A };

const codecByType = new Map<string, Checker<ThreadEvent>>(
  Object.entries({
    "thread.started": ThreadStartedEvent,
    "turn.started": TurnStartedEvent,
    "turn.completed": TurnCompletedEvent,
    "turn.failed": TurnFailedEvent,
    error: ErrorEvent,
    "turn.continuation": TurnContinuationEvent,
    "item.agent_message.delta": LegacyItemDeltaEvent,
    "item.input_text.delta": LegacyItemDeltaEvent,
    "tool.call.required": LegacyToolCallEvent,
    "tool.call.completed": LegacyToolCallEvent,
    "thread/tokenUsage/updated": LegacyProgressEvent,
    "thread.tokenUsage.updated": LegacyProgressEvent,
    "turn/diff/updated": LegacyProgressEvent,
    "turn/compaction/completed": LegacyProgressEvent,
  }),
);
const ITEM_EVENTS = new Set(["item.started", "item.updated", "item.completed"]);
const itemCodecs = new Map<string, Checker<Item>>(Object.entries(knownItemCodecs));

/** Why a line is not an event: not JSON, or a known event type in the wrong shape. */
export type { DecodeError };

const invalid = (eventType: string | null, issues: Issue[]): DecodeError =>
  invalidEvent(eventType, issues);

/** A failed decode, kept apart from events without a Result per line on the hot path. */
class Failure {
  constructor(readonly error: DecodeError) {}
}

/** The issues of `u` against `codec` (only called once `is` said no). */
const explain = <A>(codec: Checker<A>, u: unknown, root: string, type: string | null): Failure => {
  const r = decodeAll(codec, u, root);
  return new Failure(
    invalid(type, isLeft(r) ? r.left : [{ path: root, message: "does not match its codec" }]),
  );
};

const decodeItemEvent = (u: Record<string, unknown>, type: string): ThreadEvent | Failure => {
  const item = u["item"];
  if (!isRecord(item) || typeof item["type"] !== "string")
    return new Failure(
      invalid(type, [{ path: "event.item", message: "expected an object with a string type" }]),
    );
  const itemType = item["type"];
  const codec = itemCodecs.get(itemType);
  if (codec === undefined) {
    if (typeof item["id"] !== "string")
      return new Failure(invalid(type, [{ path: "event.item.id", message: "expected a string" }]));
    // The envelope is checked as for a known item (thread_id and turn_id are strings).
    if (!ItemEnvelope.is(u)) return explain(ItemEnvelope, u, "event", type);
    return {
      ...u,
      type,
      item: { id: item["id"], type: "unknown", itemType, payload: item },
    } as ThreadEvent;
  }
  // The item is checked by its own codec; the envelope needs only its own fields.
  if (!codec.is(item)) return explain(codec, item, "event.item", type);
  if (!ItemEnvelope.is(u)) return explain(ItemEnvelope, u, "event", type);
  return u as ThreadEvent;
};
const ItemEnvelope = open("ItemEvent", { type: t.string, item: t.UnknownRecord }, ids);

const decodeValue = (u: unknown): ThreadEvent | Failure => {
  if (!isRecord(u) || typeof u["type"] !== "string")
    return new Failure(
      invalid(null, [{ path: "event.type", message: "expected an object with a string type" }]),
    );
  const type = u["type"];
  if (ITEM_EVENTS.has(type)) return decodeItemEvent(u, type);
  const codec = codecByType.get(type);
  if (codec === undefined) return { type: "unknown", eventType: type, payload: u };
  return codec.is(u) ? u : explain(codec, u, "event", type);
};

const decodeLine = (line: string): ThreadEvent | Failure => {
  let u: unknown;
  try {
    u = parseJson(line);
  } catch {
    return new Failure(
      invalidJson(`not a JSON line (${typeof line === "string" ? line.length : 0} characters)`),
    );
  }
  return decodeValue(u);
};

const toResult = (r: ThreadEvent | Failure): Result<ThreadEvent, DecodeError> =>
  r instanceof Failure ? err(r.error) : ok(r);

/** Decodes one line of `--experimental-json` output. Never throws. */
export const decodeEventLine = (line: string): Result<ThreadEvent, DecodeError> =>
  toResult(decodeLine(line));

/** Decodes one already-parsed event object (the app-server transport uses this). Never throws. */
export const decodeEventValue = (u: unknown): Result<ThreadEvent, DecodeError> => {
  try {
    return toResult(decodeValue(u));
  } catch {
    // A hostile value (a throwing getter or proxy) is not an event.
    return err(invalid(null, [{ path: "event", message: "could not be read" }]));
  }
};

/** A line of a transcript that did not decode: its 1-based number and why. */
export type TranscriptError = DecodeError & { readonly line: number };

/**
 * Decodes a whole JSONL transcript (blank lines skipped) into its events, or the first line
 * that does not decode. Never throws.
 */
export const decodeTranscript = (jsonl: string): Result<ThreadEvent[], TranscriptError> => {
  if (typeof jsonl !== "string")
    return err({ ...invalidJson("the transcript is not a string"), line: 1 });
  const events: ThreadEvent[] = [];
  let start = 0;
  let n = 0;
  while (start < jsonl.length) {
    let end = jsonl.indexOf("\n", start);
    if (end === -1) end = jsonl.length;
    n++;
    const line = jsonl.slice(start, end);
    start = end + 1;
    if (line.trim() === "") continue;
    const r = decodeLine(line);
    if (r instanceof Failure) return err({ ...r.error, line: n });
    events.push(r);
  }
  return ok(events);
};
