/**
 * `startFleetWorker`: a BullMQ worker that runs fleet turns on this machine. Secrets (API key,
 * env, config) live only in its options; jobs carry none. A stalled job (its worker died:
 * its lock was not renewed within `lockDurationMs`) is taken again by another worker, from the
 * last committed head.
 */
import { DEFAULT_INPUT_LIMITS, InputLimits, type ResolvedInputLimits } from "../core/limits.js";
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import * as t from "io-ts";
import { ResultAsync, errAsync, okAsync } from "neverthrow";
import { DelayedError, UnrecoverableError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { closed } from "../core/decoding/decode.js";
import {
  CodexOptions,
  ThreadOptions,
  type CodexOptionsInput,
  type ThreadOptionsInput,
} from "../core/options.js";
import { Redacted } from "../core/redacted.js";
import type { TelemetryEvent } from "../core/telemetry.js";
import { runTurn } from "../shell/run.js";
import { resolveCodexHome } from "../shell/sessions.js";
import { openAppServer, type AppServer } from "../shell/app-server/index.js";
import { connectStore, redisOptions } from "./connection.js";
import { redisWatch } from "./watch.js";
import { decodeFailure, fleetClosed, type FleetError } from "./errors.js";
import { processJob, type ProcessorContext } from "./processor.js";
import { sessionStore, storeNamespace } from "./store.js";
import type { FleetSink } from "./telemetry.js";
import { DEFAULT_QUEUE, FleetConnection, FleetQueueName, decodeAs } from "./wire.js";

const PositiveInt = (name: string, min: number) =>
  new t.Type<number, number, unknown>(
    name,
    (u): u is number => typeof u === "number" && Number.isInteger(u) && u >= min,
    (u, c) =>
      typeof u === "number" && Number.isInteger(u) && u >= min
        ? t.success(u)
        : t.failure(u, c, `expected a whole number ≥ ${min}`),
    (a) => a,
  );

const isSink = (u: unknown): u is FleetSink => typeof u === "function";
const Fn = new t.Type<FleetSink, FleetSink, unknown>(
  "function",
  isSink,
  (u, c) => (isSink(u) ? t.success(u) : t.failure(u, c, "expected a function")),
  (a) => a,
);

/** Codec of `startFleetWorker`'s options (client and thread options are decoded by their own). */
export const FleetWorkerOptions = closed(
  "FleetWorkerOptions",
  {
    /** Where Redis is (the queue and the session store). */
    connection: FleetConnection,
  },
  {
    /** The queue's name (default `codex-fp-turns`); also the store's key namespace. */
    queue: FleetQueueName,
    /**
     * Bounds on the jobs this worker reads: their data, the thread and the turn (see
     * InputLimits; default: the defaults). Give the submitters the same.
     */
    limits: InputLimits,
    /** Turns run at once by this worker (default 1). */
    concurrency: PositiveInt("concurrency", 1),
    /** This machine's `CODEX_HOME` (default: from `codexOptions.env`, else the environment). */
    codexHome: t.string,
    /** Client options with this machine's secrets (decoded as `CodexOptions`). */
    codexOptions: t.unknown,
    /** Thread options that override the job's (decoded as `ThreadOptions`). */
    threadOptions: t.unknown,
    /** How long a job's lock lives without renewal (default 30000): a dead worker's job is taken again after it. */
    lockDurationMs: PositiveInt("lockDurationMs", 500),
    /** `exec` (a `codex exec` per turn, the default) or `app-server` (one server per worker). */
    transport: t.keyof({ exec: null, "app-server": null }),
    /** Where telemetry goes: turn events and fleet events. */
    sink: Fn,
    /** This worker's name in results and telemetry (default host:pid:random). */
    workerId: t.string,
  },
);
/**
 * Options of `startFleetWorker`, derived from its codec (a typo or a wrong type does not
 * compile); the client and thread options are typed as `startThread` takes them.
 */
export type FleetWorkerOptions = Omit<
  t.TypeOf<typeof FleetWorkerOptions>,
  "codexOptions" | "threadOptions"
> & {
  /** Client options with this machine's secrets: API key, env, config. Never sent anywhere. */
  readonly codexOptions?: CodexOptionsInput;
  /** Thread options that override the job's on this machine (e.g. `workingDirectory`). */
  readonly threadOptions?: ThreadOptionsInput;
};

/** A running fleet worker. */
export interface FleetWorker {
  /** The worker's name, as results and telemetry report it. */
  readonly workerId: string;
  /** Stops taking jobs, waits for the running ones, closes connections (and the app-server). */
  close(): ResultAsync<void, FleetError>;
}

/** The variables of `env` that are set. */
const definedEnv = (env: NodeJS.ProcessEnv): Record<string, string> =>
  Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));

/** A job's payload, as what it is until decoded: unknown (BullMQ types it `any`). */
const dataOf = (job: Job): unknown => job.data;

