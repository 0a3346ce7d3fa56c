/**
 * The exec transport: one `codex exec --experimental-json` process per turn. Lines are read as
 * they come (capped), stderr keeps a bounded, redacted tail, exits map to typed errors, and a
 * cancelled turn kills the child's whole process group.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { StringDecoder } from "node:string_decoder";
import { errAsync, okAsync } from "neverthrow";
import { buildExecCommand } from "../core/argv.js";
import {
  decodeEventLine,
  decodeEventValue,
  type DecodeError,
  type ThreadEvent,
} from "../core/events.js";
import type { ShellError } from "../core/errors.js";
import { resolveCodexBinary, type CodexBinary } from "./codex-binary.js";
import { writeSchemaFile } from "./output-schema-file.js";
import { createChannel } from "./internal/channel.js";
import { createLineSplitter } from "./internal/lines.js";
import { mayHoldSecret, parseRedacted, redactTail } from "./internal/redact.js";
import { secretValues } from "../core/secrets.js";
import type {
  CancelReason,
  Transport,
  TransportExit,
  TransportRun,
  TransportTurnRequest,
} from "./transport.js";

/** Options of the exec transport. */
export interface ExecTransportOptions {
  /** The binary to run (wins over the installed package, loses to `codexPathOverride`). */
  readonly codexPath?: string;
  /** The environment inherited when the thread has no `env` option (default: process.env). */
  readonly processEnv?: Readonly<Record<string, string | undefined>>;
  /** Where the output schema file is written (default: the OS temp dir). */
  readonly tmpDir?: string;
  /** How many bytes of stderr to keep for errors (default 16 KiB). */
  readonly stderrTailBytes?: number;
}

const DEFAULT_STDERR_TAIL = 16 * 1024;

/** Kills a child and everything it started (its process group, which outlives the child). */
export const killTree = (child: ChildProcess): void => {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
};

/** How long stdout/stderr may stay open after the child exited (held by a stray process). */
const EXIT_GRACE_MS = 1_000;

/** The error of a child that could not be started: a missing binary, or another reason. */
export const spawnErrorOf = (e: NodeJS.ErrnoException, binaryPath: string): ShellError =>
  e.code === "ENOENT"
    ? {
        _tag: "CodexNotFound",
        path: "codexPath",
        message: `codex binary not found at ${binaryPath}`,
      }
    : {
        _tag: "SpawnFailed",
        path: "codex",
        message: `could not start codex: ${e.code ?? e.message}`,
      };

/** Maps a finished process to its error, or null when it ended well. */
export const classifyExit = (
  exit: TransportExit,
  stderrTail: string,
  threadId: string | null,
): ShellError | null => {
  if (exit.exitCode === 0 && exit.signal === null) return null;
  if (threadId !== null && /no rollout found for thread id/i.test(stderrTail))
    return {
      _tag: "ThreadNotFound",
      path: "threadId",
      message: `no session found for thread ${threadId}`,
      threadId,
    };
  if (/already has an active writer/i.test(stderrTail))
    return {
      _tag: "ThreadBusy",
      path: "threadId",
      message: `thread ${threadId ?? "?"} is being written by another process; retry when it is done`,
      threadId: threadId ?? "",
      retryable: true,
    };
  const how = exit.signal !== null ? `signal ${exit.signal}` : `code ${exit.exitCode ?? "?"}`;
  // The CLI's own error line ("Error: …", before its stack backtrace), else the last line.
  const lines = stderrTail.trim().split("\n");
  const last = lines.filter((l) => /^Error: /.test(l)).pop() ?? lines[lines.length - 1] ?? "";
  return {
    _tag: "ExecFailed",
    path: "codex",
    message: `codex exec exited with ${how}${last === "" ? "" : `: ${last}`}`,
    exitCode: exit.exitCode,
    signal: exit.signal,
    stderrTail,
  };
};

type ExitResult =
  { ok: true; value: TransportExit } | { ok: false; error: ShellError | DecodeError };

