/**
 * How a CLI child's end maps to a typed error: a binary that could not be started, and an exit
 * that was not a clean 0 (not-found and busy threads recognised from stderr, else `ExecFailed`
 * with the CLI's own error line and a redacted stderr tail). One mapping for every caller.
 */
import {
  codexNotFound,
  execFailed,
  spawnFailed,
  threadBusy,
  threadNotFound,
  type ShellError,
} from "../../core/errors/index.js";

/** How a child ended. */
export interface ChildExit {
  readonly exitCode: number | null;
  readonly signal: string | null;
}

/** The error of a child that could not be started: a missing binary, or another reason. */
export const spawnErrorOf = (e: NodeJS.ErrnoException, binaryPath: string): ShellError =>
  e.code === "ENOENT"
    ? codexNotFound("codexPath", `codex binary not found at ${binaryPath}`)
    : spawnFailed("codex", `could not start codex: ${e.code ?? e.message}`);

/** The error of a `spawn` that threw (bad arguments, an env value with a NUL …). */
export const spawnThrewError = (e: unknown): ShellError =>
  spawnFailed("codex", `could not start codex: ${e instanceof Error ? e.message : String(e)}`);

/** "code 1" or "signal SIGTERM". */
export const describeExit = (exit: ChildExit): string =>
  exit.signal !== null ? `signal ${exit.signal}` : `code ${exit.exitCode ?? "?"}`;

/** The CLI's own error line ("Error: …", before its stack backtrace), else the last line. */
export const lastErrorLine = (stderrTail: string): string => {
  const lines = stderrTail.trim().split("\n");
  return lines.filter((l) => /^Error: /.test(l)).pop() ?? lines[lines.length - 1] ?? "";
};

/**
 * Maps a finished CLI process to its error, or null when it ended well. `stderrTail` must be
 * redacted already; `command` names the CLI command in the message (default "exec").
 */
export const classifyExit = (
  exit: ChildExit,
  stderrTail: string,
  threadId: string | null,
  command = "exec",
): ShellError | null => {
  if (exit.exitCode === 0 && exit.signal === null) return null;
  if (threadId !== null && /no rollout found for thread id/i.test(stderrTail))
    return threadNotFound(threadId);
  if (/already has an active writer/i.test(stderrTail))
    return threadBusy(
      threadId ?? "",
      `thread ${threadId ?? "?"} is being written by another process; retry when it is done`,
    );
  const last = lastErrorLine(stderrTail);
  return execFailed(
    `codex ${command} exited with ${describeExit(exit)}${last === "" ? "" : `: ${last}`}`,
    exit.exitCode,
    exit.signal,
    stderrTail,
  );
};
