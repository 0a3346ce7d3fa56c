/**
 * The root's codecs as the public surface offers them (codex-fp and codex-fp/codecs): each the
 * library's codec made total by `totalCodec` (an unreadable value, a throwing getter or a Proxy,
 * is a Left from `decode` and false from `is`). Both entry points export these same objects.
 */
import { totalCodec } from "./total.js";
import { ThreadId as ThreadIdCodec } from "../thread-id.js";
import {
  CodexOptions as CodexOptionsCodec,
  ThreadOptions as ThreadOptionsCodec,
  TurnOptions as TurnOptionsCodec,
} from "../options.js";
import { Thread as ThreadCodec } from "../thread.js";
import { SerializedThread as SerializedThreadCodec } from "../serialize.js";
import { ThreadEvent as ThreadEventCodec } from "../events.js";
import { ThreadItem as ThreadItemCodec } from "../items.js";
import { Turn as TurnCodec } from "../turn.js";

/** Codec of a thread id (a non-empty string without NUL) (total: an unreadable value is a Left). */
export const ThreadId = /* @__PURE__ */ totalCodec(ThreadIdCodec);
/** The type of {@link ThreadId}'s values. */
export type ThreadId = ThreadIdCodec;
/** Codec of the client options (closed: unknown keys are errors) (total: an unreadable value is a Left). */
export const CodexOptions = /* @__PURE__ */ totalCodec(CodexOptionsCodec);
/** The type of {@link CodexOptions}'s values. */
export type CodexOptions = CodexOptionsCodec;
/** Codec of a thread's options (closed: unknown keys are errors) (total: an unreadable value is a Left). */
export const ThreadOptions = /* @__PURE__ */ totalCodec(ThreadOptionsCodec);
/** The type of {@link ThreadOptions}'s values. */
export type ThreadOptions = ThreadOptionsCodec;
/** Codec of a turn's options (closed: unknown keys are errors) (total: an unreadable value is a Left). */
export const TurnOptions = /* @__PURE__ */ totalCodec(TurnOptionsCodec);
/** The type of {@link TurnOptions}'s values. */
export type TurnOptions = TurnOptionsCodec;
/** Codec of an immutable thread value (total: an unreadable value is a Left). */
export const Thread = /* @__PURE__ */ totalCodec(ThreadCodec);
/** The type of {@link Thread}'s values. */
export type Thread = ThreadCodec;
/** Codec of a thread's serialized form (secrets left out) (total: an unreadable value is a Left). */
export const SerializedThread = /* @__PURE__ */ totalCodec(SerializedThreadCodec);
/** The type of {@link SerializedThread}'s values. */
export type SerializedThread = SerializedThreadCodec;
/** Codec of one `codex exec --json` event (total: an unreadable value is a Left). */
export const ThreadEvent = /* @__PURE__ */ totalCodec(ThreadEventCodec);
/** The type of {@link ThreadEvent}'s values. */
export type ThreadEvent = ThreadEventCodec;
/** Codec of one item of a turn (message, command, reasoning …) (total: an unreadable value is a Left). */
export const ThreadItem = /* @__PURE__ */ totalCodec(ThreadItemCodec);
/** The type of {@link ThreadItem}'s values. */
export type ThreadItem = ThreadItemCodec;
/** Codec of a finished turn (total: an unreadable value is a Left). */
export const Turn = /* @__PURE__ */ totalCodec(TurnCodec);
/** The type of {@link Turn}'s values. */
export type Turn = TurnCodec;
