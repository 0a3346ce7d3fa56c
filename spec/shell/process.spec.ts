/**
 * Nothing the agent started outlives a stopped turn. The real CLI runs the agent's
 * `sleep <marker>; echo done` under danger-full-access (the stub's `exec_command`); the turn
 * is stopped by an AbortSignal, `timeoutMs`, or leaving `runStreamed` early. The runner stops
 * the CLI politely (SIGINT to its group: it tears down the commands it started in their own
 * sessions), then SIGKILLs what is left; a CLI that ignores SIGINT is killed after the grace
 * with every descendant seen while it was alive. Also: /proc parsing, and the app-server's
 * pipes leak no listener however often it is reopened.
 */
import { readFileSync, readdirSync } from "node:fs";
import type { ThreadOptionsInput } from "../../lib/core/options.js";

import { openAppServer } from "../../lib/shell/app-server/open.js";
import { execTransport } from "../../lib/shell/exec-transport.js";
import { parseStat } from "../../lib/shell/process/procfs.js";
import { connect } from "../../lib/shell/app-server/rpc.js";
import { liveChildren, spawnCli } from "../../lib/shell/process/index.js";
import { runStreamed, runTurn } from "../../lib/shell/run.js";
import { fake, isAlive, readPid, waitFor, withStubEnv, type StubEnv } from "../support/run-env.js";

const PID_WRAPPER = fake("codex-pid-wrapper.sh");
const FULL_ACCESS: ThreadOptionsInput = {
  sandboxMode: "danger-full-access",
  approvalPolicy: "never",
};

