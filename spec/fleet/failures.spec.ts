/**
 * The fleet's failure modes, as docs/fleet.md's table lists them: each row is a test here (or in
 * fleet.spec.ts / processes.spec.ts). Real redis-server, the real codex CLI, the loopback stub.
 */
import { Queue } from "bullmq";
import { writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import {
  openFleet,
  startFleetWorker,
  type Fleet,
  type FleetWorker,
} from "../../lib/fleet/index.js";
import { storeNamespace } from "../../lib/fleet/store.js";
import { startRedis } from "../support/redis.js";
import { untyped } from "../support/untyped.js";
import { startFleetWorld, withFleet, type FleetWorld } from "./support/fleet-env.js";
import { okOf } from "../support/results.js";

jest.setTimeout(120_000);

let world: FleetWorld;
let queueN = 0;
const queueName = () => `failq${++queueN}`;

beforeAll(async () => {
  // A prompt containing "slow" is answered after 4 s: time to break things mid-turn.
  world = await startFleetWorld((req) => {
    const reply = { kind: "text" as const, text: `ok: ${req.userText ?? ""}` };
    return req.userText?.includes("slow") === true ? { reply, delayMs: 4_000 } : reply;
  });
});
afterAll(async () => {
  await world?.dispose();
});

/** `withFleet` on a fresh queue. */
const onFreshQueue = (fn: (fleet: Fleet, queue: string, workers: FleetWorker[]) => Promise<void>) =>
  withFleet(world, queueName(), fn);

const jobCounts = async (queue: string) => {
  const q = new Queue(queue, { connection: world.redis.connection });
  try {
    return await q.getJobCounts("waiting", "active", "delayed", "completed", "failed");
  } finally {
    await q.close();
  }
};

describe("fleet failure modes", () => {
  it("a closed fleet answers FleetClosed, and close is idempotent", async () => {
    const fleet = okOf(await openFleet({ connection: world.redis.connection, queue: queueName() }));
    expect((await fleet.close()).isOk()).toBe(true);
    expect((await fleet.close()).isOk()).toBe(true);
    const r = await fleet.submitTurn(world.newThread(), "hello");
    expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: "FleetClosed" });
  });

  it("closing the fleet ends a submit that is still waiting, with FleetClosed", async () => {
    const queue = queueName();
    const fleet = okOf(await openFleet({ connection: world.redis.connection, queue }));
    const pending = fleet.submitTurn(world.newThread(), "nobody takes this");
    await new Promise((r) => setTimeout(r, 300));
    await fleet.close();
    const r = await pending;
    expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: "FleetClosed" });
  });

  it("an abort before any worker takes the job gives Aborted and withdraws the job", async () => {
    await onFreshQueue(async (fleet, queue) => {
      const ac = new AbortController();
      const pending = fleet.submitTurn(world.newThread(), "hello", { signal: ac.signal });
      await new Promise((r) => setTimeout(r, 300));
      expect((await jobCounts(queue)).waiting).toBe(1);
      ac.abort();
      const r = await pending;
      expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: "Aborted", path: "turnOptions.signal" });
      // Withdrawn: nothing is left for a worker to take.
      for (let i = 0; i < 50 && ((await jobCounts(queue)).waiting ?? 0) > 0; i++)
        await new Promise((res) => setTimeout(res, 100));
      expect(await jobCounts(queue)).toMatchObject({ waiting: 0, active: 0 });
    });
  });

  it("what was validated is what is queued: a two-faced input or thread is read once", async () => {
    await onFreshQueue(async (fleet, queue) => {
      const FLAG = "--dangerously-bypass-approvals-and-sandbox";
      let inputReads = 0;
      const input = Object.defineProperty([], "0", {
        enumerable: true,
        get: () =>
          inputReads++ === 0 ? { type: "text", text: "hi" } : { type: "text", text: FLAG },
      });
      Object.defineProperty(input, "length", { value: 1 });
      const base = world.newThread();
      let modelReads = 0;
      const threadOptions = Object.defineProperty({ ...base.threadOptions }, "model", {
        enumerable: true,
        get: () => (modelReads++ === 0 ? "gpt-5" : FLAG),
      });
      const ac = new AbortController();
      const pending = fleet.submitTurn({ ...base, threadOptions } as typeof base, untyped(input), {
        signal: ac.signal,
      });
      const q = new Queue(queue, { connection: world.redis.connection });
      try {
        let waiting = await q.getWaiting();
        for (let i = 0; i < 50 && waiting.length === 0; i++) {
          await new Promise((res) => setTimeout(res, 100));
          waiting = await q.getWaiting();
        }
        const data = JSON.stringify(waiting[0]?.data);
        expect(data).toContain('"hi"');
        expect(data).toContain("gpt-5");
        expect(data).not.toContain(FLAG);
      } finally {
        ac.abort();
        await pending;
        await q.close();
      }
    });
  });

  it("a store whose head does not decode is StoreCorrupt, and nothing runs", async () => {
    await onFreshQueue(async (fleet, queue, workers) => {
      const m = await world.machine("corrupt-head");
      workers.push(okOf(await startFleetWorker(world.workerOptions(m, queue))));
      const t1 = okOf(await fleet.submitTurn(world.newThread(), "one"));
      const key = `${storeNamespace(queue)}:{${t1.thread.threadId ?? ""}}:head`;
      await world.redis.command("SET", key, "{not json");
      const before = world.stub.requests.length;
      const r = await fleet.submitTurn(t1.thread, "two");
      expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: "StoreCorrupt" });
      expect(world.stub.requests.length).toBe(before);
    });
  });

  it("a store missing the chunks a new machine needs is StoreCorrupt, and nothing runs", async () => {
    await onFreshQueue(async (fleet, queue, workers) => {
      const a = await world.machine("chunks-a");
      const wa = okOf(await startFleetWorker(world.workerOptions(a, queue)));
      const t1 = okOf(await fleet.submitTurn(world.newThread(), "one"));
      await wa.close();
      await world.redis.command(
        "DEL",
        `${storeNamespace(queue)}:{${t1.thread.threadId ?? ""}}:chunks`,
      );
      // Machine B has no copy of the thread: it must import every chunk.
      const b = await world.machine("chunks-b");
      workers.push(okOf(await startFleetWorker(world.workerOptions(b, queue))));
      const before = world.stub.requests.length;
      const r = await fleet.submitTurn(t1.thread, "two");
      expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: "StoreCorrupt" });
      expect(world.stub.requests.length).toBe(before);
    });
  });

  it("a machine that cannot write its session store fails the job with SessionSyncFailed", async () => {
    await onFreshQueue(async (fleet, queue, workers) => {
      const a = await world.machine("sync-a");
      const wa = okOf(await startFleetWorker(world.workerOptions(a, queue)));
      const t1 = okOf(await fleet.submitTurn(world.newThread(), "one"));
      await wa.close();
      // B's CODEX_HOME/sessions is a file: the import cannot create its folders.
      const b = await world.machine("sync-b");
      await mkdir(b.codexHome, { recursive: true });
      await writeFile(join(b.codexHome, "sessions"), "not a folder");
      workers.push(okOf(await startFleetWorker(world.workerOptions(b, queue))));
      const before = world.stub.requests.length;
      const r = await fleet.submitTurn(t1.thread, "two");
      expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: "SessionSyncFailed" });
      expect(world.stub.requests.length).toBe(before);
    });
  });

  it("Redis lost mid-turn: the submit ends with RedisUnavailable within seconds, not a hang", async () => {
    // A Redis of its own, stopped while the turn waits on the model.
    const redis = await startRedis();
    const queue = queueName();
    const fleet = okOf(await openFleet({ connection: redis.connection, queue }));
    const m = await world.machine("redis-drop");
    const w = okOf(
      await startFleetWorker({ ...world.workerOptions(m, queue), connection: redis.connection }),
    );
    try {
      const t1 = okOf(await fleet.submitTurn(world.newThread(), "one"));
      const pending = fleet.submitTurn(t1.thread, "slow two", { timeoutMs: 10_000 });
      const seen = world.stub.requests.length;
      for (let i = 0; i < 100 && world.stub.requests.length === seen; i++)
        await new Promise((res) => setTimeout(res, 100));
      await redis.stop();
      const stoppedAt = Date.now();
      const r = await pending;
      expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: "RedisUnavailable", path: "queue" });
      // About 5 s without an answer counts as lost (generous bound for a loaded machine).
      expect(Date.now() - stoppedAt).toBeLessThan(30_000);
      // Closing does not wait forever on the lost server either.
      expect((await w.close()).isOk()).toBe(true);
      expect((await fleet.close()).isOk()).toBe(true);
    } finally {
      await w.close();
      await fleet.close();
      await redis.stop();
    }
  });
});
