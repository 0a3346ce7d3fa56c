/**
 * What the lifecycle calls return about stored threads: a ThreadSummary per thread (from the
 * server's Thread, times as ISO strings), a page of them, and a thread with its turns, whose
 * items are in the exec shapes a Turn holds. Codecs first; the mapping from the generated
 * app-server types is pure.
 */
import * as t from "io-ts";
import type {
  Thread as ServerThread,
  Turn as ServerTurn,
} from "../../generated/app-server/index.js";
import { decodeEventValue } from "../../core/events.js";
import { ThreadItem } from "../../core/items.js";
import { toExecItem } from "./events.js";

const nullable = <C extends t.Mixed>(c: C) => t.union([c, t.null]);

/** Codec of one stored thread as listed or read. */
export const ThreadSummary = t.type({
  threadId: t.string,
  /** The name set with `setThreadName`, if any. */
  name: nullable(t.string),
  /** Usually the first user message. */
  preview: t.string,
  cwd: t.string,
  /** ISO 8601. */
  createdAt: t.string,
  /** ISO 8601. */
  updatedAt: t.string,
  /** True when archived; null when the answer does not say. */
  archived: nullable(t.boolean),
  ephemeral: t.boolean,
  forkedFromId: nullable(t.string),
  model: nullable(t.string),
  modelProvider: t.string,
  /** `notLoaded`, `idle`, `active` or `systemError`. */
  status: t.string,
  /** The rollout file (null for ephemeral threads). */
  path: nullable(t.string),
  cliVersion: t.string,
});
/** One stored thread. */
export type ThreadSummary = t.TypeOf<typeof ThreadSummary>;

/** Codec of one page of `listThreads`. */
export const ThreadPage = t.type({
  threads: t.array(ThreadSummary),
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: nullable(t.string),
});
/** One page of threads. */
export type ThreadPage = t.TypeOf<typeof ThreadPage>;

/** Codec of a stored turn: its items in exec shapes. */
export const TurnRecord = t.type({
  turnId: t.string,
  /** `completed`, `interrupted`, `failed` or `inProgress`. */
  status: t.string,
  items: t.array(ThreadItem),
  error: nullable(t.string),
});
/** A stored turn. */
export type TurnRecord = t.TypeOf<typeof TurnRecord>;

/** Codec of `readThread`'s answer. */
export const ThreadRecord = t.type({
  thread: ThreadSummary,
  /** The turns, when asked for (`includeTurns`), else null. */
  turns: nullable(t.array(TurnRecord)),
});
/** A thread and (optionally) its turns. */
export type ThreadRecord = t.TypeOf<typeof ThreadRecord>;

const iso = (unixSeconds: number): string => {
  const d = new Date(unixSeconds * 1000);
  return Number.isNaN(d.getTime()) ? "" : d.toISOString();
};

/** A server Thread as a summary; `archived` when the caller knows it, else from its path. */
export const toSummary = (th: ServerThread, archived: boolean | null = null): ThreadSummary => ({
  threadId: th.id,
  name: th.name ?? null,
  preview: th.preview,
  cwd: th.cwd,
  createdAt: iso(th.createdAt),
  updatedAt: iso(th.updatedAt),
  archived:
    archived ?? (typeof th.path === "string" ? /[/\\]archived_sessions[/\\]/.test(th.path) : null),
  ephemeral: th.ephemeral,
  forkedFromId: th.forkedFromId ?? null,
  model: th.model ?? null,
  modelProvider: th.modelProvider,
  status: th.status.type,
  path: th.path ?? null,
  cliVersion: th.cliVersion,
});

/** A server turn with its items in exec shapes (`item_N` ids, as one exec run numbers them). */
export const toTurnRecord = (turn: ServerTurn): TurnRecord => {
  const items: ThreadItem[] = [];
  for (const it of turn.items) {
    const mapped = toExecItem(it, `item_${items.length}`);
    if (mapped === null) continue;
    const e = decodeEventValue({ type: "item.completed", item: mapped });
    if (e.isOk() && e.value.type === "item.completed") items.push(e.value.item);
  }
  return { turnId: turn.id, status: turn.status, items, error: turn.error?.message ?? null };
};
