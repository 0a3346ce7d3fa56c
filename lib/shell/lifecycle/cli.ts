/**
 * The CLI path of the lifecycle calls: `codex archive|unarchive <id>`, `codex delete --force
 * <id>` run once through the shared process runner, their failures mapped to typed errors.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { err, errAsync, ok, okAsync, ResultAsync, type Result } from "neverthrow";
import { buildEnv, configArgs } from "../../core/argv.js";
import { execFailed, threadNotFound, timedOut as timedOutError } from "../../core/errors/index.js";
import type { CodexOptions } from "../../core/options.js";
import type { DeepReadonly } from "../../core/thread.js";
import type { ThreadId } from "../../core/thread-id.js";
import { resolveCodexBinary, type CodexBinary } from "../codex-binary.js";
import { classifyExit, describeExit, secretsOf, spawnCli } from "../process/index.js";
import { givenBinary, preflightBinary } from "../preflight.js";
import { resolveCodexHome } from "../sessions.js";
import type { TakenDeps } from "./deps.js";
import type { LifecycleError } from "./types.js";

/** How one CLI run ended, with its (capped) output; stderr redacted by the runner. */
export interface CliRun {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
}

const OUTPUT_CAP = 1024 * 1024;

/** Runs the CLI once with empty stdin; output capped, stopped (politely) at the time-out. */
export const runCli = (
  ctx: CliContext,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<Result<CliRun, LifecycleError>> => {
  const spawned = spawnCli({
    path: ctx.binary.path,
    args,
    env,
    input: "",
    secrets: ctx.secrets,
    stderrTailBytes: OUTPUT_CAP,
  });
  if (spawned.isErr()) return Promise.resolve(err(spawned.error));
  const c = spawned.value;
  let stdout = "";
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void c.stop();
  }, timeoutMs);
  c.process.stdout?.on("data", (d: Buffer) => {
    if (stdout.length < OUTPUT_CAP) stdout += d.toString("utf8");
  });
  return c.done.then((end): Result<CliRun, LifecycleError> => {
    clearTimeout(timer);
    if (end.spawnError !== null) return err(end.spawnError);
    if (timedOut)
      return err(
        timedOutError(
          "deps.timeoutMs",
          timeoutMs,
          `codex ${args[0] ?? ""} took longer than ${timeoutMs} ms and was stopped`,
        ),
      );
    return ok({ exitCode: end.exitCode, signal: end.signal, stdout, stderr: end.stderrTail });
  });
};

/** What a CLI call runs with: the binary, the decoded options, the env and its secrets. */
export interface CliContext {
  readonly binary: CodexBinary;
  readonly options: DeepReadonly<CodexOptions>;
  readonly env: Readonly<Record<string, string>>;
  readonly secrets: readonly string[];
}

/** The binary given for a call (the options' override wins), with where it was given. */
/**
 * The CLI context of a call, from options decoded once and deps read once: a given binary
 * checked before it is spawned (as a turn checks it), the binary resolved, the env built.
 */
export const cliContext = (
  options: DeepReadonly<CodexOptions>,
  deps: TakenDeps,
): ResultAsync<CliContext, LifecycleError> => {
  const given = givenBinary(options.codexPathOverride, deps.codexPath);
  return preflightBinary(given).andThen(() => {
    const binary = resolveCodexBinary(given?.file);
    if (binary.isErr()) return errAsync(binary.error);
    const env = buildEnv(options, deps.processEnv ?? process.env, binary.value.pathDirs);
    return okAsync({ binary: binary.value, options, env, secrets: secretsOf(env, options) });
  });
};

/** True when the store under the CLI's CODEX_HOME holds a rollout of `threadId` in `folders`. */
export const storeHolds = async (
  ctx: CliContext,
  threadId: string,
  folders: readonly string[],
): Promise<boolean> => {
  const home = resolveCodexHome({ env: ctx.env });
  for (const f of folders) {
    const names = await readdir(join(home, f), { recursive: true }).catch((): string[] => []);
    if (names.some((n) => String(n).endsWith(`${threadId}.jsonl`))) return true;
  }
  return false;
};

/** A failed CLI call as a typed error: classified exit, not-found from the store, else ExecFailed. */
export const cliFailure = async (
  ctx: CliContext,
  command: string,
  r: CliRun,
  threadId: string,
  folders: readonly string[],
): Promise<LifecycleError> => {
  const stderr = r.stderr; // redacted by the runner
  const classified = classifyExit(r, stderr, threadId, command);
  if (classified !== null && classified._tag !== "ExecFailed") return classified;
  // The CLI says only "failed to <op> session": a thread the store does not hold is not found.
  if (
    /no active or archived session found/i.test(stderr) ||
    !(await storeHolds(ctx, threadId, folders))
  )
    return threadNotFound(threadId);
  return (
    classified ??
    execFailed(
      `codex ${command} exited with ${describeExit(r)}`,
      r.exitCode,
      r.signal,
      stderr.slice(-16 * 1024),
    )
  );
};

/** Runs `codex archive|unarchive|delete` on one thread, with the call's decoded options. */
export const cliThreadCommand = (
  command: "archive" | "unarchive" | "delete",
  threadId: ThreadId,
  options: CodexOptions,
  deps: TakenDeps,
): ResultAsync<void, LifecycleError> =>
  cliContext(options, deps).andThen((c) => {
    const args = [
      command,
      ...(command === "delete" ? ["--force"] : []),
      ...configArgs(c.options),
      threadId,
    ];
    const folders =
      command === "archive"
        ? ["sessions"]
        : command === "unarchive"
          ? ["archived_sessions"]
          : ["sessions", "archived_sessions"];
    return new ResultAsync(
      runCli(c, args, c.env, deps.timeoutMs).then(
        async (r): Promise<Result<void, LifecycleError>> => {
          if (r.isErr()) return err(r.error);
          if (r.value.exitCode === 0) return ok(undefined);
          return err(await cliFailure(c, command, r.value, threadId, folders));
        },
      ),
    );
  });
