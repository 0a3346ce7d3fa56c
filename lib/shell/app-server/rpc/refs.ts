/** Keeping a child and its pipes referenced (the event loop alive) only while it is needed. */
import type { Readable, Writable } from "node:stream";

/** Runs a listener; one that throws must not break the connection (or the process). */
export const safely = (f: () => void): void => {
  try {
    f();
  } catch {
    // ignored: listeners are codex-fp's own and report through their own channels
  }
};

/** A pipe of the child, if it has one. */
export type Stream = Readable | Writable | null;
/**
 * Refs or unrefs a pipe. A socket without a handle (destroyed, or not yet connected) queues the
 * call on a `connect` listener that a closed pipe never fires: skip those, or every ref/unref
 * of a dead server's pipes leaks a listener.
 */
export const setRef = (s: Stream, on: boolean): void => {
  // `ref`/`unref` and the handle are the underlying socket's, not on the stream types.
  if (s === null || s.destroyed || Reflect.get(s, "_handle") === null) return;
  const f: unknown = Reflect.get(s, on ? "ref" : "unref");
  if (typeof f === "function") Reflect.apply(f, s, []);
};
