/**
 * `resumeLast`: a Thread for the most recent session in the store (optionally the most recent
 * for a working directory), like `codex exec resume --last` — but with the session's position
 * bound into a fresh continuation token, so a later stale resume is caught.
 */
import { ResultAsync, errAsync } from "neverthrow";
import { buildEnv } from "../core/argv.js";
import { mintContinuationToken } from "../core/continuation.js";
import { parseWith } from "../core/errors/index.js";
import { snapshotOptions } from "../core/decoding/snapshot.js";
import type { ThreadError } from "../core/errors/index.js";
import { CodexOptions, type CodexOptionsInput, type ThreadOptionsInput } from "../core/options.js";
import type { SessionError } from "../core/errors/index.js";
import { resumeThread, type Thread } from "../core/thread.js";
import { lastSession } from "./sessions.js";

/** Where to look and how to sign: all optional. */
export interface ResumeLastOptions {
  /** Only sessions whose working directory is this one. */
  readonly cwd?: string;
  /** The store to read (wins over the thread's `env` and the process environment). */
  readonly codexHome?: string;
  /** Signs the continuation token. */
  readonly secret?: string;
}

/** Resumes the most recent session as a Thread value (no process is started). */
export const resumeLast = (
  codexOptions?: CodexOptionsInput,
  threadOptions?: ThreadOptionsInput,
  optionsArg: ResumeLastOptions = {},
): ResultAsync<Thread, ThreadError | SessionError> => {
  const taken = snapshotOptions<ResumeLastOptions>(optionsArg, "options");
  if (taken.isErr()) return errAsync(taken.error);
  const options: ResumeLastOptions = taken.value;
  const c = parseWith(
    CodexOptions,
    codexOptions ?? {},
    "codexOptions",
    "InvalidOptions",
    "invalid options",
  );
  if (c.isErr()) return errAsync(c.error);
  const env = c.value.env === undefined ? undefined : buildEnv(c.value, {}, []);
  return lastSession({
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    ...(options.codexHome !== undefined ? { codexHome: options.codexHome } : {}),
    ...(env !== undefined ? { env } : {}),
  }).andThen((s) =>
    s.completedTurns === null
      ? resumeThread(s.threadId, codexOptions, threadOptions)
      : mintContinuationToken(
          { threadId: s.threadId, lastTurnId: s.lastTurnId, completedTurns: s.completedTurns },
          options.secret,
        ).andThen((token) =>
          resumeThread(s.threadId, codexOptions, threadOptions, { continuationToken: token }),
        ),
  );
};
