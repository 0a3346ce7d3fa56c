/**
 * The live CLI children of this process, and the hook that kills them when the host goes:
 * SIGINT, SIGTERM, SIGHUP (and the other signals `signal-exit` knows), `process.exit()`, an
 * uncaught exception, or the event loop running dry. `signal-exit` runs the hook and then lets
 * the host die exactly as it would have (it re-raises the signal when nobody else listens),
 * so the host's own signal behaviour does not change. The hook is installed with the first
 * live child and kept (loading and unloading signal-exit per child would re-wrap
 * `process.emit` each time); with no live child it does nothing. A SIGKILL of the host
 * cannot be caught: see docs/transports.md.
 */
import { onExit } from "signal-exit";

/** A child the hook must kill: synchronously, with its process group and descendants. */
export interface LiveChild {
  /** Kills the child, its group and what it started, now (called from the exit hook). */
  killNow(): void;
}

const live = new Set<LiveChild>();
let hooked = false;

const killAll = (): void => {
  for (const c of [...live]) {
    try {
      c.killNow();
    } catch {
      // one child must not keep the others alive
    }
  }
  live.clear();
};

/** Tracks `child` until the returned function is called (idempotent). */
export const trackChild = (child: LiveChild): (() => void) => {
  live.add(child);
  if (!hooked) {
    hooked = true;
    onExit(killAll);
  }
  return () => {
    live.delete(child);
  };
};

/** How many children are live (for tests and diagnostics). */
export const liveChildren = (): number => live.size;
