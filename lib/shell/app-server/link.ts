/**
 * A Link: one live app-server connection and what codex-fp knows about its threads — which
 * are loaded (no `thread/resume` needed), which have a turn running through us (so a second
 * turn on the same thread is `ThreadBusy`, and a cancelled one drains before the next), and
 * each thread's cumulative usage. Kept up to date from the server's notifications.
 */
import type { UsageWire } from "../../core/events.js";
import { usageFromBreakdown } from "./events.js";
import type { RpcConnection } from "./rpc.js";

/** A turn running on a thread through this connection. */
export interface ActiveTurn {
  /** True once the caller stopped it: it is only waiting for the server to confirm. */
  draining: boolean;
  /** Settles when the server says the turn ended (or the connection closed). */
  readonly done: Promise<void>;
  /** Settles `done` and frees the thread. */
  readonly end: () => void;
}

/** A connection and its thread state. */
export interface Link {
  readonly rpc: RpcConnection;
  /** Threads loaded in the server (started, resumed or forked here and not unloaded since). */
  readonly loaded: Set<string>;
  /** Threads with a turn running through this connection. */
  readonly active: Map<string, ActiveTurn>;
  /** Each thread's cumulative usage, as last reported. */
  readonly totals: Map<string, UsageWire>;
}

/** Wraps a connection, tracking its threads from the notifications it receives. */
export const createLink = (rpc: RpcConnection): Link => {
  const link: Link = { rpc, loaded: new Set(), active: new Map(), totals: new Map() };
  rpc.onNote((n) => {
    switch (n.method) {
      case "thread/started":
        link.loaded.add(n.params.thread.id);
        break;
      case "thread/status/changed":
        if (n.params.status.type === "notLoaded") link.loaded.delete(n.params.threadId);
        else link.loaded.add(n.params.threadId);
        break;
      case "thread/closed":
      case "thread/deleted":
      case "thread/archived":
        link.loaded.delete(n.params.threadId);
        break;
      case "thread/tokenUsage/updated":
        link.totals.set(n.params.threadId, usageFromBreakdown(n.params.tokenUsage.total));
        break;
      default:
        break;
    }
  });
  rpc.onClose(() => {
    for (const turn of [...link.active.values()]) turn.end();
    link.loaded.clear();
  });
  return link;
};

/**
 * Marks `threadId` as running a turn. A thread whose previous turn is only draining (it was
 * stopped) is waited for, up to `drainMs`; a thread with a live turn is refused (false).
 */
export const claimThread = async (
  link: Link,
  threadId: string,
  drainMs: number,
): Promise<ActiveTurn | null> => {
  const deadline = performance.now() + drainMs;
  for (;;) {
    const current = link.active.get(threadId);
    if (current === undefined) break;
    const left = deadline - performance.now();
    if (!current.draining || left <= 0) return null;
    await Promise.race([current.done, new Promise((r) => setTimeout(r, left))]);
  }
  let end: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    end = () => {
      if (link.active.get(threadId) === turn) link.active.delete(threadId);
      resolve();
    };
  });
  const turn: ActiveTurn = { draining: false, done, end: () => end() };
  link.active.set(threadId, turn);
  return turn;
};
