/**
 * codex-fp/fleet, as ratios measured in one process against a local redis-server and the
 * loopback stub with the real codex CLI:
 * - wall time per turn through the fleet (queue → worker → store) vs a direct `runTurn` on
 *   one machine, interleaved (aim ≤ 1.25×);
 * - the store's cost per turn (export the turn's delta, commit it, import it on another
 *   machine) at turns 41–50 of a thread vs turns 6–15 (aim ≤ 1.2×: flat in thread length);
 * - turns per second with 1, 2 and 4 workers.
 *
 *   npm run bench:fleet      (also part of npm run bench when redis-server is installed)
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Redis } from "ioredis";
import { runTurn, startThread, type Thread } from "../lib/index.js";
import {
  openFleet,
  startFleetWorker,
  storeNamespace,
  type FleetWorker,
} from "../lib/fleet/index.js";
import { sessionStore, type ReadHead } from "../lib/fleet/store.js";
import { exportTurn, headAfter, syncToHead } from "../lib/fleet/local.js";
import { startModelStub, type ModelStub } from "../lib/testing/model-stub.js";
import { hasRedisServer, startRedis } from "../spec/support/redis.js";

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

/** The figures. */
export interface FleetBench {
  readonly fleetTurnMs: number;
  readonly directTurnMs: number;
  readonly turnRatio: number;
  readonly storeEarlyMs: number;
  readonly storeLateMs: number;
  readonly storeRatio: number;
  readonly rolloutBytesAtEnd: number;
  readonly turnsPerSec: Record<string, number>;
}

const must = <A>(r: { isOk(): boolean; _unsafeUnwrap(): A; _unsafeUnwrapErr(): unknown }): A => {
  if (!r.isOk()) throw new Error(JSON.stringify(r._unsafeUnwrapErr())); // throws-ok: bench script
  return r._unsafeUnwrap();
};

