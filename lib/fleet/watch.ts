/**
 * Noticing that Redis is gone while a submitter waits. BullMQ's clients reconnect forever, so a
 * job's completion event that can no longer arrive would be waited for forever. While anyone
 * waits, one watcher per fleet PINGs Redis every `intervalMs`; when every PING has failed (or
 * gone unanswered) for `lostAfterMs`, each waiter is told, and its submit ends with
 * `RedisUnavailable`. Nobody waiting: no PINGs.
 */

/** How often the watcher PINGs while someone waits, and how long a loss must last. */
export interface WatchTiming {
  readonly intervalMs: number;
  readonly lostAfterMs: number;
}

/** The default: a PING a second; Redis counts as lost after 5 s without an answer. */
export const DEFAULT_WATCH: WatchTiming = { intervalMs: 1_000, lostAfterMs: 5_000 };

/** One waiter's view: `lost` resolves (with the last PING failure) once Redis is lost. */
export interface Watching {
  readonly lost: Promise<unknown>;
  /** Stops watching for this waiter (the PINGs stop when no one is left). */
  done(): void;
}

/** The watcher of one connection. */
export interface RedisWatch {
  /** Starts watching for one waiter. */
  watch(): Watching;
}

const answerWithin = (p: Promise<unknown>, ms: number): Promise<unknown> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer to PING in ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });

/** A watcher that calls `ping` (a PING on the connection to watch) while someone waits. */
export const redisWatch = (
  ping: () => Promise<unknown>,
  timing: WatchTiming = DEFAULT_WATCH,
  now: () => number = Date.now,
): RedisWatch => {
  const waiters = new Set<(cause: unknown) => void>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let failingSince: number | null = null;

  const schedule = (): void => {
    if (timer === null && waiters.size > 0) {
      timer = setTimeout(() => void tick(), timing.intervalMs);
      timer.unref();
    }
  };
  const tick = async (): Promise<void> => {
    try {
      await answerWithin(
        Promise.resolve().then(ping),
        Math.min(timing.intervalMs, timing.lostAfterMs),
      );
      failingSince = null;
    } catch (e) {
      failingSince ??= now();
      if (now() - failingSince >= timing.lostAfterMs) {
        const told = [...waiters];
        waiters.clear();
        for (const tell of told) tell(e);
      }
    } finally {
      timer = null;
      schedule();
    }
  };

  return {
    watch: () => {
      let tell: (cause: unknown) => void = () => undefined;
      const lost = new Promise<unknown>((resolve) => {
        tell = resolve;
      });
      waiters.add(tell);
      if (waiters.size === 1) failingSince = null;
      schedule();
      return { lost, done: () => void waiters.delete(tell) };
    },
  };
};
