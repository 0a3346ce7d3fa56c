/**
 * The one way codex-fp starts a CLI child (`codex exec`, `codex app-server`, the lifecycle
 * commands): in its own process group, tracked so the host's death kills it, with a redacted
 * stderr tail. It is stopped politely — SIGINT to its group (the CLI then tears down the
 * commands it started in their own sessions), a bounded grace, then SIGKILL of the group and
 * of every descendant seen while it was alive — and once it has exited, what it left in its
 * group (holding its pipes) is killed, and pipes still held open by a stray elsewhere are
 * closed from this side after a quiet grace period.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { err, ok, type Result } from "neverthrow";
import type { ShellError } from "../../core/errors/index.js";
import { spawnErrorOf, spawnThrewError, type ChildExit } from "./exit.js";
import { descendantsOf, signalEntries, type ProcEntry } from "./procfs.js";
import { trackChild } from "./registry.js";
import { createStderrTail } from "./tail.js";

/** What to run, and how. */
export interface SpawnRequest {
  /** The binary. */
  readonly path: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Written to stdin, which is then closed; absent: stdin stays open for the caller. */
  readonly input?: string;
  /** Values redacted from the stderr tail. */
  readonly secrets: readonly string[];
  /** How many characters of stderr to keep (default 16 KiB). */
  readonly stderrTailBytes?: number;
  /** How long a polite stop waits before SIGKILL (default 1.5 s). */
  readonly stopGraceMs?: number;
}

/** How a child ended: its exit, the error that kept it from starting, its redacted stderr tail. */
export interface ChildEnd extends ChildExit {
  readonly spawnError: ShellError | null;
  readonly stderrTail: string;
}

/** A running CLI child. */
export interface CliChild {
  /** Its process id (null when it never started). */
  readonly pid: number | null;
  /** The Node handle: its stdio streams, `ref` / `unref`, `exit` events. */
  readonly process: ChildProcess;
  /** Settles once it has exited and its pipes are closed (after any stop's sweep). Never rejects. */
  readonly done: Promise<ChildEnd>;
  /** True until it has exited. */
  isRunning(): boolean;
  /** Its stderr tail so far, redacted. */
  stderrTail(): string;
  /** Stops it politely (SIGINT, grace, SIGKILL); resolves with `done`. Idempotent. */
  stop(): Promise<ChildEnd>;
  /** Kills it, its group and its descendants now (SIGKILL). */
  kill(): void;
}

/** Default grace of a polite stop: the CLI exits ~50 ms after SIGINT (measured). */
export const STOP_GRACE_MS = 1_500;
/** How long stdout/stderr may stay open after the child exited (held by a stray process). */
const EXIT_GRACE_MS = 1_000;
const DEFAULT_STDERR_TAIL = 16 * 1024;

const mergeEntries = (a: readonly ProcEntry[], b: readonly ProcEntry[]): ProcEntry[] => {
  const seen = new Set(a.map((e) => `${e.pid}/${e.startTime}`));
  return [...a, ...b.filter((e) => !seen.has(`${e.pid}/${e.startTime}`))];
};

/** Starts a CLI child; an error when `spawn` itself throws (a missing binary fails in `done`). */
export const spawnCli = (request: SpawnRequest): Result<CliChild, ShellError> => {
  let c: ChildProcess;
  try {
    c = spawn(request.path, [...request.args], {
      env: request.env,
      stdio: ["pipe", "pipe", "pipe"],
      detached: process.platform !== "win32",
      ...(request.cwd !== undefined ? { cwd: request.cwd } : {}),
    });
  } catch (e) {
    return err(spawnThrewError(e));
  }
  const pid = c.pid ?? null;
  const tail = createStderrTail(request.stderrTailBytes ?? DEFAULT_STDERR_TAIL, request.secrets);
  let exited = false;
  let closed = false;
  let spawnError: ShellError | null = null;
  let snapshot: ProcEntry[] = [];
  let stopping: Promise<ChildEnd> | null = null;
  let killTimer: ReturnType<typeof setTimeout> | undefined;

  // Descendants are read while the child is alive: once it is gone they are re-parented.
  const capture = () => {
    if (pid !== null && !exited) snapshot = mergeEntries(snapshot, descendantsOf(pid));
  };
  const signalGroup = (sig: NodeJS.Signals) => {
    if (pid === null || closed) return;
    try {
      process.kill(-pid, sig);
    } catch {
      if (exited) return;
      try {
        c.kill(sig);
      } catch {
        // already gone
      }
    }
  };
  const kill = () => {
    capture();
    signalGroup("SIGKILL");
    signalEntries(snapshot, "SIGKILL");
  };
  const untrack = trackChild({ killNow: kill });

  c.on("error", (e: NodeJS.ErrnoException) => {
    spawnError ??= spawnErrorOf(e, request.path);
  });
  c.stdin?.on("error", () => undefined); // a child that exits before reading stdin: no EPIPE crash
  if (request.input !== undefined) c.stdin?.end(request.input);
  c.stderr?.on("data", (chunk: Buffer) => tail.push(chunk));

  // Output still waiting in the pipes after a long pause of the event loop is read before the
  // pipes are closed from this side, and postpones that.
  let activity = 0;
  const active = () => {
    activity += 1;
  };
  c.stdout?.on("data", active);
  c.stderr?.on("data", active);
  let grace: ReturnType<typeof setTimeout> | undefined;
  const armGrace = () => {
    const seen = activity;
    grace = setTimeout(
      () =>
        setImmediate(() => {
          if (closed) return;
          if (activity !== seen) armGrace();
          else {
            c.stdout?.destroy();
            c.stderr?.destroy();
          }
        }),
      EXIT_GRACE_MS,
    );
    grace.unref();
  };
  c.on("exit", () => {
    exited = true;
    if (killTimer !== undefined) clearTimeout(killTimer);
    // What it left in its group (holding the pipes) goes; after a stop, so does what it left
    // anywhere else among the descendants seen while it was alive.
    signalGroup("SIGKILL");
    if (stopping !== null) signalEntries(snapshot, "SIGKILL");
    armGrace();
  });
  const done = new Promise<ChildEnd>((resolve) => {
    c.on("close", (code: number | null, signal: NodeJS.Signals | null) => {
      exited = true;
      closed = true;
      if (grace !== undefined) clearTimeout(grace);
      if (killTimer !== undefined) clearTimeout(killTimer);
      untrack();
      resolve({ exitCode: code, signal, spawnError, stderrTail: tail.text(true) });
    });
  });

  const stop = (): Promise<ChildEnd> => {
    if (stopping !== null) return stopping;
    stopping = done;
    if (!exited) {
      capture();
      signalGroup("SIGINT");
      killTimer = setTimeout(kill, request.stopGraceMs ?? STOP_GRACE_MS);
    }
    return done;
  };

  return ok({
    pid,
    process: c,
    done,
    isRunning: () => !exited,
    stderrTail: () => tail.text(),
    stop,
    kill,
  });
};
