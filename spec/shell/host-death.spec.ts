/**
 * The CLI never outlives its host. A real host process (spec/support/host.ts, run with
 * `node --import tsx`) starts a CLI child — an exec turn or an app-server turn whose agent runs
 * `sleep`, or a lifecycle command — and dies each of the five catchable ways. It dies the way
 * it would have without codex-fp (signal-exit re-raises the signal), and 2 s later none of
 * its descendants (the CLI, the agent's shell and `sleep`) is running: checked in /proc.
 */
import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

import { descendantsOf, stillRunning, type ProcEntry } from "../../lib/shell/process/procfs.js";
import { fake, withStubEnv, type StubEnv } from "../support/run-env.js";

const HOST = join(process.cwd(), "spec", "support", "host.ts");

type Death = "SIGINT" | "SIGTERM" | "SIGHUP" | "SIGKILL" | "exit" | "throw";
const DEATHS: readonly Death[] = ["SIGINT", "SIGTERM", "SIGHUP", "exit", "throw"];

/** How the host must end: as it would have with no CLI child at all. */
const expectedEnd = (death: Death): { code: number | null; signal: string | null } =>
  death === "exit"
    ? { code: 3, signal: null }
    : death === "throw"
      ? { code: 1, signal: null }
      : { code: null, signal: death };

/** The pids of running processes whose command line contains `marker`. */
const runningWith = (marker: string): number[] =>
  readdirSync("/proc")
    .filter((n) => /^\d+$/.test(n))
    .filter((n) => {
      try {
        const stat = readFileSync(`/proc/${n}/stat`, "utf8");
        if (stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z")) return false;
        return readFileSync(`/proc/${n}/cmdline`, "utf8").replace(/\0/g, " ").includes(marker);
      } catch {
        return false;
      }
    })
    .map(Number);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface HostRun {
  readonly end: { code: number | null; signal: string | null };
  /** The host's descendants seen just before it died. */
  readonly seen: readonly ProcEntry[];
  /** Those still running 2 s after it died. */
  readonly left: readonly ProcEntry[];
  /** Processes running the agent's command 2 s after. */
  readonly commandsLeft: readonly number[];
}

const runHost = async (
  env: StubEnv,
  kind: "exec" | "app-server" | "lifecycle",
  death: Death,
): Promise<HostRun> => {
  const marker = `37.${Math.floor(Math.random() * 1e6)}`;
  const pidFile = env.scratch.file(`host-${kind}-${death}.pid`);
  const host = spawn(process.execPath, ["--import", "tsx", HOST], {
    env: {
      ...process.env,
      HOST_KIND: kind,
      HOST_DEATH: death,
      HOST_OPTIONS: JSON.stringify(env.codexOptions({ env: { FAKE_PID_FILE: pidFile } })),
      HOST_CWD: env.sandbox.cwd,
      HOST_COMMAND: `sleep ${marker}; echo done`,
      HOST_CODEX: fake("hang.mjs"),
      HOST_PID_FILE: pidFile,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  host.stdout.on("data", (d: Buffer) => (out += d.toString()));
  host.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const ended = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    host.on("exit", (code, signal) => resolve({ code, signal })),
  );
  let seen: ProcEntry[] = [];
  const until = performance.now() + 60_000;
  while (!out.includes("ready")) {
    if (host.exitCode !== null || host.signalCode !== null || performance.now() > until) {
      try {
        process.kill(host.pid!, "SIGKILL");
      } catch {
        // gone
      }
      throw new Error(`the host never got ready: ${out} ${err}`);
    }
    seen = descendantsOf(host.pid!);
    await sleep(20);
  }
  if (death !== "exit" && death !== "throw") {
    seen = descendantsOf(host.pid!);
    host.kill(death);
  }
  const end = await ended;
  await sleep(2_000);
  const left = seen.filter(stillRunning);
  const commandsLeft = runningWith(`sleep ${marker}`);
  // Whatever the outcome, leave nothing behind for the next test.
  for (const e of left)
    try {
      process.kill(e.pid, "SIGKILL");
    } catch {
      // gone
    }
  for (const pid of commandsLeft)
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone
    }
  return { end, seen, left, commandsLeft };
};

const describeOnLinux = process.platform === "linux" ? describe : describe.skip;

// What docs/transports.md says of a host killed outright, which no hook can see. (Over exec the
// CLI and its commands may run on; how long depends on the turn, so that is documented, not
// asserted.)
describeOnLinux("a host killed outright (SIGKILL), which cannot be caught", () => {
  it("app-server: the server sees its stdin close and exits, and its commands go with it", async () => {
    await withStubEnv(undefined, async (env) => {
      const r = await runHost(env, "app-server", "SIGKILL");
      expect(r.end).toEqual({ code: null, signal: "SIGKILL" });
      expect(r.left).toEqual([]);
      expect(r.commandsLeft).toEqual([]);
    });
  }, 90_000);
});

describeOnLinux("no CLI child outlives its host", () => {
  for (const kind of ["exec", "app-server"] as const)
    for (const death of DEATHS)
      it(`${kind}: a host that dies by ${death} mid-turn leaves neither the CLI nor the agent's sleep`, async () => {
        await withStubEnv(undefined, async (env) => {
          const r = await runHost(env, kind, death);
          expect(r.end).toEqual(expectedEnd(death));
          expect(r.seen.length).toBeGreaterThanOrEqual(2); // the CLI, the shell, sleep …
          expect(r.left).toEqual([]);
          expect(r.commandsLeft).toEqual([]);
        });
      }, 90_000);

  for (const death of ["SIGTERM", "exit"] as const)
    it(`a lifecycle command: a host that dies by ${death} leaves no CLI`, async () => {
      await withStubEnv(undefined, async (env) => {
        const r = await runHost(env, "lifecycle", death);
        expect(r.end).toEqual(expectedEnd(death));
        expect(r.seen.length).toBeGreaterThanOrEqual(1);
        expect(r.left).toEqual([]);
      });
    }, 90_000);
});
