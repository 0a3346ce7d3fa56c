/**
 * Event codecs for `codex exec --experimental-json` (one JSON object per line), plus the
 * legacy dialect of the parity fixtures, and `decodeEventLine`: dispatch on `type` first, then
 * decode. Unknown event and item types are kept as data, never an error.
 */
import * as t from "io-ts";
import { err, ok, type Result } from "neverthrow";
import { isLeft } from "fp-ts/lib/Either.js";
import { decodeAll, isRecord } from "./internal/decode.js";
import type { Issue } from "./errors.js";
import { knownItemCodecs, ThreadItem, type ThreadItem as Item } from "./items.js";

const opt = t.partial({ thread_id: t.string, turn_id: t.string });
const event = <T extends string, P extends t.Props>(type: T, props: P) =>
  t.intersection([t.type({ type: t.literal(type), ...props }), opt]);

/** Codec of usage as printed (older releases omit the fields newer ones add). */
export const UsageWire = t.intersection([
  t.type({ input_tokens: t.number, output_tokens: t.number }),
  t.partial({
    cached_input_tokens: t.number,
    cache_write_input_tokens: t.number,
    reasoning_output_tokens: t.number,
    total_tokens: t.number,
  }),
]);
/** Usage as printed. */
export type UsageWire = t.TypeOf<typeof UsageWire>;

/** Codec of a turn error as printed (legacy producers add type, code, status, details …). */
export const TurnErrorPayload = t.intersection([
  t.type({ message: t.string }),
  t.partial({ type: t.string, code: t.string, status: t.number, retry_after: t.number }),
]);

/** `thread.started`: the thread id (and, in the legacy dialect, its metadata). */
export const ThreadStartedEvent = t.intersection([
  event("thread.started", { thread_id: t.string }),
  t.partial({ metadata: t.unknown }),
]);
/** `turn.started`. */
export const TurnStartedEvent = event("turn.started", {});
/** `turn.completed`: usage (cumulative over a resumed thread); legacy adds status and more. */
export const TurnCompletedEvent = t.intersection([
  event("turn.completed", {}),
  t.partial({
    usage: UsageWire,
    status: t.string,
    final_response: t.unknown,
    response_id: t.string,
    error: t.unknown,
  }),
]);
/** `turn.failed`: the turn ended with an error. */
export const TurnFailedEvent = event("turn.failed", { error: TurnErrorPayload });
/** `item.started`. */
export const ItemStartedEvent = event("item.started", { item: ThreadItem });
/** `item.updated`. */
export const ItemUpdatedEvent = event("item.updated", { item: ThreadItem });
/** `item.completed`. */
export const ItemCompletedEvent = event("item.completed", { item: ThreadItem });
/** `error`: a notice; `Reconnecting… n/5` ones announce a retry and are not fatal. */
export const ErrorEvent = t.intersection([
  event("error", { message: t.string }),
  t.partial({ will_retry: t.boolean }),
]);

/** Legacy `turn.continuation`: a server-issued continuation token. */
export const TurnContinuationEvent = t.intersection([
  event("turn.continuation", { continuation_token: t.string }),
  t.partial({ retryable: t.boolean, reason: t.string }),
]);
/** Legacy `item.agent_message.delta` / `item.input_text.delta`: an item's content. */
export const LegacyItemDeltaEvent = t.intersection([
  t.type({
    type: t.keyof({ "item.agent_message.delta": null, "item.input_text.delta": null }),
    item: t.intersection([
      t.type({ id: t.string, type: t.string }),
      t.partial({ role: t.string, content: t.unknown }),
    ]),
  }),
  opt,
]);
/** Legacy `tool.call.required` / `tool.call.completed`. */
export const LegacyToolCallEvent = t.intersection([
  t.type({
    type: t.keyof({ "tool.call.required": null, "tool.call.completed": null }),
    call_id: t.string,
    tool_name: t.string,
  }),
  opt,
  t.partial({ arguments: t.unknown, output: t.unknown, requires_approval: t.boolean }),
]);
/** Legacy token usage and diff/compaction progress events. */
export const LegacyProgressEvent = t.intersection([
  t.type({
    type: t.keyof({
      "thread/tokenUsage/updated": null,
      "thread.tokenUsage.updated": null,
      "turn/diff/updated": null,
      "turn/compaction/completed": null,
    }),
  }),
  opt,
  t.partial({ usage: t.unknown, delta: t.unknown, diff: t.unknown, compaction: t.unknown }),
]);

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

