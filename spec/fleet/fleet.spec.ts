/**
 * codex-fp/fleet in one process: workers on separate CODEX_HOMEs ("machines"), the real codex
 * CLI against the loopback stub, and a real redis-server. Threads hop between machines; stale
 * and concurrent submits are refused; bad payloads fail their job only; nothing secret reaches
 * Redis. (spec/fleet/processes.spec.ts runs the workers as separate processes.)
 */
import { getEventListeners } from "node:events";

import { Queue } from "bullmq";
import {
  openFleet,
  startFleetWorker,
  type Fleet,
  type FleetWorker,
} from "../../lib/fleet/index.js";
import type { Thread } from "../../lib/core/thread.js";
import { decodeContinuationToken } from "../../lib/core/continuation.js";
import { isLeft } from "fp-ts/lib/Either.js";
import { TelemetryEvent } from "../../lib/core/telemetry.js";
import { FleetEvent } from "../../lib/fleet/telemetry.js";
import {
  decodedArchiveBytes,
  expectNoSecret,
  redisText,
  startFleetWorld,
  withFleet,
  type FleetWorld,
} from "./support/fleet-env.js";
import { okOf } from "../support/results.js";
import { API_KEY } from "../support/run-env.js";

jest.setTimeout(120_000);

let world: FleetWorld;
let queueN = 0;
const queueName = () => `q${++queueN}`;

beforeAll(async () => {
  world = await startFleetWorld();
});
afterAll(async () => {
  await world?.dispose();
});

const positionOf = (t: Thread) => {
  const d = decodeContinuationToken(t.continuationToken);
  if (d.isErr() || d.value.kind === "legacy") throw new Error("no position");
  return d.value.claim;
};

/** `withFleet` on a fresh queue. */
const onFreshQueue = (fn: (fleet: Fleet, queue: string, workers: FleetWorker[]) => Promise<void>) =>
  withFleet(world, queueName(), fn);

describe("openFleet / startFleetWorker", () => {
  it("refuse bad options with typed errors before connecting", async () => {
    const bad = await openFleet({ connection: { host: "127.0.0.1", port: 70000 } });
    expect(bad._unsafeUnwrapErr()).toMatchObject({
      _tag: "InvalidFleetOptions",
      path: "options.connection.port",
    });
    const w = await startFleetWorker({
      connection: world.redis.connection,
      codexOptions: { apiKey: "" },
    });
    expect(w._unsafeUnwrapErr()).toMatchObject({ _tag: "InvalidFleetOptions" });
    expect(JSON.stringify(w._unsafeUnwrapErr())).not.toContain(API_KEY);
  });

  it("fail with RedisUnavailable when nothing listens", async () => {
    const r = await openFleet({ connection: { host: "127.0.0.1", port: 1 } });
    expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: "RedisUnavailable" });
  });
});

