/**
 * Who hears what on a connection: a thread's subscribers get its notifications, note listeners
 * every decoded thread-state notification, close listeners the end. Listeners that throw are
 * ignored.
 */
import type { TransportError } from "../../../core/errors/index.js";
import { decodeNote, threadIdOf, type ServerNote } from "../protocol.js";
import { safely } from "./refs.js";
import type { ThreadSignal } from "./types.js";

/** Notifications decoded even when no thread subscribes: they keep the connection's state. */
const STATE_METHODS = new Set([
  "thread/started",
  "thread/status/changed",
  "thread/tokenUsage/updated",
  "thread/closed",
  "thread/deleted",
  "thread/archived",
]);

/** The listeners of one connection. */
export interface Subscribers {
  /** Routes `threadId`'s notifications to `listener` until the returned function is called. */
  subscribe(threadId: string, listener: (s: ThreadSignal) => void): () => void;
  /** Sees every decoded thread-state notification. */
  onNote(listener: (n: ServerNote) => void): () => void;
  /** Called once when the connection ends. */
  onClose(listener: (error: TransportError) => void): () => void;
  /** Decodes a notification (when someone wants it) and hands it to its listeners. */
  notify(method: string, params: unknown): void;
  /** Tells every thread subscriber and close listener the connection ended; forgets them all. */
  closeAll(error: TransportError): void;
}

/** The (empty) listeners of a new connection. */
export const createSubscribers = (): Subscribers => {
  const threads = new Map<string, Set<(s: ThreadSignal) => void>>();
  const noteListeners = new Set<(n: ServerNote) => void>();
  const closeListeners = new Set<(e: TransportError) => void>();
  return {
    subscribe: (threadId, listener) => {
      let set = threads.get(threadId);
      if (set === undefined) threads.set(threadId, (set = new Set()));
      set.add(listener);
      return () => {
        const s = threads.get(threadId);
        s?.delete(listener);
        if (s !== undefined && s.size === 0) threads.delete(threadId);
      };
    },
    onNote: (listener) => {
      noteListeners.add(listener);
      return () => noteListeners.delete(listener);
    },
    onClose: (listener) => {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    notify: (method, params) => {
      const threadId = threadIdOf(params);
      const subscribers = threadId === null ? undefined : threads.get(threadId);
      const wanted =
        (subscribers !== undefined && subscribers.size > 0) || STATE_METHODS.has(method);
      if (!wanted) return;
      const note = decodeNote(method, params);
      if (note === null) return;
      if (note.method !== "invalid") for (const l of [...noteListeners]) safely(() => l(note));
      if (subscribers !== undefined) for (const l of [...subscribers]) safely(() => l(note));
    },
    closeAll: (error) => {
      for (const set of threads.values())
        for (const l of [...set]) safely(() => l({ method: "closed", error }));
      threads.clear();
      for (const l of [...closeListeners]) safely(() => l(error));
      closeListeners.clear();
      noteListeners.clear();
    },
  };
};
