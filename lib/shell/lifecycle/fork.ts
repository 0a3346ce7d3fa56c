/**
 * `forkThread`: one request on the app-server, or `codex exec fork <id>` with no prompt. Either
 * way the fork is a first-class Thread: its usage baseline and position read from the rollouts
 * (`../fork-facts.ts`), and a continuation token for that position.
 */
import { err, errAsync, ResultAsync, type Result } from "neverthrow";
import { buildExecCommand } from "../../core/argv.js";
import { decodingError, invalidAt, unsupported } from "../../core/errors/index.js";
import { decodeEventLine } from "../../core/events.js";
import { forkedThread } from "../../core/fork.js";
import { validateResume } from "../../core/resume-validator.js";
import { takeThread, type Thread } from "../../core/thread.js";
import type { ThreadId } from "../../core/thread-id.js";
import { forkOnServer } from "../app-server/lifecycle.js";
import { readForkFacts, type LocateRollout } from "../fork-facts.js";
import { preflightDirectories } from "../preflight.js";
import { findSession } from "../sessions.js";
import { cliContext, cliFailure, runCli } from "./cli.js";
import { takeLifecycleDeps, type TakenDeps } from "./deps.js";
import { ForkOptionsCodec, invalid, threadIdOf } from "./inputs.js";
import { NO_SERVER, observed, routeOf } from "./route.js";
import type { ForkError, ForkOptions, LifecycleDeps, LifecycleError } from "./types.js";

/**
 * Forks through the CLI: `codex exec … fork <id>` with no prompt; the fork's id from its
 * `thread.started`. `thread` is the decoded parent (never the caller's object), `deps` as read once.
 */
export const cliFork = (
  thread: Thread,
  threadId: ThreadId,
  deps: TakenDeps,
): ResultAsync<Thread, LifecycleError> =>
  cliContext(thread.codexOptions, deps).andThen((c) => {
    const command = buildExecCommand({
      codexOptions: thread.codexOptions,
      threadOptions: thread.threadOptions,
      threadId: null,
      input: { prompt: "", images: [] },
      turnOptions: {},
      outputSchemaFile: null,
      processEnv: deps.processEnv ?? process.env,
      pathDirs: c.binary.pathDirs,
    });
    return new ResultAsync(
      runCli(c, [...command.args, "fork", threadId], command.env, deps.timeoutMs).then(
        async (r): Promise<Result<Thread, LifecycleError>> => {
          if (r.isErr()) return err(r.error);
          const started = r.value.stdout
            .split("\n")
            .map((l) => (l.trim() === "" ? null : decodeEventLine(l)))
            .flatMap((e) =>
              e !== null && e.isOk() && e.value.type === "thread.started"
                ? [e.value.thread_id]
                : [],
            )[0];
          if (r.value.exitCode !== 0 || started === undefined)
            return err(
              await cliFailure(c, "exec fork", r.value, threadId, [
                "sessions",
                "archived_sessions",
              ]),
            );
          const forkId = threadIdOf(started, "thread.started.thread_id");
          if (forkId.isErr()) return err(forkId.error);
          // The store the CLI wrote to: the one its environment names.
          const locate: LocateRollout = (id) =>
            findSession(id, { env: c.env, scan: "tail" }).match(
              (s) => s.path,
              () => null,
            );
          const facts = await readForkFacts(
            await locate(forkId.value),
            locate,
            thread.cumulativeUsage ?? null, // a whole-thread fork: its history is the parent's
          );
          return forkedThread(thread, forkId.value, facts, deps.secret).mapErr(
            (e): LifecycleError =>
              decodingError(
                "InvalidThreadId",
                "thread.started.thread_id",
                `the fork cannot be a Thread: ${e.message}`,
                "issues" in e ? e.issues : [],
              ),
          );
        },
      ),
    );
  });

/**
 * Forks `thread` into a new thread whose history is the parent's (through `lastTurnId` when
 * given — app-server only); the parent is untouched. Returns the new Thread value: the same
 * options, the fork's id, the usage of its history (so its first turn reports its own usage)
 * and a continuation token for its position, signed with `deps.secret` when given (so its first
 * turn is validated like any other). The parent's own token is checked first, under the same
 * policy as a turn (`deps.secret`, `acceptLegacyTokens`, `requireToken`): a refused one is a
 * `ContinuationMismatch` and nothing is forked. So are the parent's folders, as a turn checks
 * them (`InvalidOptions` at `threadOptions.workingDirectory` …). The thread, the options and the deps are each read once;
 * only what was decoded is used (sent to the server, or put in the CLI's argv). Never throws.
 */
export const forkThread = (
  thread: Thread,
  options: ForkOptions = {},
  deps: LifecycleDeps = {},
): ResultAsync<Thread, ForkError> => {
  const taken = takeLifecycleDeps(deps);
  if (taken.isErr()) return errAsync(taken.error);
  const d = taken.value;
  const decoded = takeThread(thread, "thread", d.limits);
  if (decoded.isErr()) return errAsync(decoded.error);
  const parent = decoded.value;
  if (parent.threadId === null)
    return errAsync(
      invalidAt(
        "InvalidThreadId",
        "thread.threadId",
        "only a thread that has started (it has an id) can be forked",
        "expected a thread id, got null",
      ),
    );
  const threadId = parent.threadId;
  // The parent's token under the turn's policy, as a turn on it would check it: a thread whose
  // token is refused cannot be forked into one with a fresh, valid token. (What the fork holds
  // is read from the stored history, so no observation of the session is needed.)
  if (parent.continuationToken !== null || d.requireToken) {
    const checked = validateResume(parent, undefined, {
      sink: d.sink ?? (() => undefined),
      ...(d.now !== undefined ? { now: d.now } : {}),
      ...(d.secret !== undefined ? { secret: d.secret } : {}),
      acceptLegacyTokens: d.acceptLegacyTokens,
      requireToken: d.requireToken,
    });
    if (checked.isErr()) return errAsync(checked.error);
  }
  const opts = invalid(
    ForkOptionsCodec,
    options ?? {},
    "options",
    "invalid fork options",
    d.limits,
  );
  if (opts.isErr()) return errAsync(opts.error);
  const lastTurnId = opts.value.lastTurnId;
  // The fork keeps the parent's folders: ones the CLI would refuse are refused now, at their
  // paths, as a turn refuses them (and before the CLI is spawned).
  return preflightDirectories(parent.threadOptions).andThen(() =>
    forkOn(parent, threadId, lastTurnId, d),
  );
};

/** The fork itself, on the route `d` gives (the server, or the CLI), reported as one event. */
const forkOn = (
  parent: Thread,
  threadId: ThreadId,
  lastTurnId: string | undefined,
  d: TakenDeps,
): ResultAsync<Thread, ForkError> =>
  observed(
    "codex.thread.fork",
    threadId,
    d,
    () =>
      routeOf(d).asyncAndThen((route): ResultAsync<Thread, LifecycleError> => {
        if (route.kind === "app-server")
          return forkOnServer(route.link, parent, threadId, lastTurnId, d.secret);
        if (route.kind === "other")
          return errAsync(unsupported("forkThread", route.name, NO_SERVER));
        if (lastTurnId !== undefined)
          return errAsync(
            unsupported(
              "forkThread with lastTurnId",
              "exec",
              "`codex exec fork` always forks the whole thread",
            ),
          );
        return cliFork(parent, threadId, d);
      }),
    (t) => t.threadId,
  );
