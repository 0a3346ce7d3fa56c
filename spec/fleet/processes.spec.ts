/**
 * The fleet across processes: 3 worker processes, each its own CODEX_HOME and working
 * directory (3 machines), the real codex CLI against the loopback stub, a real redis-server.
 * Threads hop between machines for several turns; stale and concurrent submits are refused; a
 * machine SIGKILLed mid-turn has its job taken again by another from the last committed head,
 * its partial rollout never committed; a dump of Redis holds no secret.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Redis } from "ioredis";
import { openFleet, storeNamespace, type Fleet } from "../../lib/fleet/index.js";
import { decodeContinuationToken } from "../../lib/core/continuation.js";
import type { Thread } from "../../lib/core/thread.js";
import type { StubRequest } from "../../lib/testing/model-stub.js";
import { waitFor } from "../support/run-env.js";
import {
  decodedArchiveBytes,
  expectNoSecret,
  redisText,
  startFleetWorld,
  type FleetWorld,
  type Machine,
} from "./support/fleet-env.js";
import { spawnWorker, type WorkerProcess } from "./support/worker-process.js";

jest.setTimeout(240_000);

const QUEUE = "procs";
/** Requests whose prompt starts with "slow" are answered after this long. */
const SLOW_MS = 6_000;

let world: FleetWorld;
let fleet: Fleet;
let machines: Machine[] = [];
let workers: WorkerProcess[] = [];

const script = (req: StubRequest) => {
  const text = req.userText ?? "";
  const reply = { kind: "text" as const, text: `Hello from stub ${req.index}: ${text}` };
  return text.startsWith("slow") ? { reply, delayMs: SLOW_MS } : reply;
};

beforeAll(async () => {
  world = await startFleetWorld(script);
  machines = [await world.machine("m1"), await world.machine("m2"), await world.machine("m3")];
  workers = await Promise.all(
    machines.map((m) =>
      spawnWorker(
        m.name,
        world.workerOptions(m, QUEUE),
        join(world.root, `${m.name}.events.jsonl`),
      ),
    ),
  );
  const f = await openFleet({ connection: world.redis.connection, queue: QUEUE });
  if (f.isErr()) throw new Error(f.error.message);
  fleet = f.value;
});

afterAll(async () => {
  await fleet?.close();
  await Promise.all(workers.map((w) => w.stop()));
  await world?.dispose();
});

const ok = <A>(r: { isOk(): boolean; _unsafeUnwrap(): A; _unsafeUnwrapErr(): unknown }): A => {
  if (!r.isOk()) throw new Error(`expected Ok: ${JSON.stringify(r._unsafeUnwrapErr())}`);
  return r._unsafeUnwrap();
};
const turnsOf = (t: Thread): number => {
  const d = decodeContinuationToken(t.continuationToken);
  if (d.isErr() || d.value.kind === "legacy") throw new Error("no position");
  return d.value.claim.completedTurns;
};

/** How many jobs of a thread a worker took. */
const takenOf = (w: WorkerProcess, threadId: string): number =>
  w.events().filter((e) => e["name"] === "codex.fleet.job.taken" && e["threadId"] === threadId)
    .length;

/** The committed rollout of a thread, rebuilt from its chunks in Redis. */
const committedRollout = async (threadId: string): Promise<{ bytes: Buffer; path: string }> => {
  const c = new Redis({ host: world.redis.host, port: world.redis.port });
  try {
    const ns = storeNamespace(QUEUE);
    const head = JSON.parse((await c.get(`${ns}:{${threadId}}:head`)) ?? "null") as {
      path: string;
      length: number;
    };
    const chunks = await c.lrange(`${ns}:{${threadId}}:chunks`, 0, -1);
    const bytes = Buffer.from(chunks.map((ch) => decodedArchiveBytes(ch)).join(""), "latin1");
    expect(bytes.length).toBe(head.length);
    return { bytes, path: head.path };
  } finally {
    c.disconnect();
  }
};

