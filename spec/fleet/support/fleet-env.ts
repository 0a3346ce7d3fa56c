/**
 * The fleet specs' world: a throw-away Redis, the loopback model stub, and "machines" (each a
 * CODEX_HOME and a working directory of its own). Secrets are planted in the submitter's
 * thread and in every worker's options, so a scan of Redis can look for them.
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { realpathSync } from "node:fs";
import { inflateRawSync } from "node:zlib";
import { startThread, type Thread } from "../../../lib/core/thread.js";
import {
  startModelStub,
  type ModelStub,
  type StubScript,
} from "../../../lib/testing/model-stub.js";
import { API_KEY, deepMerge } from "../../support/run-env.js";
import { startRedis, type TestRedis } from "../../support/redis.js";
import {
  openFleet,
  type Fleet,
  type FleetWorker,
  type FleetWorkerOptions,
} from "../../../lib/fleet/index.js";
import { okOf } from "../../support/results.js";
import type { ConfigObject } from "../../../lib/core/config-value.js";

/** A secret env value every worker and the submitter hold. */
export const ENV_SECRET = "fleet-env-secret-V8n3Kq2Zr7Lw";
/** A secret config value (an HTTP header sent to the model provider). */
export const CONFIG_SECRET = "fleet-config-secret-H4s9Tb6Xp1Mc";
/** The worker's own API key (different from the submitter's). */
export const WORKER_API_KEY = "sk-worker-planted-N5c8Rf3Wq0Yd";
/** Every secret planted. */
export const SECRETS = [API_KEY, ENV_SECRET, CONFIG_SECRET, WORKER_API_KEY];

/** One machine: its CODEX_HOME and working directory. */
export interface Machine {
  readonly name: string;
  readonly codexHome: string;
  readonly cwd: string;
}

/** The world of one spec file. */
export interface FleetWorld {
  readonly redis: TestRedis;
  readonly stub: ModelStub;
  readonly root: string;
  machine(name: string): Promise<Machine>;
  /** The worker options of a machine (secrets included), for startFleetWorker. */
  workerOptions(m: Machine, queue: string): FleetWorkerOptions;
  /** A new thread as a submitter holds it: its own secrets, its own working directory. */
  newThread(): Thread;
  dispose(): Promise<void>;
}

/** The stub's provider config with the secret header. */
export const secretConfig = (stub: ModelStub): ConfigObject =>
  deepMerge(stub.providerConfig(), {
    model_providers: { stub: { http_headers: { "X-Fleet-Secret": CONFIG_SECRET } } },
  });

/** Starts Redis and the stub; `script` decides the stub's replies. */
export const startFleetWorld = async (script?: StubScript): Promise<FleetWorld> => {
  const redis = await startRedis();
  const stub = await startModelStub(script);
  const root = realpathSync(await mkdtemp(join(tmpdir(), "codex-fp-fleet-")));
  const submitterCwd = join(root, "submitter-cwd");
  await mkdir(submitterCwd, { recursive: true });
  return {
    redis,
    stub,
    root,
    machine: async (name) => {
      const codexHome = join(root, name, "home");
      const cwd = join(root, name, "cwd");
      await mkdir(codexHome, { recursive: true });
      await mkdir(cwd, { recursive: true });
      return { name, codexHome, cwd };
    },
    workerOptions: (m, queue) => ({
      connection: redis.connection,
      queue,
      codexHome: m.codexHome,
      workerId: m.name,
      lockDurationMs: 2_000,
      codexOptions: {
        apiKey: WORKER_API_KEY,
        env: {
          PATH: process.env["PATH"] ?? "/usr/bin:/bin",
          HOME: m.codexHome,
          FLEET_SECRET_TOKEN: ENV_SECRET,
        },
        config: secretConfig(stub),
      },
      threadOptions: { workingDirectory: m.cwd, skipGitRepoCheck: true },
    }),
    newThread: () => {
      const r = startThread(
        {
          apiKey: API_KEY,
          env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", FLEET_SECRET_TOKEN: ENV_SECRET },
          config: secretConfig(stub),
        },
        { workingDirectory: submitterCwd, skipGitRepoCheck: true },
      );
      if (r.isErr()) throw new Error(r.error.message);
      return r.value;
    },
    dispose: async () => {
      await Promise.all([redis.stop(), stub.close()]);
      await rm(root, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
    },
  };
};

/** Every key and value in Redis, as text, for a secret scan (lists, hashes, streams, sets …). */
export const redisText = async (redis: TestRedis): Promise<string> => {
  const { Redis } = await import("ioredis");
  const c = new Redis({ host: redis.host, port: redis.port, lazyConnect: true });
  await c.connect();
  try {
    const out: string[] = [];
    const keys = await c.keys("*");
    for (const k of keys) {
      out.push(k);
      const type = await c.type(k);
      if (type === "string") out.push((await c.getBuffer(k))?.toString("latin1") ?? "");
      else if (type === "list")
        out.push(...(await c.lrangeBuffer(k, 0, -1)).map((b) => b.toString("latin1")));
      else if (type === "hash") out.push(JSON.stringify(await c.hgetall(k)));
      else if (type === "set") out.push(...(await c.smembers(k)));
      else if (type === "zset") out.push(...(await c.zrange(k, "0", "-1")));
      else if (type === "stream") out.push(JSON.stringify(await c.xrange(k, "-", "+")));
    }
    const text = out.join("\n");
    return `${text}\n${decodedArchiveBytes(text)}`;
  } finally {
    c.disconnect();
  }
};

/**
 * The rollout bytes inside every session archive found in `text` (chunks carry them base64,
 * maybe deflated), decoded: a secret in a rollout would hide from a plain scan otherwise.
 */
export const decodedArchiveBytes = (text: string): string => {
  const out: string[] = [];
  for (const m of text.matchAll(/"bytes":"([A-Za-z0-9+/=]*)"/g)) {
    const raw = Buffer.from(m[1] ?? "", "base64");
    out.push(raw.toString("latin1"));
    try {
      out.push(inflateRawSync(raw).toString("latin1"));
    } catch {
      // not deflated
    }
  }
  return out.join("\n");
};

/** Fails when any planted secret (or a long piece of one) appears in `text`. */
export const expectNoSecret = (text: string): void => {
  for (const secret of SECRETS)
    for (let i = 0; i + 10 <= secret.length; i += 5)
      expect(text).not.toContain(secret.slice(i, i + 10));
};

/**
 * Runs `fn` with a fleet on the queue `queue` of the world's Redis; closes the fleet and every
 * worker `fn` pushed onto `workers`.
 */
export const withFleet = async (
  world: FleetWorld,
  queue: string,
  fn: (fleet: Fleet, queue: string, workers: FleetWorker[]) => Promise<void>,
): Promise<void> => {
  const fleet = okOf(await openFleet({ connection: world.redis.connection, queue }), "openFleet");
  const workers: FleetWorker[] = [];
  try {
    await fn(fleet, queue, workers);
  } finally {
    await Promise.all(workers.map((w) => w.close()));
    await fleet.close();
  }
};
