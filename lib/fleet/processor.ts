/**
 * One fleet job, from its data to its verdict, independent of BullMQ: decode the payload →
 * rebuild the thread with this worker's options → (an existing thread) take the thread's lock,
 * refuse a snapshot that is not the head, bring the local rollout to the head → run the turn →
 * append the turn's chunk and move the head by compare-and-set from the head the job started
 * from → the result. Never throws: every way out is a `JobVerdict`.
 */
import type { ResolvedInputLimits } from "../core/limits.js";
import type { ResultAsync } from "neverthrow";
import { continuationMismatch, threadNotFound, type TurnError } from "../core/errors/index.js";
import { decodeContinuationToken } from "../core/continuation.js";
import { deserializeThread, storedThread, type SerializedThread } from "../core/serialize.js";
import { updateThread, withThreadOptions, type DeepReadonly, type Thread } from "../core/thread.js";
import type { TurnInput } from "../core/input.js";
import type { CodexOptions, ThreadOptions, TurnOptionsInput } from "../core/options.js";
import type { TurnOutcome } from "../shell/run.js";
import {
  jobFailed,
  sessionSyncFailed,
  storeCorrupt,
  unguardedThread,
  type FleetError,
} from "./errors.js";
import { exportTurn, headAfter, syncToHead } from "./local.js";
import type { ReadHead, SessionStore } from "./store.js";
import { emitFleet, type FleetEvent, type FleetSink } from "./telemetry.js";
import {
  FLEET_RESULT_FORMAT,
  FleetJobData,
  decodeAs,
  type FleetJobResult,
  type FleetPosition,
  type StoreHead,
} from "./wire.js";

/** How a job ended: done, refused for good (typed), busy (try later), or failed (retry). */
export type JobVerdict =
  | { readonly kind: "done"; readonly result: FleetJobResult }
  | { readonly kind: "refused"; readonly error: TurnError | FleetError }
  | { readonly kind: "busy" };

/** What the processor needs from its worker. */
export interface ProcessorContext {
  readonly store: SessionStore;
  readonly workerId: string;
  readonly codexOptions: CodexOptions;
  readonly threadOptions: ThreadOptions;
  readonly codexHome: string;
  readonly lockTtlMs: number;
  readonly sink: FleetSink | undefined;
  /** The bounds of the jobs this worker reads. */
  readonly limits: ResolvedInputLimits;
  readonly now: () => Date;
  /** Runs the turn (runTurn with this worker's transport and sink). */
  readonly runTurn: (
    thread: Thread,
    input: TurnInput,
    turnOptions: TurnOptionsInput,
  ) => ResultAsync<TurnOutcome, TurnError>;
}

/** The job as the processor sees it. */
export interface JobRef {
  readonly id: string;
  readonly data: unknown;
  readonly attempt: number;
}

const refused = (error: TurnError | FleetError): JobVerdict => ({ kind: "refused", error });

const positionOf = (h: StoreHead): FleetPosition => ({
  completedTurns: h.completedTurns,
  lastTurnId: h.lastTurnId,
});

/** The thread's position its token claims (null: no token, or not one of ours). */
const claimOf = (thread: Thread): FleetPosition | null => {
  if (thread.continuationToken === null) return null;
  const d = decodeContinuationToken(thread.continuationToken);
  return d.isOk() && d.value.kind !== "legacy"
    ? { completedTurns: d.value.claim.completedTurns, lastTurnId: d.value.claim.lastTurnId }
    : null;
};

const mismatch = (
  threadId: string,
  reason: "stale" | "forked",
  expected: FleetPosition | null,
  observed: FleetPosition | null,
  message: string,
): TurnError => continuationMismatch(reason, message, threadId, expected, observed);

/** The thread as it goes back over the wire: no client options, the job's thread options. */
const forTheWire = (
  thread: Thread,
  threadOptions: Thread["threadOptions"],
): DeepReadonly<SerializedThread> =>
  storedThread(updateThread(thread, { codexOptions: {}, threadOptions }));

/** Runs one job. Never throws. */
export const processJob = async (ctx: ProcessorContext, job: JobRef): Promise<JobVerdict> => {
  try {
    return await process(ctx, job);
  } catch (e) {
    return refused(
      jobFailed(job.id, `the worker failed: ${e instanceof Error ? e.message : String(e)}`),
    );
  }
};