describe("a fleet of 3 worker processes", () => {
  it("runs 5 threads × 3 turns, threads hopping between machines, every turn from the head", async () => {
    const threads = await Promise.all(
      [0, 1, 2, 3, 4].map(async (i) => {
        let thread = world.newThread();
        const ran: string[] = [];
        for (let turn = 1; turn <= 3; turn++) {
          const r = ok(await fleet.submitTurn(thread, `thread ${i} turn ${turn}`));
          expect(r.turn.finalResponse).toContain(`thread ${i} turn ${turn}`);
          expect(turnsOf(r.thread)).toBe(turn);
          if (thread.threadId !== null) expect(r.thread.threadId).toBe(thread.threadId);
          thread = r.thread;
          ran.push(r.fleet.workerId);
        }
        return { thread, ran };
      }),
    );
    const hops = threads.filter((t) => new Set(t.ran).size > 1);
    expect(hops.length).toBeGreaterThan(0);
    // A machine that ran a thread's last turn holds exactly the committed rollout.
    for (const { thread, ran } of threads) {
      const id = thread.threadId ?? "";
      const { bytes, path } = await committedRollout(id);
      const m = machines.find((x) => x.name === ran[2]);
      const local = readFileSync(join(m?.codexHome ?? "", "sessions", ...path.split("/")));
      expect(local.equals(bytes)).toBe(true);
    }
    const imports = workers
      .flatMap((w) => w.events())
      .filter((e) => e["name"] === "codex.fleet.session.imported");
    expect(imports.length).toBeGreaterThan(0);
  });

  it("refuses a stale submit and one of two concurrent submits with ContinuationMismatch", async () => {
    const t1 = ok(await fleet.submitTurn(world.newThread(), "race base"));
    const [x, y] = await Promise.all([
      fleet.submitTurn(t1.thread, "race left"),
      fleet.submitTurn(t1.thread, "race right"),
    ]);
    expect([x, y].filter((r) => r.isOk())).toHaveLength(1);
    expect([x, y].find((r) => r.isErr())?._unsafeUnwrapErr()).toMatchObject({
      _tag: "ContinuationMismatch",
      reason: "stale",
    });
    const stale = await fleet.submitTurn(t1.thread, "race late");
    expect(stale._unsafeUnwrapErr()).toMatchObject({
      _tag: "ContinuationMismatch",
      reason: "stale",
    });
  });

  it("retries the job of a machine SIGKILLed mid-turn on another, from the last committed head", async () => {
    const t1 = ok(await fleet.submitTurn(world.newThread(), "before the crash"));
    const id = t1.thread.threadId ?? "";
    const before = await committedRollout(id);
    const seen = world.stub.requests.length;
    const takenBefore = new Map(workers.map((w) => [w.name, takenOf(w, id)]));
    const pending = fleet.submitTurn(t1.thread, "slow turn that crashes");
    await waitFor(
      () => world.stub.requests.slice(seen).some((r) => r.userText === "slow turn that crashes"),
      60_000,
      "the slow turn to reach the model",
    );
    // Which machine took it: the one with a new job.taken of this thread.
    const victim = workers.find((w) => takenOf(w, id) > (takenBefore.get(w.name) ?? 0));
    expect(victim).toBeDefined();
    victim?.kill();
    const r = ok(await pending);
    expect(r.fleet.workerId).not.toBe(victim?.name);
    expect(turnsOf(r.thread)).toBe(2);
    expect(r.turn.finalResponse).toContain("slow turn that crashes");
    // The committed rollout is the survivor's, extends the head the job started from, and
    // holds the crashed turn once.
    const after = await committedRollout(id);
    expect(after.bytes.subarray(0, before.bytes.length).equals(before.bytes)).toBe(true);
    const survivor = machines.find((m) => m.name === r.fleet.workerId);
    const local = readFileSync(
      join(survivor?.codexHome ?? "", "sessions", ...after.path.split("/")),
    );
    expect(local.equals(after.bytes)).toBe(true);
    const victimMachine = machines.find((m) => m.name === victim?.name);
    let partial: Buffer | null = null;
    try {
      partial = readFileSync(
        join(victimMachine?.codexHome ?? "", "sessions", ...after.path.split("/")),
      );
    } catch {
      partial = null;
    }
    if (partial !== null) expect(partial.equals(after.bytes)).toBe(false);
    workers = workers.filter((w) => w !== victim);
  });

  it("leaves no API key, env value or secret config value in Redis (keys and a dump)", async () => {
    const text = await redisText(world.redis);
    expect(text).toContain("thread 0 turn 1");
    expectNoSecret(text);
    const dump = (await world.redis.dump()).toString("latin1");
    expect(decodedArchiveBytes(dump)).toContain("thread 0 turn 1");
    expectNoSecret(dump);
    expectNoSecret(decodedArchiveBytes(dump));
  });

  it("fails a job that stalled twice (both machines that took it died) with JobFailed; the head did not move", async () => {
    const t1 = ok(await fleet.submitTurn(world.newThread(), "before two crashes"));
    const id = t1.thread.threadId ?? "";
    const before = await committedRollout(id);
    const pending = fleet.submitTurn(t1.thread, "slow turn that crashes twice");
    for (let killed = 0; killed < 2; killed++) {
      const seen = world.stub.requests.length;
      const takenBefore = new Map(workers.map((w) => [w.name, takenOf(w, id)]));
      await waitFor(
        () => workers.some((w) => takenOf(w, id) > (takenBefore.get(w.name) ?? 0)),
        60_000,
        "a machine to take the job",
      );
      await waitFor(
        () =>
          world.stub.requests
            .slice(seen)
            .some((r) => r.userText === "slow turn that crashes twice"),
        60_000,
        "the slow turn to reach the model",
      );
      const victim = workers.find((w) => takenOf(w, id) > (takenBefore.get(w.name) ?? 0));
      expect(victim).toBeDefined();
      victim?.kill();
      workers = workers.filter((w) => w !== victim);
    }
    // Stalls are noticed by a live worker: a fresh machine comes up, and fails the job.
    const m4 = await world.machine("m4");
    workers.push(
      await spawnWorker("m4", world.workerOptions(m4, QUEUE), join(world.root, "m4.events.jsonl")),
    );
    const r = await pending;
    expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: "JobFailed" });
    expect(r._unsafeUnwrapErr().message).toContain("stalled");
    const after = await committedRollout(id);
    expect(after.bytes.equals(before.bytes)).toBe(true);
  });
});