/** Runs the fleet benchmarks. */
export async function benchFleet(): Promise<FleetBench> {
  const redis = await startRedis();
  const stub: ModelStub = await startModelStub();
  const root = realpathSync(await mkdtemp(join(tmpdir(), "codex-fp-bench-fleet-")));
  const machine = async (name: string) => {
    const home = join(root, name, "home");
    const cwd = join(root, name, "cwd");
    await mkdir(home, { recursive: true });
    await mkdir(cwd, { recursive: true });
    return { name, home, cwd };
  };
  const codexOptions = (home: string) => ({
    apiKey: "bench",
    env: { PATH: process.env["PATH"] ?? "", HOME: home, CODEX_HOME: home },
    config: stub.providerConfig(),
  });
  const workerOptions = (m: { name: string; home: string; cwd: string }, queue: string) => ({
    connection: redis.connection,
    queue,
    workerId: m.name,
    codexHome: m.home,
    codexOptions: codexOptions(m.home),
    threadOptions: { workingDirectory: m.cwd, skipGitRepoCheck: true },
  });
  const workers: FleetWorker[] = [];
  try {
    // 1. Per turn: fleet vs direct, interleaved, resumed turns of one thread each.
    const direct = await machine("direct");
    const viaFleet = await machine("fleet");
    workers.push(must(await startFleetWorker(workerOptions(viaFleet, "turns"))));
    const fleet = must(await openFleet({ connection: redis.connection, queue: "turns" }));
    let d: Thread = must(
      startThread(codexOptions(direct.home), {
        workingDirectory: direct.cwd,
        skipGitRepoCheck: true,
      }),
    );
    let f: Thread = must(startThread({ apiKey: "submitter" }, { skipGitRepoCheck: true }));
    const dMs: number[] = [];
    const fMs: number[] = [];
    for (let i = 0; i < 14; i++) {
      let t0 = performance.now();
      d = must(await runTurn(d, `direct ${i}`)).thread;
      if (i >= 2) dMs.push(performance.now() - t0);
      t0 = performance.now();
      f = must(await fleet.submitTurn(f, `fleet ${i}`)).thread;
      if (i >= 2) fMs.push(performance.now() - t0);
    }
    await fleet.close();
    await Promise.all(workers.splice(0).map((w) => w.close()));

    // 2. The store's cost per turn over 50 turns: export + commit on A, import on B.
    const a = await machine("store-a");
    const b = await machine("store-b");
    const client = new Redis({ host: redis.host, port: redis.port });
    const store = sessionStore(client, storeNamespace("store"));
    let t: Thread = must(
      startThread(codexOptions(a.home), { workingDirectory: a.cwd, skipGitRepoCheck: true }),
    );
    let head: ReadHead | null = null;
    const cost: number[] = [];
    let length = 0;
    for (let i = 1; i <= 50; i++) {
      t = must(await runTurn(t, `store turn ${i}`)).thread;
      const id = t.threadId ?? "";
      const t0 = performance.now();
      const archive = must(await exportTurn(a.home, id, head?.head ?? null));
      const next = headAfter(head?.head ?? null, archive);
      const chunk = Buffer.from(JSON.stringify(archive));
      const c = must(await store.commit(id, head, next, chunk, head?.head.length ?? 0));
      if (!c.committed) throw new Error("commit refused"); // throws-ok: bench script
      head = must(await store.readHead(id));
      if (head === null) throw new Error("no head"); // throws-ok: bench script
      must(await syncToHead(store, b.home, id, head));
      cost.push(performance.now() - t0);
      length = next.length;
    }
    client.disconnect();

    // 3. Throughput: 4 threads × 3 turns with 1, 2 and 4 workers.
    const turnsPerSec: Record<string, number> = {};
    for (const n of [1, 2, 4]) {
      const queue = `tp${n}`;
      for (let i = 0; i < n; i++)
        workers.push(
          must(await startFleetWorker(workerOptions(await machine(`${queue}-w${i}`), queue))),
        );
      const fl = must(await openFleet({ connection: redis.connection, queue }));
      const t0 = performance.now();
      await Promise.all(
        [0, 1, 2, 3].map(async (k) => {
          let th: Thread = must(startThread({ apiKey: "submitter" }, { skipGitRepoCheck: true }));
          for (let i = 0; i < 3; i++) th = must(await fl.submitTurn(th, `tp ${k} ${i}`)).thread;
        }),
      );
      turnsPerSec[`${n}`] = 12 / ((performance.now() - t0) / 1000);
      await fl.close();
      await Promise.all(workers.splice(0).map((w) => w.close()));
    }

    // Turn 1 exports the whole rollout and the first turns warm the JIT up: turns 6–15 stand
    // for "early", turns 41–50 for "late".
    const early = median(cost.slice(5, 15));
    const late = median(cost.slice(40, 50));
    return {
      fleetTurnMs: median(fMs),
      directTurnMs: median(dMs),
      turnRatio: median(fMs) / median(dMs),
      storeEarlyMs: early,
      storeLateMs: late,
      storeRatio: late / early,
      rolloutBytesAtEnd: length,
      turnsPerSec,
    };
  } finally {
    await Promise.all(workers.map((w) => w.close()));
    await Promise.all([redis.stop(), stub.close()]);
    await rm(root, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** The table rows `npm run bench` prints. */
export const fleetRows = (r: FleetBench): string[][] => [
  [
    "wall time per turn: fleet vs direct runTurn",
    `${r.fleetTurnMs.toFixed(0)} ms vs ${r.directTurnMs.toFixed(0)} ms`,
    `${r.turnRatio.toFixed(2)}×`,
    "≤ 1.25×",
  ],
  [
    `fleet store cost per turn: turns 41–50 vs 6–15 (rollout ${Math.round(r.rolloutBytesAtEnd / 1024)} KiB)`,
    `${r.storeLateMs.toFixed(1)} ms vs ${r.storeEarlyMs.toFixed(1)} ms`,
    `${r.storeRatio.toFixed(2)}×`,
    "≤ 1.2×",
  ],
  [
    "fleet turns/s with 1, 2, 4 workers",
    Object.entries(r.turnsPerSec)
      .map(([n, v]) => `${n}: ${v.toFixed(2)}`)
      .join(", "),
    `${((r.turnsPerSec["2"] ?? NaN) / (r.turnsPerSec["1"] ?? NaN)).toFixed(2)}× at 2`,
    "grows with workers (2 cores)",
  ],
];

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  if (!hasRedisServer()) {
    process.stdout.write("bench:fleet needs redis-server: apt-get install -y redis-server\n");
    process.exit(2);
  }
  const r = await benchFleet();
  for (const row of fleetRows(r)) process.stdout.write(`${row.join(" | ")}\n`);
  if (process.argv.includes("--json")) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
}
