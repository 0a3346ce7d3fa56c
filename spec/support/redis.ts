/**
 * A throw-away Redis for the fleet specs, demo and bench: Debian's `redis-server` on a free
 * loopback port, in a temp dir, with persistence off (SAVE writes a dump on demand) and RDB
 * compression off, so a dump can be scanned for plain bytes. `stop` kills it and removes the dir.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Where Debian installs the server. */
export const REDIS_SERVER = process.env["REDIS_SERVER"] ?? "/usr/bin/redis-server";

/** True when a redis-server binary is installed. */
export const hasRedisServer = (): boolean => existsSync(REDIS_SERVER);

/** A running test Redis. */
export interface TestRedis {
  readonly host: string;
  readonly port: number;
  readonly dir: string;
  /** The connection option for openFleet / startFleetWorker. */
  readonly connection: { readonly host: string; readonly port: number };
  /** Sends one inline command and returns the raw reply text. */
  command(...args: string[]): Promise<string>;
  /** Runs SAVE and returns the dump file's bytes. */
  dump(): Promise<Buffer>;
  /** Stops the server and removes its dir. Never rejects. */
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (asked of the OS, then released). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const a = srv.address();
      const port = typeof a === "object" && a !== null ? a.port : 0;
      srv.close(() => resolve(port));
    });
  });

/** Encodes a command in RESP. */
const resp = (args: readonly string[]): string =>
  `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`;

/** Sends one command on a fresh socket and resolves with the reply's bytes (first chunk). */
const send = (port: number, args: readonly string[], timeoutMs = 10_000): Promise<string> =>
  new Promise((resolve, reject) => {
    const sock = createConnection({ host: "127.0.0.1", port });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`redis ${args[0] ?? ""} timed out`));
    }, timeoutMs);
    let got = "";
    sock.on("connect", () => sock.write(resp(args)));
    sock.on("data", (d) => {
      got += d.toString("latin1");
      if (got.endsWith("\r\n")) {
        clearTimeout(timer);
        sock.end();
        resolve(got);
      }
    });
    sock.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });

/** Starts a redis-server on a free loopback port; rejects when it does not answer PING. */
export const startRedis = async (): Promise<TestRedis> => {
  if (!hasRedisServer())
    throw new Error(
      `redis-server is not installed (looked for ${REDIS_SERVER}): apt-get install -y redis-server`,
    );
  const dir = await mkdtemp(join(tmpdir(), "codex-fp-redis-"));
  const port = await freePort();
  const child: ChildProcess = spawn(
    REDIS_SERVER,
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--dir",
      dir,
      "--save",
      "",
      "--appendonly",
      "no",
      "--rdbcompression",
      "no",
      "--protected-mode",
      "yes",
      "--daemonize",
      "no",
    ],
    { stdio: "ignore" },
  );
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  const until = performance.now() + 15_000;
  for (;;) {
    try {
      if ((await send(port, ["PING"], 1000)).startsWith("+PONG")) break;
    } catch {
      // not up yet
    }
    if (exited || performance.now() > until) {
      child.kill("SIGKILL");
      await rm(dir, { recursive: true, force: true });
      throw new Error(`redis-server did not start on port ${port}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  let stopped: Promise<void> | null = null;
  return {
    host: "127.0.0.1",
    port,
    dir,
    connection: { host: "127.0.0.1", port },
    command: (...args) => send(port, args),
    dump: async () => {
      await send(port, ["SAVE"], 60_000);
      return readFile(join(dir, "dump.rdb"));
    },
    stop: () => {
      stopped ??= (async () => {
        if (!exited) {
          const gone = new Promise<void>((r) => child.once("exit", () => r()));
          child.kill("SIGKILL");
          await gone;
        }
        await rm(dir, { recursive: true, force: true }).catch(() => undefined);
      })();
      return stopped;
    },
  };
};
