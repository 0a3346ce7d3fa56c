/** Observing a thread's session: the default observer (the CLI's store) and a safe caller. */
import { buildEnv } from "../../core/argv.js";
import { observedFrom } from "../../core/rollout.js";
import type { Thread } from "../../core/thread.js";
import { findSession } from "../sessions.js";
import type { ObserveSession, SessionObservation } from "./types.js";

/**
 * The default observer: the thread's rollout in the store the CLI uses (found from the
 * thread's `env` as the CLI would), scanned in full for its exact position; when it is not
 * there, `observed.missingFrom` names the store searched. Ephemeral threads have none.
 */
export const observeFromStore: ObserveSession = async (thread, opts = {}) => {
  try {
    return await observeStore(thread, opts ?? {});
  } catch {
    // Not a Thread (a hostile value): nothing to observe. runTurn passes only decoded threads.
    return null;
  }
};

const observeStore: ObserveSession = async (thread, opts = {}) => {
  if (typeof thread !== "object" || thread === null || typeof thread.threadId !== "string")
    return null;
  if (thread.threadOptions.ephemeral === true) return null;
  const env =
    thread.codexOptions.env === undefined ? undefined : buildEnv(thread.codexOptions, {}, []);
  const found = await findSession(thread.threadId, {
    ...(env !== undefined ? { env } : {}),
    scan: "full",
    ...(opts.signal !== undefined ? { signal: opts.signal } : {}),
  });
  if (found.isErr()) {
    const e = found.error;
    // Not there (or the store cannot be read): say so, with the store searched.
    if (e._tag === "SessionNotFound" || e._tag === "StoreUnreadable")
      return { observed: { missingFrom: e.path } };
    // Stopped: nothing observed (the turn itself reports the abort).
    if (e._tag === "Aborted") return null;
    // There, but it cannot be read: say so, so a token's position is not taken on trust.
    return { observed: { unreadable: `${e.path}: ${e.message}` } };
  }
  const s = found.value;
  return {
    observed: observedFrom(s),
    metadata: {
      origin: "rollout",
      threadId: s.threadId,
      createdAt: s.createdAt,
      cwd: s.cwd,
      originator: s.originator,
      cliVersion: s.cliVersion,
      source: null,
      modelProvider: s.modelProvider,
      labels: {},
      unknownKeys: [],
      extra: {},
    },
    ...(s.lastTurnUsage !== null ? { turnUsage: s.lastTurnUsage } : {}),
  };
};

/** Observes, never rejecting, and giving up (null) as soon as `signal` aborts. */
export const safeObserve = async (
  observe: ObserveSession | null,
  thread: Thread,
  signal?: AbortSignal,
): Promise<SessionObservation | null> => {
  if (observe === null || thread.threadId === null || signal?.aborted === true) return null;
  let onAbort = (): void => undefined;
  const gaveUp = new Promise<null>((res) => {
    onAbort = () => res(null);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([observe(thread, signal === undefined ? {} : { signal }), gaveUp]);
  } catch {
    return null;
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
};