const codecByType: Record<string, Checker<ThreadEvent>> = {
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
};
const ITEM_EVENTS = new Set(["item.started", "item.updated", "item.completed"]);
const itemCodecs: Record<string, Checker<Item>> = knownItemCodecs;

/** Why a line is not an event: not JSON, or a known event type in the wrong shape. */
export type DecodeError =
  | { readonly _tag: "InvalidJson"; readonly path: string; readonly message: string }
  | {
      readonly _tag: "InvalidEvent";
      readonly path: string;
      readonly message: string;
      readonly eventType: string | null;
      readonly issues: readonly Issue[];
    };

const invalid = (eventType: string | null, issues: Issue[]): DecodeError => ({
  _tag: "InvalidEvent",
  path: issues[0]?.path ?? "event",
  message: `invalid ${eventType ?? "event"} event: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
  eventType,
  issues,
});

/** Decodes with the fast `is` check first; runs the full decoder only to explain a failure. */
const check = <A>(codec: Checker<A>, u: unknown, root: string): Result<A, Issue[]> => {
  if (codec.is(u)) return ok(u);
  const r = decodeAll(codec, u, root);
  return isLeft(r) ? err(r.left) : ok(r.right);
};

const decodeItemEvent = (
  u: Record<string, unknown>,
  type: string,
): Result<ThreadEvent, DecodeError> => {
  const item = u["item"];
  if (!isRecord(item) || typeof item["type"] !== "string")
    return err(
      invalid(type, [{ path: "event.item", message: "expected an object with a string type" }]),
    );
  const itemType = item["type"];
  const codec = itemCodecs[itemType];
  if (codec === undefined) {
    if (typeof item["id"] !== "string")
      return err(invalid(type, [{ path: "event.item.id", message: "expected a string" }]));
    return ok({
      ...u,
      type,
      item: { id: item["id"], type: "unknown", itemType, payload: item },
    } as ThreadEvent);
  }
  return check(codec, item, "event.item").match(
    () =>
      check(codecByItemEvent[type] ?? ItemCompletedEvent, u, "event").mapErr((i) =>
        invalid(type, i),
      ),
    (issues) => err(invalid(type, issues)),
  );
};
const codecByItemEvent: Record<string, Checker<ThreadEvent>> = {
  "item.started": ItemStartedEvent,
  "item.updated": ItemUpdatedEvent,
  "item.completed": ItemCompletedEvent,
};

/** Decodes one line of `--experimental-json` output. Never throws. */
export const decodeEventLine = (line: string): Result<ThreadEvent, DecodeError> => {
  let u: unknown;
  try {
    u = JSON.parse(line) as unknown;
  } catch {
    return err({
      _tag: "InvalidJson",
      path: "line",
      message: `not a JSON line (${String(line).length} characters)`,
    });
  }
  return decodeEventValue(u);
};

/** Decodes one already-parsed event object (the app-server transport uses this). */
export const decodeEventValue = (u: unknown): Result<ThreadEvent, DecodeError> => {
  if (!isRecord(u) || typeof u["type"] !== "string")
    return err(
      invalid(null, [{ path: "event.type", message: "expected an object with a string type" }]),
    );
  const type = u["type"];
  if (ITEM_EVENTS.has(type)) return decodeItemEvent(u, type);
  const codec = codecByType[type];
  if (codec === undefined) return ok({ type: "unknown", eventType: type, payload: u });
  return check(codec, u, "event").mapErr((issues) => invalid(type, issues));
};
