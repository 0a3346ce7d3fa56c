/**
 * The checks made before a turn starts any process: what the CLI would refuse after it started
 * (a working directory that is missing or not a directory, an empty prompt, an image or an
 * additional directory that cannot be read, a binary that cannot be run) is refused here, as a
 * typed error at its path, before the transport starts and before any request reaches a model.
 */
import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { errAsync, okAsync, ResultAsync } from "neverthrow";
import {
  codexNotFound,
  invalidAt,
  type DecodingError,
  type ShellError,
  type TurnError,
} from "../core/errors/index.js";
import type { Input } from "../core/input.js";
import type { Thread } from "../core/thread.js";
import { codeOf } from "./sessions/store.js";

/** What a turn is about to run: the decoded thread and input, and how it will run. */
export interface PreflightRequest {
  readonly thread: Thread;
  /** The decoded input (its image parts are checked at their index: `input[1].path`). */
  readonly input: Input;
  /** The prompt the CLI will read on stdin. */
  readonly prompt: string;
  /** The binary the transport will spawn, when it is a given path, and where it was given. */
  readonly binary: { readonly path: string; readonly file: string } | null;
}

/** A problem found; `missingBinary` marks the one the shell reports as `CodexNotFound`. */
type Problem = {
  readonly path: string;
  readonly message: string;
  readonly missingBinary?: true;
} | null;

const invalid = (path: string, message: string): DecodingError<"InvalidOptions"> =>
  invalidAt("InvalidOptions", path, "invalid options", message);

/** What a binary that cannot be run is: `CodexNotFound` when missing, else `InvalidOptions`. */
export type BinaryProblem =
  DecodingError<"InvalidOptions"> | Extract<ShellError, { readonly _tag: "CodexNotFound" }>;

/** The error of a problem found. */
const errorOf = (problem: NonNullable<Problem>): BinaryProblem =>
  problem.missingBinary === true
    ? codexNotFound(problem.path, problem.message)
    : invalid(problem.path, problem.message);

/** What is wrong with `p` as a folder or file the CLI reads, or null when it is one. */
const checkReadable = async (
  path: string,
  p: string,
  kind: "directory" | "file",
): Promise<Problem> => {
  try {
    const s = await stat(resolve(p));
    if (kind === "directory" ? !s.isDirectory() : !s.isFile())
      return { path, message: `${p} is not a ${kind}` };
    await access(
      resolve(p),
      kind === "directory" ? constants.R_OK | constants.X_OK : constants.R_OK,
    );
    return null;
  } catch (e) {
    const code = codeOf(e) ?? undefined;
    return {
      path,
      message: code === "ENOENT" ? `${p} does not exist` : `${p} cannot be read (${code ?? "?"})`,
    };
  }
};

/** What is wrong with `p` as a binary to run, or null when it can be run. */
const checkExecutable = async (path: string, p: string): Promise<Problem> => {
  try {
    const s = await stat(p);
    if (!s.isFile()) return { path, message: `${p} is not a file` };
    await access(p, constants.X_OK);
    return null;
  } catch (e) {
    const code = codeOf(e) ?? undefined;
    if (code === "ENOENT")
      return { path, message: `codex binary not found at ${p}`, missingBinary: true };
    return {
      path,
      message: code === "EACCES" ? `${p} is not executable` : `${p} cannot be run (${code ?? "?"})`,
    };
  }
};

/** The checks of a thread's folders: its working directory, then its additional directories. */
const directoryChecks = (threadOptions: Thread["threadOptions"]): Array<() => Promise<Problem>> => {
  const checks: Array<() => Promise<Problem>> = [];
  const cwd = threadOptions.workingDirectory;
  if (cwd !== undefined)
    checks.push(() => checkReadable("threadOptions.workingDirectory", cwd, "directory"));
  (threadOptions.additionalDirectories ?? []).forEach((d, i) =>
    checks.push(() => checkReadable(`threadOptions.additionalDirectories[${i}]`, d, "directory")),
  );
  return checks;
};

/** The first problem the checks find, in order; null when there is none. */
const firstProblem = (
  checks: ReadonlyArray<() => Promise<Problem>>,
): ResultAsync<void, BinaryProblem> =>
  ResultAsync.fromSafePromise(
    (async (): Promise<Problem> => {
      for (const check of checks) {
        const problem = await check();
        if (problem !== null) return problem;
      }
      return null;
    })(),
  ).andThen((problem) => (problem === null ? okAsync(undefined) : errAsync(errorOf(problem))));

/**
 * Refuses, before anything runs, what the CLI would refuse after it started. The first problem
 * found (in the order: binary, working directory, additional directories, input) is the error.
 * Paths name the option as decoding does: `threadOptions.additionalDirectories[1]`, `input[1].path`.
 */
export const preflight = (request: PreflightRequest): ResultAsync<void, TurnError> => {
  const { thread, input, prompt, binary } = request;
  if (prompt.trim() === "")
    return errAsync(invalid("input", "the prompt is empty (the CLI runs no turn without one)"));
  const checks: Array<() => Promise<Problem>> = [];
  if (binary !== null) checks.push(() => checkExecutable(binary.path, binary.file));
  checks.push(...directoryChecks(thread.threadOptions));
  if (typeof input !== "string")
    input.forEach((part, i) => {
      if (part.type === "local_image")
        checks.push(() => checkReadable(`input[${i}].path`, part.path, "file"));
    });
  return firstProblem(checks);
};

/**
 * Refuses a thread whose folders the CLI would refuse (a working directory or an additional
 * directory that is missing, not a directory or not readable), as `preflight` does: for the
 * calls that take a thread but run no turn (`forkThread`).
 */
export const preflightDirectories = (
  threadOptions: Thread["threadOptions"],
): ResultAsync<void, BinaryProblem> => firstProblem(directoryChecks(threadOptions));

/**
 * The binary a call will spawn when it was given as a path, and where: the options'
 * `codexPathOverride` wins over `deps.codexPath`; null when neither was given (the bundled one).
 */
export const givenBinary = (
  codexPathOverride: string | undefined,
  codexPath: string | undefined,
): { readonly path: string; readonly file: string } | null =>
  codexPathOverride !== undefined
    ? { path: "codexOptions.codexPathOverride", file: codexPathOverride }
    : codexPath !== undefined
      ? { path: "deps.codexPath", file: codexPath }
      : null;

/**
 * Refuses, before it is spawned, a binary that cannot be run: the same check (and the same
 * typed error at the same path) as a turn's, for the calls that run the CLI on their own (the
 * lifecycle calls' CLI path, `openAppServer`). `binary.path` names where it was given; null
 * (the bundled binary) checks nothing.
 */
export const preflightBinary = (
  binary: { readonly path: string; readonly file: string } | null,
): ResultAsync<void, BinaryProblem> =>
  firstProblem(binary === null ? [] : [() => checkExecutable(binary.path, binary.file)]);
