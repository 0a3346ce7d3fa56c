/**
 * The fleet demo: a local redis-server, 3 worker processes (3 "machines", each its own
 * CODEX_HOME), and 5 threads × 3 turns submitted through `codex-fp/fleet`, with the REAL codex
 * CLI against the loopback model stub. Prints which worker ran each turn and every thread's
 * final position.
 *
 *   npm run demo:fleet
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startThread, decodeContinuationToken, type Thread } from "../lib/index.js";
import { openFleet } from "../lib/fleet/index.js";
import { startModelStub } from "../lib/testing/model-stub.js";
import { hasRedisServer, startRedis, REDIS_SERVER } from "../spec/support/redis.js";
import { spawnWorker, type WorkerProcess } from "../spec/fleet/support/worker-process.js";

const say = (s: string) => process.stdout.write(`${s}\n`);

const main = async (): Promise<number> => {
  if (!hasRedisServer()) {
    say(`redis-server is not installed (looked for ${REDIS_SERVER}).`);
    say("Install it with:  sudo apt-get install -y redis-server   (Debian/Ubuntu)");
    say("or point REDIS_SERVER at a redis-server binary, then run npm run demo:fleet again.");
    return 2;
  }
  const redis = await startRedis();
  const stub = await startModelStub();
  const root = realpathSync(await mkdtemp(join(tmpdir(), "codex-fp-fleet-demo-")));
  const workers: WorkerProcess[] = [];
  try {
    say(`redis-server on 127.0.0.1:${redis.port}; model stub on ${stub.baseUrl}`);
    for (const name of ["machine-1", "machine-2", "machine-3"]) {
      const home = join(root, name, "home");
      const cwd = join(root, name, "cwd");
      await mkdir(home, { recursive: true });
      await mkdir(cwd, { recursive: true });
      workers.push(
        await spawnWorker(
          name,
          {
            connection: redis.connection,
            queue: "demo",
            workerId: name,
            codexHome: home,
            // This machine's secrets: they stay in this process.
            codexOptions: {
              apiKey: "sk-demo-worker-key",
              env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: home },
              config: stub.providerConfig(),
            },
            threadOptions: { workingDirectory: cwd, skipGitRepoCheck: true },
            lockDurationMs: 5_000,
          },
          join(root, `${name}.events.jsonl`),
        ),
      );
      say(`started worker ${name} (CODEX_HOME ${home})`);
    }
    const opened = await openFleet({ connection: redis.connection, queue: "demo" });
    if (opened.isErr()) {
      say(`openFleet failed: ${opened.error.message}`);
      return 1;
    }
    const fleet = opened.value;
    const fresh = startThread({ apiKey: "sk-demo-submitter-key" }, { skipGitRepoCheck: true });
    if (fresh.isErr()) return 1;
    const finals = await Promise.all(
      [1, 2, 3, 4, 5].map(async (n) => {
        let thread: Thread = fresh.value;
        for (let turn = 1; turn <= 3; turn++) {
          const r = await fleet.submitTurn(thread, `thread ${n}, turn ${turn}`);
          if (r.isErr()) {
            say(`thread ${n} turn ${turn}: ${r.error._tag}: ${r.error.message}`);
            return null;
          }
          thread = r.value.thread;
          say(
            `thread ${n} (${thread.threadId ?? "?"}) turn ${turn} ran on ${r.value.fleet.workerId}: ${JSON.stringify(r.value.turn.finalResponse)}`,
          );
        }
        return { n, thread };
      }),
    );
    await fleet.close();
    say("");
    say("final positions:");
    for (const f of finals) {
      if (f === null) continue;
      const d = decodeContinuationToken(f.thread.continuationToken);
      const pos = d.isOk() && d.value.kind !== "legacy" ? d.value.claim : null;
      say(
        `  thread ${f.n} ${f.thread.threadId ?? "?"}: ${pos?.completedTurns ?? "?"} turns, last turn ${pos?.lastTurnId ?? "?"}`,
      );
    }
    return finals.every((f) => f !== null) ? 0 : 1;
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await Promise.all([redis.stop(), stub.close()]);
    await rm(root, { recursive: true, force: true }).catch(() => undefined);
  }
};

process.exitCode = await main();
