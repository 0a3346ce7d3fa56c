/**
 * `openFleet`: the submitting side. `submitTurn` puts a turn on the queue (the thread without
 * its client options, the input, the JSON turn options), waits for a worker to run it, and
 * returns the new Thread rebuilt with the submitter's own client options and secrets.
 */
import type * as t from "io-ts";
import { ResultAsync, errAsync, okAsync } from "neverthrow";
import { Queue, QueueEvents } from "bullmq";
import { aborted as abortedError, parseWith, type TurnError } from "../core/errors/index.js";
import { Input, type TurnInput } from "../core/input.js";
import { DEFAULT_INPUT_LIMITS, InputLimits, type ResolvedInputLimits } from "../core/limits.js";
import { closed } from "../core/decoding/decode.js";
import { TurnOptions, type TurnOptionsInput } from "../core/options.js";
import { deserializeThread, storedThread } from "../core/serialize.js";
import { takeThread, updateThread, type Thread } from "../core/thread.js";
import type { TurnOutcome } from "../shell/run.js";
import { connectStore, redisOptions } from "./connection.js";
import {
  fleetClosed,
  jobFailed,
  redisUnavailable,
  unguardedThread,
  type FleetError,
} from "./errors.js";
import { redisWatch } from "./watch.js";
import {
  DEFAULT_QUEUE,
  FLEET_JOB_FORMAT,
  FleetConnection,
  FleetJobResult,
  FleetQueueName,
  decodeAs,
  failureFromText,
  type FleetJobData,
  type FleetPosition,
} from "./wire.js";

/** Codec of `openFleet`'s options. */
export const FleetOptions = closed(
  "FleetOptions",
  {
    /** Where Redis is. */
    connection: FleetConnection,
  },
  {
    /** The queue's name (default `codex-fp-turns`). */
    queue: FleetQueueName,
    /**
     * Bounds on what `submitTurn` is given and on the results it reads back (see InputLimits;
     * default: the defaults). Give the workers the same.
     */
    limits: InputLimits,
  },
);
/** Options of `openFleet`, derived from its codec: a typo or a wrong type does not compile. */
export type FleetOptions = t.TypeOf<typeof FleetOptions>;

/** A turn run by the fleet: the new Thread and the Turn, and where it ran. */
export interface FleetTurnOutcome extends TurnOutcome {
  readonly fleet: {
    /** The worker that ran (and committed) the turn. */
    readonly workerId: string;
    readonly jobId: string;
    /** The head the turn committed. */
    readonly head: FleetPosition;
  };
}

/** What ended a submit's wait before its job did. */
type Interruption =
  | { readonly interrupted: "lost"; readonly cause: unknown }
  | { readonly interrupted: "closed" }
  | { readonly interrupted: "aborted" };

/** A connection to a fleet. */
export interface Fleet {
  /**
   * Runs a turn of `thread` on some worker and waits for it. A thread with an id must carry
   * its continuation token: a snapshot that is not the fleet's head is refused with
   * `ContinuationMismatch`. `turnOptions.signal` stops the waiting (a job not started yet is
   * withdrawn); the other turn options travel with the job.
   */
  submitTurn(
    thread: Thread,
    input: TurnInput,
    turnOptions?: TurnOptionsInput,
  ): ResultAsync<FleetTurnOutcome, TurnError | FleetError>;
  /** Closes the queue and its event stream. */
  close(): ResultAsync<void, FleetError>;
}