/** Starts a worker; fails with a typed error on bad options or when Redis does not answer. */
export const startFleetWorker = (
  options: FleetWorkerOptions,
): ResultAsync<FleetWorker, FleetError> => {
  const o = decodeAs(
    FleetWorkerOptions,
    options,
    "options",
    "InvalidFleetOptions",
    "invalid worker options",
  );
  if (o.isErr()) return errAsync(o.error);
  const opts = o.value;
  // Both option objects at once: every problem of both is reported.
  const both = decodeAs(
    t.type({ codexOptions: CodexOptions, threadOptions: ThreadOptions }),
    { codexOptions: opts.codexOptions ?? {}, threadOptions: opts.threadOptions ?? {} },
    "options",
    "InvalidFleetOptions",
    "invalid worker options",
  );
  if (both.isErr()) return errAsync(both.error);
  const threadOptions = both.value.threadOptions;
  let codexOptions = both.value.codexOptions;
  if (opts.codexHome !== undefined) {
    const base = codexOptions.env?.reveal() ?? definedEnv(process.env);
    codexOptions = { ...codexOptions, env: Redacted.of({ ...base, CODEX_HOME: opts.codexHome }) };
  }
  const codexHome = resolveCodexHome({
    ...(opts.codexHome !== undefined ? { codexHome: opts.codexHome } : {}),
    ...(codexOptions.env !== undefined ? { env: codexOptions.env.reveal() } : {}),
  });
  const queue = opts.queue ?? DEFAULT_QUEUE;
  const lockMs = opts.lockDurationMs ?? 30_000;
  const workerId = opts.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const sink = opts.sink;
  const limits: ResolvedInputLimits = { ...DEFAULT_INPUT_LIMITS, ...opts.limits };
  const turnSink = sink === undefined ? undefined : (e: TelemetryEvent) => sink(e);

  const server: ResultAsync<AppServer | null, FleetError> =
    opts.transport === "app-server"
      ? openAppServer(codexOptions, turnSink !== undefined ? { sink: turnSink } : {}).mapErr(
          (e): FleetError =>
            decodeFailure("InvalidFleetOptions", "the app-server did not open", [
              { path: "transport", message: e.message },
            ]),
        )
      : okAsync(null);

  return connectStore(opts.connection).andThen((redis: Redis) =>
    server
      .orElse((e) => {
        redis.disconnect();
        return errAsync(e);
      })
      .map((app) => {
        const ctx: ProcessorContext = {
          store: sessionStore(redis, storeNamespace(queue)),
          workerId,
          codexOptions,
          threadOptions,
          codexHome,
          lockTtlMs: lockMs,
          sink,
          limits,
          now: () => new Date(),
          runTurn: (thread, input, turnOptions) =>
            runTurn(thread, input, turnOptions, {
              limits,
              ...(turnSink !== undefined ? { sink: turnSink } : {}),
              ...(app !== null ? { transport: app.transport } : {}),
            }),
        };
        const worker = new Worker(
          queue,
          async (job: Job, token?: string) => {
            const verdict = await processJob(ctx, {
              id: job.id ?? "",
              data: dataOf(job),
              attempt: job.attemptsStarted,
            });
            if (verdict.kind === "done") return verdict.result;
            if (verdict.kind === "busy") {
              // Another job holds the thread: try again shortly, without counting an attempt.
              await job.moveToDelayed(Date.now() + 100 + Math.floor(Math.random() * 200), token);
              throw new DelayedError(); // throws-ok BullMQ's way to say "moved to delayed"
            }
            // A typed verdict: the job fails with it, and is not retried.
            throw new UnrecoverableError(JSON.stringify(verdict.error)); // throws-ok BullMQ's failure channel
          },
          {
            connection: redisOptions(opts.connection),
            concurrency: opts.concurrency ?? 1,
            lockDuration: lockMs,
            stalledInterval: lockMs,
            maxStalledCount: 1,
            name: workerId,
          },
        );
        // Worker errors (a lost connection …) are retried by BullMQ; they must not crash the process.
        worker.on("error", () => undefined);
        let closing: ResultAsync<void, FleetError> | null = null;
        return {
          workerId,
          close: () =>
            (closing ??= ResultAsync.fromPromise(
              (async () => {
                // Waits for the running turns, unless Redis is lost: then nothing it waits for
                // can finish, and the worker closes at once (its jobs stall to another worker).
                const watching = redisWatch(() => redis.ping()).watch();
                const lost = watching.lost.then(() => "lost" as const);
                const graceful = await Promise.race([
                  worker.close().then(() => "closed" as const),
                  lost,
                ]);
                watching.done();
                if (graceful === "lost") {
                  void worker.close(true).catch(() => undefined);
                  // A close already under way ignores `force`: drop the connections themselves,
                  // or they retry the lost server for ever (and hold the process open).
                  void worker.disconnect().catch(() => undefined);
                  redis.disconnect();
                }
                if (app !== null) await app.close();
                if (graceful === "closed") await redis.quit().catch(() => redis.disconnect());
              })(),
              () => fleetClosed("worker"),
            )),
        };
      }),
  );
};
