/**
 * `resumeLast`: a Thread for the most recent session in the store (optionally the most recent
 * for a working directory), like `codex exec resume --last` — but with the session's position
 * bound into a fresh continuation token, so a later stale resume is caught.
 */
import { ResultAsync, errAsync } from "neverthrow";
import { buildEnv } from "../core/argv.js";
import { mintContinuationToken, type ContinuationToken } from "../core/continuation.js";
import { isSecretOrNone, SECRET_RULE } from "../core/effects.js";
import type { InputLimits } from "../core/limits.js";
import { takeOptions } from "./sessions/store.js";
import { invalidAt, parseWith } from "../core/errors/index.js";
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
  /** Signs the continuation token: a non-empty string. */
  readonly secret?: string;
  /** The bounds of the arguments (see `InputLimits`); the defaults when absent. */
  readonly limits?: InputLimits;
}

/**
 * Resumes the most recent session as a Thread value (no process is started). Every argument is
 * read once, up front, and checked before the store is read: a bad `secret` is `InvalidOptions`
 * at `options.secret`, not a late token error.
 */
export const resumeLast = (
  codexOptions?: CodexOptionsInput,
  threadOptions?: ThreadOptionsInput,
  optionsArg: ResumeLastOptions = {},
): ResultAsync<Thread, ThreadError | SessionError> => {
  const taken = takeOptions<ResumeLastOptions>(optionsArg, "options");
  if (taken.isErr()) return errAsync(taken.error);
  const { options, limits } = taken.value;
  if (!isSecretOrNone(options.secret))
    return errAsync(invalidAt("InvalidOptions", "options.secret", "invalid options", SECRET_RULE));
  // The thread's options, read once: the same copies pick the store and build the Thread.
  const client = snapshotOptions<CodexOptionsInput>(codexOptions, "codexOptions");
  if (client.isErr()) return errAsync(client.error);
  const thread = snapshotOptions<ThreadOptionsInput>(threadOptions, "threadOptions");
  if (thread.isErr()) return errAsync(thread.error);
  const c = parseWith(
    CodexOptions,
    client.value,
    "codexOptions",
    "InvalidOptions",
    "invalid options",
  );
  if (c.isErr()) return errAsync(c.error);
  const env = c.value.env === undefined ? undefined : buildEnv(c.value, {}, []);
  const resume = (threadId: string, continuationToken?: ContinuationToken) =>
    resumeThread(
      threadId,
      client.value,
      thread.value,
      continuationToken === undefined ? {} : { continuationToken },
      limits,
    );
  return lastSession({
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    ...(options.codexHome !== undefined ? { codexHome: options.codexHome } : {}),
    ...(env !== undefined ? { env } : {}),
    limits,
  }).andThen((s) =>
    s.completedTurns === null
      ? resume(s.threadId)
      : mintContinuationToken(
          { threadId: s.threadId, lastTurnId: s.lastTurnId, completedTurns: s.completedTurns },
          options.secret,
        ).andThen((token) => resume(s.threadId, token)),
  );
};