/** Opens a fleet; fails with a typed error on bad options or when Redis does not answer. */
export const openFleet = (options: FleetOptions): ResultAsync<Fleet, FleetError> => {
  const o = decodeAs(
    FleetOptions,
    options,
    "options",
    "InvalidFleetOptions",
    "invalid fleet options",
  );
  if (o.isErr()) return errAsync(o.error);
  const { connection } = o.value;
  const name = o.value.queue ?? DEFAULT_QUEUE;
  const limits: ResolvedInputLimits = { ...DEFAULT_INPUT_LIMITS, ...o.value.limits };
  // Probe Redis first: BullMQ would otherwise retry a dead server forever.
  return connectStore(connection)
    .map((probe) => void probe.quit().catch(() => probe.disconnect()))
    .andThen(() =>
      ResultAsync.fromPromise(
        (async () => {
          const queue = new Queue(name, { connection: redisOptions(connection) });
          const events = new QueueEvents(name, { connection: redisOptions(connection) });
          queue.on("error", () => undefined);
          events.on("error", () => undefined);
          await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
          return { queue, events };
        })(),
        (e) => redisUnavailable("connection", e),
      ),
    )
    .map(({ queue, events }) => {
      let closed = false;
      let closing: ResultAsync<void, FleetError> | null = null;
      let markClosed: () => void = () => undefined;
      const closedSignal = new Promise<void>((resolve) => {
        markClosed = resolve;
      });
      // Any cheap command serves as the PING; it goes through the queue's own connection.
      const watch = redisWatch(() => queue.getJobCounts("active"));
      const submitTurn: Fleet["submitTurn"] = (threadArg, inputArg, turnOptions) => {
        if (closed) return errAsync(fleetClosed("fleet"));
        // Each argument is read once (decoded into a copy); only the copies are used from here on.
        const th = takeThread(threadArg, "thread", limits);
        if (th.isErr()) return errAsync(th.error);
        const thread = th.value;
        const opts = parseWith(
          TurnOptions,
          turnOptions ?? {},
          "turnOptions",
          "InvalidOptions",
          "invalid turn options",
          limits,
        );
        if (opts.isErr()) return errAsync(opts.error);
        const decodedInput = parseWith(
          Input,
          inputArg,
          "input",
          "InvalidOptions",
          "invalid input",
          limits,
        );
        if (decodedInput.isErr()) return errAsync(decodedInput.error);
        const input = decodedInput.value;
        if (thread.threadId !== null && thread.continuationToken === null)
          return errAsync(unguardedThread(thread.threadId));
        const { signal, ...jsonOptions } = opts.value;
        if (signal?.aborted === true)
          return errAsync(
            abortedError("turnOptions.signal", "the turn was aborted before it was submitted"),
          );
        const data: FleetJobData = {
          format: FLEET_JOB_FORMAT,
          // No client options leave this process: the worker uses its own.
          thread: storedThread(updateThread(thread, { codexOptions: {} })),
          input,
          turnOptions: jsonOptions,
        };
        const watching = watch.watch();
        // Removed when the turn settles: a long-lived signal given to many turns keeps no
        // listener (nor what it holds) of the turns that are over.
        let stopListening = (): void => undefined;
        const interrupted = Promise.race([
          watching.lost.then((cause): Interruption => ({ interrupted: "lost", cause })),
          closedSignal.then((): Interruption => ({ interrupted: "closed" })),
          ...(signal === undefined
            ? []
            : [
                new Promise<Interruption>((resolve) => {
                  const onAbort = () => resolve({ interrupted: "aborted" });
                  signal.addEventListener("abort", onAbort, { once: true });
                  stopListening = () => signal.removeEventListener("abort", onAbort);
                }),
              ]),
        ]);
        const job = queue.add("turn", data, {
          attempts: 1,
          removeOnComplete: { age: 3600, count: 10_000 },
          removeOnFail: { age: 24 * 3600, count: 10_000 },
        });
        const waiting = job.then((j) =>
          j.waitUntilFinished(events).then(
            (value: unknown) => ({ ok: true as const, value, jobId: j.id ?? null }),
            (e: unknown) => ({
              ok: false as const,
              reason: e instanceof Error ? e.message : String(e),
              jobId: j.id ?? null,
            }),
          ),
        );
        return ResultAsync.fromPromise(
          Promise.race([waiting, interrupted]).finally(() => {
            stopListening();
            watching.done();
          }),
          (e) => redisUnavailable("queue.add", e),
        ).andThen((r): ResultAsync<FleetTurnOutcome, TurnError | FleetError> => {
          if ("interrupted" in r) {
            if (r.interrupted === "lost") return errAsync(redisUnavailable("queue", r.cause));
            if (r.interrupted === "closed") return errAsync(fleetClosed("fleet"));
            // A job no worker took yet is withdrawn; a running one finishes on its worker.
            void job.then((j) => j.remove()).catch(() => undefined);
            return errAsync(
              abortedError(
                "turnOptions.signal",
                "the turn was aborted; if a worker had started it, it may still commit",
              ),
            );
          }
          const jobId = r.jobId;
          if (!r.ok)
            return errAsync(
              failureFromText(r.reason) ?? jobFailed(jobId, `the job failed: ${r.reason}`),
            );
          const res = decodeAs(
            FleetJobResult,
            r.value,
            "result",
            "InvalidJobResult",
            "invalid job result",
            limits,
          );
          if (res.isErr()) return errAsync(res.error);
          const back = deserializeThread(JSON.stringify(res.value.thread), {}, limits);
          if (back.isErr()) return errAsync(back.error);
          // The submitter's own client options and thread options, secrets included.
          const rebuilt = updateThread(back.value, {
            codexOptions: thread.codexOptions,
            threadOptions: thread.threadOptions,
          });
          return okAsync({
            thread: rebuilt,
            turn: res.value.turn,
            fleet: { workerId: res.value.workerId, jobId: jobId ?? "", head: res.value.head },
          });
        });
      };
      return {
        submitTurn,
        close: () =>
          (closing ??= ResultAsync.fromPromise(
            (async () => {
              closed = true;
              markClosed();
              // A clean close needs Redis; when it is lost, the connections are dropped instead.
              const watching = watch.watch();
              const clean = Promise.allSettled([queue.close(), events.close()]);
              const lost = await Promise.race([
                clean.then(() => false),
                watching.lost.then(() => true),
              ]);
              watching.done();
              // (BullMQ's disconnect may itself wait on the lost server: it is not awaited.)
              if (lost) void Promise.allSettled([queue.disconnect(), events.disconnect()]);
            })(),
            () => fleetClosed("fleet"),
          )),
      };
    });
};