/** The pids of running processes whose command line contains `marker` (or starts with it). */
const runningWith = (marker: string, at: "start" | "anywhere" = "anywhere"): number[] =>
  readdirSync("/proc")
    .filter((n) => /^\d+$/.test(n))
    .filter((n) => {
      try {
        const stat = readFileSync(`/proc/${n}/stat`, "utf8");
        if (stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z")) return false;
        const cmd = readFileSync(`/proc/${n}/cmdline`, "utf8").replace(/\0/g, " ");
        return at === "start" ? cmd.startsWith(marker) : cmd.includes(marker);
      } catch {
        return false;
      }
    })
    .map(Number);

const newMarker = () => `sleep 37.${Math.floor(Math.random() * 1e6)}`;

/** Waits for the agent's command, then stops the turn with `stop`; returns what is left. */
const stopMidCommand = async (
  env: StubEnv,
  run: (thread: ReturnType<StubEnv["thread"]>, input: string) => Promise<unknown>,
): Promise<{ outcome: unknown; cli: number | null; commands: number[]; ms: number }> => {
  const marker = newMarker();
  const thread = env.thread(FULL_ACCESS, { env: env.pidEnv() });
  const started = performance.now();
  const outcome = await run(thread, `run: ${marker}; echo done`);
  const ms = performance.now() - started;
  const cli = env.pid();
  const commands = runningWith(marker);
  commands.forEach((p) => process.kill(p, "SIGKILL")); // leave nothing, whatever happened
  return { outcome, cli, commands, ms };
};

const onLinux = process.platform === "linux" ? it : it.skip;

describe("a stopped exec turn leaves neither the CLI nor the agent's command", () => {
  onLinux(
    "an AbortSignal",
    async () => {
      await withStubEnv(undefined, async (env) => {
        const r = await stopMidCommand(env, async (thread, input) => {
          const ac = new AbortController();
          const marker = input.slice(5, input.indexOf(";"));
          void waitFor(() => runningWith(marker, "start").length > 0, 60_000, "the command").then(
            () => ac.abort(),
          );
          return runTurn(
            thread,
            input,
            { signal: ac.signal },
            { observe: false, codexPath: PID_WRAPPER },
          );
        });
        expect(r.outcome).toMatchObject({ error: { _tag: "Aborted" } });
        expect(r.cli).not.toBeNull();
        expect(isAlive(r.cli!)).toBe(false);
        expect(r.commands).toEqual([]);
      });
    },
    90_000,
  );

  onLinux(
    "timeoutMs",
    async () => {
      await withStubEnv(undefined, async (env) => {
        const r = await stopMidCommand(env, async (thread, input) =>
          runTurn(thread, input, { timeoutMs: 6_000 }, { observe: false, codexPath: PID_WRAPPER }),
        );
        expect(r.outcome).toMatchObject({ error: { _tag: "TimedOut", timeoutMs: 6_000 } });
        expect(isAlive(r.cli!)).toBe(false);
        expect(r.commands).toEqual([]);
      });
    },
    90_000,
  );

  onLinux(
    "leaving runStreamed early",
    async () => {
      await withStubEnv(undefined, async (env) => {
        const r = await stopMidCommand(env, async (thread, input) => {
          const s = runStreamed(thread, input, {}, { observe: false, codexPath: PID_WRAPPER });
          for await (const e of s.events)
            if (e.type === "item.started" && e.item.type === "command_execution") break;
          return s.outcome;
        });
        expect(r.outcome).toMatchObject({ error: { _tag: "Aborted" } });
        expect(isAlive(r.cli!)).toBe(false);
        expect(r.commands).toEqual([]);
      });
    },
    90_000,
  );

  onLinux(
    "a CLI that ignores SIGINT: killed after the grace, with its command",
    async () => {
      await withStubEnv(undefined, async (env) => {
        const grandchild = env.scratch.file("command.pid");
        const thread = env.thread(
          {},
          { env: { ...env.pidEnv(), FAKE_GRANDCHILD_PID_FILE: grandchild } },
        );
        const ac = new AbortController();
        void waitFor(() => readPid(grandchild) !== null, 30_000, "the command").then(() =>
          ac.abort(),
        );
        const started = performance.now();
        const outcome = await runTurn(
          thread,
          "hello",
          { signal: ac.signal },
          {
            observe: false,
            transport: execTransport({ codexPath: fake("hang-with-command.mjs") }),
          },
        );
        expect(outcome._unsafeUnwrapErr()).toMatchObject({ _tag: "Aborted" });
        expect(performance.now() - started).toBeGreaterThanOrEqual(1_400); // the grace was given
        expect(isAlive(env.pid()!)).toBe(false);
        await waitFor(() => !isAlive(readPid(grandchild)!), 2_000, "the command to die");
      });
    },
    60_000,
  );
});

describe("a stopped app-server turn leaves no agent command", () => {
  onLinux(
    "an AbortSignal",
    async () => {
      await withStubEnv(undefined, async (env) => {
        const server = (await openAppServer(env.codexOptions()))._unsafeUnwrap();
        try {
          const marker = newMarker();
          const ac = new AbortController();
          void waitFor(() => runningWith(marker, "start").length > 0, 60_000, "the command").then(
            () => ac.abort(),
          );
          const outcome = await runTurn(
            env.thread(FULL_ACCESS),
            `run: ${marker}; echo done`,
            { signal: ac.signal },
            { observe: false, transport: server.transport },
          );
          expect(outcome._unsafeUnwrapErr()).toMatchObject({ _tag: "Aborted" });
          await waitFor(() => runningWith(marker).length === 0, 5_000, "the command to go").catch(
            () => undefined,
          );
          const left = runningWith(marker);
          left.forEach((p) => process.kill(p, "SIGKILL"));
          expect(left).toEqual([]);
          expect(server.isOpen()).toBe(true);
        } finally {
          await server.close();
        }
      });
    },
    90_000,
  );

  it("holding and releasing a dead server's connection leaks no listener (fails on the warning)", async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on("warning", onWarning);
    try {
      // A real child that never answers: its connection dies when it is killed.
      const child = spawnCli({
        path: process.execPath,
        args: ["-e", "setInterval(() => undefined, 1000)"],
        env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin" },
        secrets: [],
      })._unsafeUnwrap();
      const rpc = connect(child, { requestTimeoutMs: 1_000, maxLineBytes: 1024, secrets: [] });
      child.kill();
      await child.done;
      expect(rpc.isClosed()).toBe(true);
      for (let i = 0; i < 30; i++) rpc.hold()(); // every turn holds, then releases
      await new Promise((r) => setTimeout(r, 50)); // warnings are emitted on a later tick
      const streams = [child.process.stdin, child.process.stdout, child.process.stderr];
      expect(streams.map((s) => s?.listenerCount("connect") ?? 0)).toEqual([0, 0, 0]);
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings.filter((w) => w.includes("MaxListenersExceeded"))).toEqual([]);
    expect(liveChildren()).toBe(0);
  });
});

describe("parseStat", () => {
  it("reads pid, parent, group and start time, whatever the command's name holds", () => {
    const fields = (comm: string, state = "S") =>
      `4242 (${comm}) ${state} 17 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10`;
    for (const comm of ["sleep", "a b", "x) S 1 2 3 (y", "((", ")"])
      expect(parseStat(fields(comm))).toEqual({
        pid: 4242,
        ppid: 17,
        pgid: 4242,
        startTime: "987654",
      });
    expect(parseStat(fields("sleep", "Z"))).toBeNull();
    expect(parseStat("garbage")).toBeNull();
  });
});