const process = async (ctx: ProcessorContext, job: JobRef): Promise<JobVerdict> => {
  const stamp = () => {
    try {
      return ctx.now().toISOString();
    } catch {
      return null;
    }
  };
  const ev = { jobId: job.id, workerId: ctx.workerId };
  const fleetEvent = (e: FleetEvent) => emitFleet(ctx.sink, e);

  // 1. The payload, decoded with the codecs; the thread rebuilt with this worker's options.
  const d = decodeAs(
    FleetJobData,
    job.data,
    "job.data",
    "InvalidJobData",
    "invalid job data",
    ctx.limits,
  );
  if (d.isErr()) return refused(d.error);
  const data = d.value;
  const given = deserializeThread(JSON.stringify(data.thread), {}, ctx.limits);
  if (given.isErr()) return refused(given.error);
  const jobThreadOptions = given.value.threadOptions;
  const withOptions = withThreadOptions(
    updateThread(given.value, { codexOptions: ctx.codexOptions }),
    ctx.threadOptions,
  );
  if (withOptions.isErr()) return refused(withOptions.error);
  const thread = withOptions.value;
  const threadId = thread.threadId;
  fleetEvent({
    name: "codex.fleet.job.taken",
    timestamp: stamp(),
    threadId,
    ...ev,
    attempt: job.attempt,
  });

  // 2. A new thread: run, then commit its first chunk against "no head".
  if (threadId === null) return runAndCommit(ctx, job, thread, data, jobThreadOptions, null, stamp);

  // 3. An existing thread: its lock, its head, the snapshot check, the local copy.
  const claim = claimOf(thread);
  if (claim === null)
    return thread.continuationToken === null
      ? refused(unguardedThread(threadId))
      : refused(
          mismatch(
            threadId,
            "forked",
            null,
            null,
            "the thread's token is not one the fleet can read",
          ),
        );
  const locked = await ctx.store.lock(threadId, job.id, ctx.lockTtlMs);
  if (locked.isErr()) return refused(locked.error);
  if (!locked.value) {
    fleetEvent({
      name: "codex.fleet.conflict",
      timestamp: stamp(),
      threadId,
      ...ev,
      reason: "busy",
      expected: claim,
      observed: null,
    });
    return { kind: "busy" };
  }
  const renew = setInterval(
    () => void ctx.store.lock(threadId, job.id, ctx.lockTtlMs),
    Math.max(50, Math.floor(ctx.lockTtlMs / 3)),
  );
  try {
    const read = await ctx.store.readHead(threadId);
    if (read.isErr()) return refused(read.error);
    const head = read.value;
    if (head === null)
      return refused(
        threadNotFound(threadId, `thread ${threadId} has no session in the fleet's store`),
      );
    const at = positionOf(head.head);
    if (at.completedTurns !== claim.completedTurns || at.lastTurnId !== claim.lastTurnId) {
      const reason = claim.completedTurns < at.completedTurns ? "stale" : "forked";
      fleetEvent({
        name: "codex.fleet.conflict",
        timestamp: stamp(),
        threadId,
        ...ev,
        reason,
        expected: claim,
        observed: at,
      });
      return refused(
        mismatch(
          threadId,
          reason,
          claim,
          at,
          reason === "stale"
            ? `the thread moved on in the fleet (turn ${at.completedTurns}) since this snapshot (turn ${claim.completedTurns}); continue from the newer thread`
            : `the thread's snapshot (turn ${claim.completedTurns}) is not the fleet's head (turn ${at.completedTurns})`,
        ),
      );
    }
    const synced = await syncToHead(ctx.store, ctx.codexHome, threadId, head);
    if (synced.isErr()) return refused(synced.error);
    if (synced.value.chunks > 0)
      fleetEvent({
        name: "codex.fleet.session.imported",
        timestamp: stamp(),
        threadId,
        ...ev,
        ...synced.value,
      });
    return await runAndCommit(ctx, job, thread, data, jobThreadOptions, head, stamp);
  } finally {
    clearInterval(renew);
    await ctx.store.unlock(threadId, job.id);
  }
};

const runAndCommit = async (
  ctx: ProcessorContext,
  job: JobRef,
  thread: Thread,
  data: FleetJobData,
  jobThreadOptions: Thread["threadOptions"],
  head: ReadHead | null,
  stamp: () => string | null,
): Promise<JobVerdict> => {
  const ev = { jobId: job.id, workerId: ctx.workerId };
  const ran = await ctx.runTurn(thread, data.input, data.turnOptions);
  if (ran.isErr()) return refused(ran.error);
  const outcome = ran.value;
  const threadId = outcome.thread.threadId;
  if (threadId === null) return refused(sessionSyncFailed(null, "the turn reported no thread id"));
  const position = claimOf(outcome.thread);
  if (position === null)
    return refused(sessionSyncFailed(threadId, "the turn's position could not be observed"));
  const exported = await exportTurn(ctx.codexHome, threadId, head?.head ?? null);
  if (exported.isErr()) return refused(exported.error);
  const archive = exported.value;
  if (archive.length <= (head?.head.length ?? 0))
    return refused(storeCorrupt(threadId, "the turn added nothing to the rollout"));
  const next = headAfter(head?.head ?? null, archive);
  const chunk = Buffer.from(JSON.stringify(archive), "utf8");
  const committed = await ctx.store.commit(threadId, head, next, chunk, head?.head.length ?? 0);
  if (committed.isErr()) return refused(committed.error);
  if (!committed.value.committed) {
    const current = committed.value.current;
    const observed = current === null ? null : positionOf(current);
    const expected = head === null ? null : positionOf(head.head);
    emitFleet(ctx.sink, {
      name: "codex.fleet.conflict",
      timestamp: stamp(),
      threadId,
      ...ev,
      reason: "lost_race",
      expected,
      observed,
    });
    return refused(
      mismatch(
        threadId,
        "stale",
        expected,
        observed,
        "another turn of this thread was committed while this one ran; this turn's result was thrown away",
      ),
    );
  }
  emitFleet(ctx.sink, {
    name: "codex.fleet.head.committed",
    timestamp: stamp(),
    threadId,
    ...ev,
    head: positionOf(next),
    length: next.length,
    chunkBytes: chunk.length,
  });
  return {
    kind: "done",
    result: {
      format: FLEET_RESULT_FORMAT,
      thread: forTheWire(outcome.thread, jobThreadOptions),
      turn: outcome.turn,
      workerId: ctx.workerId,
      head: positionOf(next),
    },
  };
};
