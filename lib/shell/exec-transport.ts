/**
 * The exec transport: one `codex exec --experimental-json` process per turn. Lines are read as
 * they come (capped); the process runner (./process) spawns and stops the CLI, keeps its
 * redacted stderr tail and maps its exit to a typed error. A cancelled turn stops the CLI
 * politely (SIGINT, so it tears down the commands it started), then kills what is left.
 */
import { ResultAsync, err, errAsync, ok, okAsync, type Result } from "neverthrow";
import { buildExecCommand } from "../core/argv.js";
import {
  decodeEventLine,
  decodeEventValue,
  type DecodeError,
  type ThreadEvent,
} from "../core/events.js";
import { cancelledError, defect, lineTooLong, type ShellError } from "../core/errors/index.js";
import { resolveCodexBinary, type CodexBinary } from "./codex-binary.js";
import { badDeps, checkEffects, readFields, type DepsError } from "./deps.js";
import { writeSchemaFile } from "./output-schema-file.js";
import { createChannel } from "./internal/channel.js";
import { createLineSplitter } from "./internal/lines.js";
import { mayHoldSecret, parseRedacted } from "./internal/redact.js";
import { classifyExit, secretsOf, spawnCli, type CliChild } from "./process/index.js";
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

/** The error mapping and secret list, from the process runner (kept here for old imports). */
export { classifyExit, secretsOf, spawnErrorOf } from "./process/index.js";

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
  const secrets = secretsOf(command.env, thread.codexOptions);
  let failure: ShellError | DecodeError | null = null;
  let cancelled: CancelReason | null = null;
  let child: CliChild | null = null;
  const channel = createChannel<ThreadEvent>(() => cancel("consumer"));
  // A stopped CLI is asked politely first, so it can tear down the commands it started.
  const cancel = (reason: CancelReason) => {
    if (cancelled === null) cancelled = reason;
    void child?.stop();
  };
  const fail = (e: ShellError | DecodeError) => {
    if (failure === null) failure = e;
    void child?.stop();
  };

  const spawned = spawnCli({
    path: binary.path,
    args: command.args,
    env: command.env,
    input: request.input.prompt,
    secrets,
    stderrTailBytes: options.stderrTailBytes ?? DEFAULT_STDERR_TAIL,
  });
  if (spawned.isErr()) {
    channel.close();
    const error = spawned.error;
    return {
      events: channel.iterable,
      exit: removeSchema().then(() => ({ ok: false, error })),
      cancel,
    };
  }
  const c = spawned.value;
  child = c;
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
  c.process.stdout?.on("data", (chunk: Buffer) => {
    if (failure !== null || cancelled !== null) return;
    const lines = splitter.push(chunk);
    if (lines === "too_long")
      fail(
        lineTooLong(
          "stdout",
          request.maxLineBytes,
          `a line of codex output is longer than ${request.maxLineBytes} bytes`,
        ),
      );
    else lines.forEach(onLine);
  });
  const exit = c.done.then(async (end): Promise<ExitResult> => {
    if (failure === null && cancelled === null) splitter.end().forEach(onLine);
    channel.close();
    const status: TransportExit = { exitCode: end.exitCode, signal: end.signal };
    const error: ShellError | DecodeError | null =
      end.spawnError ??
      (cancelled !== null
        ? cancelledError(cancelled, request.turnOptions.timeoutMs)
        : (failure ?? classifyExit(status, end.stderrTail, thread.threadId)));
    await removeSchema();
    return error === null ? { ok: true, value: status } : { ok: false, error };
  });
  return { events: channel.iterable, exit, cancel };
};

/** What the exec transport reads of its options, in this order. */
const EXEC_KEYS = ["codexPath", "processEnv", "tmpDir", "stderrTailBytes"] as const;

/**
 * The options read once, when the transport is made (each field exactly once, see
 * `readFields`), and checked: `codexPath` a non-empty string and `processEnv` an object of
 * strings (the shared rules), `tmpDir` a string, `stderrTailBytes` a positive whole number.
 */
const takeExecOptions = (
  options: ExecTransportOptions | undefined,
): Result<ExecTransportOptions, DepsError> =>
  readFields(options, EXEC_KEYS, "options").andThen((given) => {
    const { codexPath, processEnv, tmpDir, stderrTailBytes } = given;
    const shared = checkEffects({ codexPath, processEnv }, "options");
    if (shared.isErr()) return err(shared.error);
    const dir: unknown = tmpDir;
    if (dir !== undefined && typeof dir !== "string")
      return err(badDeps("options.tmpDir", "must be a string when given"));
    const tail: unknown = stderrTailBytes;
    if (tail !== undefined && !(typeof tail === "number" && Number.isSafeInteger(tail) && tail > 0))
      return err(badDeps("options.stderrTailBytes", "must be a positive whole number when given"));
    const e = shared.value;
    return ok({
      ...(e.codexPath !== undefined ? { codexPath: e.codexPath } : {}),
      ...(e.processEnv !== undefined ? { processEnv: e.processEnv } : {}),
      ...(typeof dir === "string" ? { tmpDir: dir } : {}),
      ...(typeof tail === "number" ? { stderrTailBytes: tail } : {}),
    });
  });

/**
 * The exec transport: spawns `codex exec` for each turn. Its options are read once, here; bad
 * ones are an `InvalidOptions` error (at `options.<field>`) from every turn it starts.
 */
export const execTransport = (options: ExecTransportOptions = {}): Transport => {
  const taken = takeExecOptions(options);
  return {
    kind: "exec",
    startTurn: (request) => {
      if (taken.isErr()) return errAsync(taken.error);
      const opts = taken.value;
      // The request is the runner's own decoded value; one built by hand that cannot be read
      // is a Defect, never a throw.
      try {
        const override = request.thread.codexOptions.codexPathOverride ?? opts.codexPath;
        const binary = resolveCodexBinary(override);
        if (binary.isErr()) return errAsync(binary.error);
        const schemaOf = request.turnOptions.outputSchema;
        return writeSchemaFile(schemaOf, opts.tmpDir).andThen((schema) => {
          try {
            return okAsync(run(binary.value, request, schema.path, schema.remove, opts));
          } catch (e) {
            return ResultAsync.fromSafePromise(schema.remove().catch(() => undefined)).andThen(() =>
              errAsync<TransportRun, ShellError>(defect("transport", e)),
            );
          }
        });
      } catch (e) {
        return errAsync(defect("transport", e));
      }
    },
  };
};
