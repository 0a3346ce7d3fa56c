/** `forkThread`: one request on the app-server, or `codex exec fork <id>` with no prompt. */
import { err, errAsync, ok, ResultAsync, type Result } from "neverthrow";
import { buildExecCommand } from "../../core/argv.js";
import { invalidAt, parseThreadArg, unsupported } from "../../core/errors/index.js";
import { decodeEventLine } from "../../core/events.js";
import { Thread, updateThread } from "../../core/thread.js";
import { parseThreadId, type ThreadId } from "../../core/thread-id.js";
import { forkOnServer } from "../app-server/lifecycle.js";
import { cliContext, cliFailure, DEFAULT_TIMEOUT_MS, runCli } from "./cli.js";
import { ForkOptionsCodec, invalid, threadIdOf } from "./inputs.js";
import { NO_SERVER, observed, routeOf } from "./route.js";
import type { ForkOptions, LifecycleDeps, LifecycleError } from "./types.js";

/** Forks through the CLI: `codex exec … fork <id>` with no prompt; the fork's id from its `thread.started`. */
export const cliFork = (
  thread: Thread,
  threadId: ThreadId,
  deps: LifecycleDeps,
): ResultAsync<Thread, LifecycleError> => {
  const ctx = cliContext(thread.codexOptions, deps);
  if (ctx.isErr()) return errAsync(ctx.error);
  const c = ctx.value;
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
    runCli(
      c,
      [...command.args, "fork", threadId],
      command.env,
      deps.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ).then(async (r): Promise<Result<Thread, LifecycleError>> => {
      if (r.isErr()) return err(r.error);
      const started = r.value.stdout
        .split("\n")
        .map((l) => (l.trim() === "" ? null : decodeEventLine(l)))
        .flatMap((e) =>
          e !== null && e.isOk() && e.value.type === "thread.started" ? [e.value.thread_id] : [],
        )[0];
      if (r.value.exitCode !== 0 || started === undefined)
        return err(
          await cliFailure(c, "exec fork", r.value, threadId, ["sessions", "archived_sessions"]),
        );
      const forkId = parseThreadId(started, "thread.started.thread_id");
      if (forkId.isErr()) return err(forkId.error as LifecycleError);
      return ok(updateFork(thread, forkId.value));
    }),
  );
};

/** The fork as a Thread value: the parent's options and usage, the fork's id, no token. */
export const updateFork = (thread: Thread, forkId: ThreadId): Thread =>
  updateThread(thread, { threadId: forkId, continuationToken: null, metadata: null });

/**
 * Forks `thread` into a new thread whose history is the parent's (through `lastTurnId` when
 * given — app-server only); the parent is untouched. Returns the new Thread value (same
 * options, the fork's id, no continuation token). Never throws.
 */
export const forkThread = (
  thread: Thread,
  options: ForkOptions = {},
  deps: LifecycleDeps = {},
): ResultAsync<Thread, LifecycleError> => {
  const parent = parseThreadArg(Thread, thread);
  if (parent.isErr()) return errAsync(parent.error);
  const id = threadIdOf(thread.threadId);
  if (id.isErr() || thread.threadId === null)
    return errAsync(
      invalidAt(
        "InvalidThreadId",
        "thread.threadId",
        "only a thread that has started (it has an id) can be forked",
        "expected a thread id, got null",
      ),
    );
  const opts = invalid(ForkOptionsCodec, options ?? {}, "options", "invalid fork options");
  if (opts.isErr()) return errAsync(opts.error);
  const threadId = id.value;
  const lastTurnId = opts.value.lastTurnId;
  return observed(
    "codex.thread.fork",
    threadId,
    deps,
    () =>
      routeOf(deps).asyncAndThen((route): ResultAsync<Thread, LifecycleError> => {
        if (route.kind === "app-server")
          return forkOnServer(route.link, thread, threadId, lastTurnId);
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
        return cliFork(thread, threadId, deps);
      }),
    (t) => t.threadId,
  );
};