const run = (
  binary: CodexBinary,
  request: TransportTurnRequest,
  schemaPath: string | null,
  removeSchema: () => Promise<void>,
  options: ExecTransportOptions,
): TransportRun => {
  const { thread } = request;
  const command = buildExecCommand({
    codexOptions: thread.codexOptions,
    threadOptions: thread.threadOptions,
    threadId: thread.threadId,
    input: request.input,
    turnOptions: request.turnOptions,
    outputSchemaFile: schemaPath,
    processEnv: options.processEnv ?? process.env,
    pathDirs: binary.pathDirs,
  });
  const o = thread.codexOptions;
  const secrets = secretValues(o.apiKey?.reveal(), o.config, command.env);
  const tailBytes = options.stderrTailBytes ?? DEFAULT_STDERR_TAIL;
  // Keep a little more than the tail, so a secret the cut falls near is still seen whole.
  const keep = tailBytes + Math.max(0, ...secrets.map((s) => s.length));
  const stderrDecoder = new StringDecoder("utf8");
  let stderr = "";
  let stderrTruncated = false;
  const addStderr = (text: string) => {
    stderr += text;
    if (stderr.length > keep) {
      stderr = stderr.slice(-keep);
      stderrTruncated = true;
    }
  };
  let failure: ShellError | DecodeError | null = null;
  let cancelled: CancelReason | null = null;
  let child: ChildProcess | null = null;
  const channel = createChannel<ThreadEvent>(() => cancel("consumer"));
  // Once the streams are closed the group is gone (and its id may be reused): no more kills.
  let closed = false;
  const cancel = (reason: CancelReason) => {
    if (cancelled === null) cancelled = reason;
    if (child !== null && !closed) killTree(child);
  };
  const fail = (e: ShellError | DecodeError) => {
    if (failure === null) failure = e;
    if (child !== null && !closed) killTree(child);
  };

  const exit = new Promise<ExitResult>((resolve) => {
    try {
      child = spawn(binary.path, [...command.args], {
        env: command.env,
        stdio: ["pipe", "pipe", "pipe"],
        detached: process.platform !== "win32",
      });
    } catch (e) {
      fail({
        _tag: "SpawnFailed",
        path: "codex",
        message: `could not start codex: ${e instanceof Error ? e.message : String(e)}`,
      });
      channel.close();
      void removeSchema().then(() => resolve({ ok: false, error: failure! }));
      return;
    }
    const c = child;
    let spawnError: ShellError | null = null;
    c.on("error", (e: NodeJS.ErrnoException) => {
      spawnError = spawnErrorOf(e, binary.path);
    });
    c.stdin?.on("error", () => undefined); // a child that exits before reading stdin: no EPIPE crash
    c.stdin?.end(request.input.prompt);
    const splitter = createLineSplitter(request.maxLineBytes);
    // A server may echo the key (a 401 body, a command's output): it never reaches an event.
    // Lines that hold one (in any form) are redacted string by string after parsing, so the
    // JSON stays valid whatever the key's characters (the same code as app-server's).
    const decode = (line: string) => {
      if (!mayHoldSecret(line, secrets)) return decodeEventLine(line);
      const value = parseRedacted(line, secrets);
      // not JSON: the error names only the line's length
      return value === undefined ? decodeEventLine(line) : decodeEventValue(value);
    };
    const onLine = (raw: string) => {
      if (failure !== null || cancelled !== null || raw.trim() === "") return;
      const r = decode(raw);
      if (r.isErr()) fail(r.error);
      else channel.push(r.value);
    };
    c.stdout?.on("data", (chunk: Buffer) => {
      if (failure !== null || cancelled !== null) return;
      const lines = splitter.push(chunk);
      if (lines === "too_long")
        fail({
          _tag: "LineTooLong",
          path: "stdout",
          message: `a line of codex output is longer than ${request.maxLineBytes} bytes`,
          limit: request.maxLineBytes,
        });
      else lines.forEach(onLine);
    });
    c.stderr?.on("data", (chunk: Buffer) => addStderr(stderrDecoder.write(chunk)));
    // When codex exits, what it left running in its group (holding our pipes open) goes too.
    // A stray outside the group cannot keep the turn open either: once the pipes have been
    // quiet for a grace period after the exit, they are closed from our side. (The check runs
    // after a poll of the pipes, so output still waiting there after a long pause of the event
    // loop is read first, and postpones it.)
    let grace: ReturnType<typeof setTimeout> | undefined;
    let activity = 0;
    const active = () => {
      activity += 1;
    };
    c.stdout?.on("data", active);
    c.stderr?.on("data", active);
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
      killTree(c);
      armGrace();
    });
    c.on("close", (code: number | null, signal: NodeJS.Signals | null) => {
      closed = true;
      if (grace !== undefined) clearTimeout(grace);
      if (failure === null && cancelled === null) splitter.end().forEach(onLine);
      channel.close();
      addStderr(stderrDecoder.end());
      const tail = redactTail(stderr, secrets, tailBytes, stderrTruncated);
      const status: TransportExit = { exitCode: code, signal };
      const error: ShellError | DecodeError | null =
        spawnError ??
        (cancelled === "timeout"
          ? {
              _tag: "TimedOut",
              path: "turnOptions.timeoutMs",
              message: "the turn took longer than its time-out",
              timeoutMs: 0,
            }
          : cancelled !== null
            ? { _tag: "Aborted", path: "turnOptions.signal", message: "the turn was aborted" }
            : (failure ?? classifyExit(status, tail, thread.threadId)));
      void removeSchema().then(() =>
        resolve(error === null ? { ok: true, value: status } : { ok: false, error }),
      );
    });
  });
  return { events: channel.iterable, exit, cancel };
};

/** The exec transport: spawns `codex exec` for each turn. */
export const execTransport = (options: ExecTransportOptions = {}): Transport => ({
  kind: "exec",
  startTurn: (request) => {
    const override = request.thread.codexOptions.codexPathOverride ?? options.codexPath;
    const binary = resolveCodexBinary(override);
    if (binary.isErr()) return errAsync(binary.error);
    return writeSchemaFile(request.turnOptions.outputSchema, options.tmpDir).andThen((schema) =>
      okAsync(run(binary.value, request, schema.path, schema.remove, options)),
    );
  },
});