describe("fleet.submitTurn", () => {
  it("runs a thread's turns on whichever machine takes them, each from the committed head", async () => {
    await onFreshQueue(async (fleet, queue, workers) => {
      const [a, b] = [await world.machine("a1"), await world.machine("b1")];
      const events: Array<TelemetryEvent | FleetEvent> = [];
      const start = async (m: typeof a) => {
        const w = okOf(
          await startFleetWorker({ ...world.workerOptions(m, queue), sink: (e) => events.push(e) }),
        );
        workers.push(w);
        return w;
      };
      // Turn 1 on A only.
      const wa = await start(a);
      const t1 = okOf(await fleet.submitTurn(world.newThread(), "first"));
      expect(t1.fleet.workerId).toBe("a1");
      expect(t1.turn.finalResponse).toContain("first");
      expect(positionOf(t1.thread).completedTurns).toBe(1);
      // The thread comes back with the submitter's own options and secrets.
      expect(t1.thread.codexOptions.apiKey?.reveal()).toBe(API_KEY);
      expect(t1.thread.threadOptions.workingDirectory).toBe(
        world.newThread().threadOptions.workingDirectory,
      );
      // Turn 2 on B only: B has nothing of the thread and imports it.
      await wa.close();
      await start(b);
      const t2 = okOf(await fleet.submitTurn(t1.thread, "second"));
      expect(t2.fleet.workerId).toBe("b1");
      expect(t2.thread.threadId).toBe(t1.thread.threadId);
      expect(positionOf(t2.thread).completedTurns).toBe(2);
      // Turn 3 back on A, which lacks turn 2: only that delta is imported.
      await workers[1]?.close();
      await start(a);
      const t3 = okOf(await fleet.submitTurn(t2.thread, "third"));
      expect(t3.fleet.workerId).toBe("a1");
      expect(positionOf(t3.thread).completedTurns).toBe(3);
      expect(t3.turn.finalResponse).toContain("third");
      const imported = events.filter((e) => e.name === "codex.fleet.session.imported");
      expect(
        imported.map((e) => [
          e.workerId,
          "chunks" in e ? e.chunks : null,
          "replaced" in e ? e.replaced : null,
        ]),
      ).toEqual([
        ["b1", 1, false],
        ["a1", 1, false],
      ]);
      const committed = events.filter((e) => e.name === "codex.fleet.head.committed");
      expect(committed.map((e) => ("head" in e ? e.head.completedTurns : null))).toEqual([1, 2, 3]);
      // The usual turn events reach the worker's sink too, and every event decodes.
      expect(events.filter((e) => e.name === "codex.turn.stop")).toHaveLength(3);
      for (const e of events)
        expect(isLeft(FleetEvent.decode(e)) && isLeft(TelemetryEvent.decode(e))).toBe(false);
    });
  });

  it("refuses a stale snapshot with ContinuationMismatch (stale), and does not retry it", async () => {
    await onFreshQueue(async (fleet, queue, workers) => {
      const m = await world.machine("s1");
      const events: Array<TelemetryEvent | FleetEvent> = [];
      workers.push(
        okOf(
          await startFleetWorker({ ...world.workerOptions(m, queue), sink: (e) => events.push(e) }),
        ),
      );
      const t1 = okOf(await fleet.submitTurn(world.newThread(), "one"));
      okOf(await fleet.submitTurn(t1.thread, "two"));
      const before = world.stub.requests.length;
      const stale = await fleet.submitTurn(t1.thread, "two again");
      expect(stale._unsafeUnwrapErr()).toMatchObject({
        _tag: "ContinuationMismatch",
        reason: "stale",
        threadId: t1.thread.threadId,
        expected: { completedTurns: 1 },
        observed: { completedTurns: 2 },
      });
      expect(world.stub.requests.length).toBe(before); // no turn ran
      expect(
        events.some(
          (e) => e.name === "codex.fleet.conflict" && "reason" in e && e.reason === "stale",
        ),
      ).toBe(true);
      const q = new Queue(queue, { connection: world.redis.connection });
      const failed = await q.getFailed();
      await q.close();
      expect(failed).toHaveLength(1);
      expect(failed[0]?.attemptsMade).toBe(1);
    });
  });

  it("of two concurrent submits from one snapshot, runs exactly one; the other gets ContinuationMismatch", async () => {
    await onFreshQueue(async (fleet, queue, workers) => {
      for (const name of ["c1", "c2"])
        workers.push(
          okOf(await startFleetWorker(world.workerOptions(await world.machine(name), queue))),
        );
      const t1 = okOf(await fleet.submitTurn(world.newThread(), "base"));
      const before = world.stub.requests.length;
      const [x, y] = await Promise.all([
        fleet.submitTurn(t1.thread, "left"),
        fleet.submitTurn(t1.thread, "right"),
      ]);
      const results = [x, y];
      expect(results.filter((r) => r.isOk())).toHaveLength(1);
      const loser = results.find((r) => r.isErr());
      expect(loser?._unsafeUnwrapErr()).toMatchObject({
        _tag: "ContinuationMismatch",
        reason: "stale",
      });
      expect(world.stub.requests.length - before).toBe(1); // one turn ran, one model request
    });
  });

  it("leaves no listener on a long-lived signal once its turns are over", async () => {
    await onFreshQueue(async (fleet, queue, workers) => {
      workers.push(
        okOf(await startFleetWorker(world.workerOptions(await world.machine("sig1"), queue))),
      );
      const ac = new AbortController();
      let thread = world.newThread();
      for (const prompt of ["one", "two"]) {
        thread = okOf(await fleet.submitTurn(thread, prompt, { signal: ac.signal })).thread;
        expect(getEventListeners(ac.signal, "abort")).toHaveLength(0);
      }
    });
  });

  it("fails a job with a bad payload with InvalidJobData, and the worker goes on", async () => {
    await onFreshQueue(async (fleet, queue, workers) => {
      workers.push(
        okOf(await startFleetWorker(world.workerOptions(await world.machine("p1"), queue))),
      );
      const { QueueEvents } = await import("bullmq");
      const q = new Queue(queue, { connection: world.redis.connection });
      const ev = new QueueEvents(queue, { connection: world.redis.connection });
      await ev.waitUntilReady();
      const job = await q.add("turn", { format: "codex-fp/fleet-job@1", thread: 5, input: 7 });
      const reason = await job.waitUntilFinished(ev).then(
        () => "completed",
        (e: Error) => e.message,
      );
      await Promise.all([q.close(), ev.close()]);
      expect(JSON.parse(reason)).toMatchObject({ _tag: "InvalidJobData" });
      const after = okOf(await fleet.submitTurn(world.newThread(), "still here"));
      expect(after.turn.finalResponse).toContain("still here");
    });
  });

  it("takes limits on both sides: raised, a turn the defaults refuse runs; a worker's lower bound refuses its job", async () => {
    const parts = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ type: "text" as const, text: `p${i}` }));
    const raised = { maxArrayLength: 200_000 };
    await onFreshQueue(async (plain, queue, workers) => {
      workers.push(
        okOf(
          await startFleetWorker({
            ...world.workerOptions(await world.machine("l1"), queue),
            limits: raised,
            // 100,001 parts are decoded synchronously on each side: on a loaded machine that
            // can hold the event loop past the suite's short lock, which is not what this tests.
            lockDurationMs: 30_000,
          }),
        ),
      );
      // Under the defaults the submitter refuses it before anything is queued.
      expect(
        (await plain.submitTurn(world.newThread(), parts(100_001)))._unsafeUnwrapErr(),
      ).toMatchObject({
        _tag: "InvalidOptions",
        path: "input",
      });
      const fleet = okOf(
        await openFleet({ connection: world.redis.connection, queue, limits: raised }),
      );
      try {
        const ran = okOf(await fleet.submitTurn(world.newThread(), parts(100_001)));
        expect(positionOf(ran.thread).completedTurns).toBe(1);
      } finally {
        await fleet.close();
      }
    });
    await onFreshQueue(async (fleet, queue, workers) => {
      workers.push(
        okOf(
          await startFleetWorker({
            ...world.workerOptions(await world.machine("l2"), queue),
            limits: { maxArrayLength: 5 },
          }),
        ),
      );
      const r = await fleet.submitTurn(world.newThread(), parts(6));
      expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: "InvalidJobData" });
      expect(JSON.stringify(r._unsafeUnwrapErr())).toContain("limits.maxArrayLength");
    });
  });

  it("runs turns over the app-server transport when asked", async () => {
    await onFreshQueue(async (fleet, queue, workers) => {
      const m = await world.machine("as1");
      const events: Array<TelemetryEvent | FleetEvent> = [];
      workers.push(
        okOf(
          await startFleetWorker({
            ...world.workerOptions(m, queue),
            transport: "app-server",
            sink: (e) => events.push(e),
          }),
        ),
      );
      const t1 = okOf(await fleet.submitTurn(world.newThread(), "over app-server"));
      const t2 = okOf(await fleet.submitTurn(t1.thread, "and again"));
      expect(positionOf(t2.thread).completedTurns).toBe(2);
      const starts = events.filter((e) => e.name === "codex.turn.start");
      expect(starts.map((e) => ("transport" in e ? e.transport : null))).toEqual([
        "app-server",
        "app-server",
      ]);
    });
  });

  it("writes no API key, env value or secret config value to Redis (keys and a dump)", async () => {
    await onFreshQueue(async (fleet, queue, workers) => {
      workers.push(
        okOf(await startFleetWorker(world.workerOptions(await world.machine("k1"), queue))),
      );
      const t1 = okOf(await fleet.submitTurn(world.newThread(), "secret scan"));
      okOf(await fleet.submitTurn(t1.thread, "again"));
      const text = await redisText(world.redis);
      expect(text).toContain("secret scan"); // the scan sees the rollouts' text
      expectNoSecret(text);
      const dump = (await world.redis.dump()).toString("latin1");
      expect(decodedArchiveBytes(dump)).toContain("secret scan");
      expectNoSecret(dump);
      expectNoSecret(decodedArchiveBytes(dump));
    });
  });
});
