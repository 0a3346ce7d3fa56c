/**
 * Starting fleet workers as separate node processes (spec/fleet/support/worker-main.ts), each
 * in its own process group so a test can SIGKILL a whole "machine" (the worker and the codex
 * it runs) mid-turn.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { FleetWorkerOptions } from "../../../lib/fleet/index.js";

/** A worker process. */
export interface WorkerProcess {
  readonly name: string;
  readonly pid: number;
  readonly eventsFile: string;
  /** The telemetry events it wrote so far. */
  events(): Array<Record<string, unknown>>;
  /** SIGKILLs its process group (the worker and its codex). */
  kill(): void;
  /** SIGTERMs it and waits for its exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

const MAIN = join(process.cwd(), "spec", "fleet", "support", "worker-main.ts");

/** Starts a worker process and waits for its "ready". */
export const spawnWorker = async (
  name: string,
  options: FleetWorkerOptions,
  eventsFile: string,
): Promise<WorkerProcess> => {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", MAIN], {
    env: {
      ...process.env,
      FLEET_WORKER_OPTIONS: JSON.stringify(options),
      FLEET_EVENTS_FILE: eventsFile,
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let exited = false;
  const exit = new Promise<void>((r) =>
    child.once("exit", () => {
      exited = true;
      r();
    }),
  );
  let err = "";
  child.stderr?.on("data", (d: Buffer) => {
    err += d.toString();
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`worker ${name} did not start: ${err}`)),
      60_000,
    );
    child.stdout?.on("data", (d: Buffer) => {
      if (d.toString().includes("ready")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`worker ${name} exited with ${String(code)}: ${err}`));
    });
  });
  const pid = child.pid ?? 0;
  const killGroup = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      // already gone
    }
  };
  return {
    name,
    pid,
    eventsFile,
    events: () =>
      existsSync(eventsFile)
        ? readFileSync(eventsFile, "utf8")
            .split("\n")
            .filter((l) => l !== "")
            .map((l) => JSON.parse(l) as Record<string, unknown>)
        : [],
    kill: () => killGroup("SIGKILL"),
    stop: async (graceMs = 10_000) => {
      if (exited) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => killGroup("SIGKILL"), graceMs);
      await exit;
      clearTimeout(timer);
      killGroup("SIGKILL"); // anything it left in its group
    },
  };
};
