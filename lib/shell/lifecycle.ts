/**
 * The thread lifecycle — fork, archive, unarchive, delete, list, read, name — for both
 * transports. With an app-server transport (`deps.transport = server.transport`) each call is
 * one request on the shared server; otherwise the `codex` CLI is run: `codex exec fork <id>`
 * (with no prompt it forks and stops), `codex archive|unarchive <id>`, `codex delete --force
 * <id>`. What the CLI cannot do (list, read, name, fork through a turn) is `Unsupported`.
 * Every call validates its input first (ids with `parseThreadId`), never throws, maps
 * not-found and busy to `ThreadNotFound` / `ThreadBusy`, and reports a LifecycleEvent.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import * as t from "io-ts";
import { isLeft } from "fp-ts/lib/Either.js";
import { err, errAsync, ok, ResultAsync, type Result } from "neverthrow";
import { buildEnv, buildExecCommand, configArgs } from "../core/argv.js";
import { decodingError, type ShellError, type ThreadError } from "../core/errors.js";
import { decodeEventLine } from "../core/events.js";
import { checkedString, closed, decodeAll } from "../core/internal/decode.js";
import { parseWith } from "../core/internal/parse.js";
import { CodexOptions } from "../core/options.js";
import { emit, type LifecycleEvent, type TelemetrySink } from "../core/telemetry.js";
import { Thread, updateThread } from "../core/thread.js";
import { parseThreadId, type ThreadId } from "../core/thread-id.js";
import { unsupported, type TransportError } from "../core/transport-errors.js";
import { resolveCodexBinary, type CodexBinary } from "./codex-binary.js";
import { classifyExit, describeExit, secretsOf, spawnCli } from "./process/index.js";
import {
  archiveOnServer,
  deleteOnServer,
  forkOnServer,
  listOnServer,
  nameOnServer,
  readOnServer,
  unarchiveOnServer,
} from "./app-server/lifecycle.js";
import type { Link } from "./app-server/link.js";
import type { ThreadPage, ThreadRecord } from "./app-server/summary.js";
import { linkSourceOf } from "./app-server/transport.js";
import { resolveCodexHome } from "./sessions.js";
import type { Transport } from "./transport.js";

/** Every error a lifecycle call returns. */
export type LifecycleError =
  | TransportError
  | Extract<ThreadError, { readonly _tag: "InvalidThreadId" | "InvalidOptions" }>
  | Extract<ShellError, { readonly _tag: "ExecFailed" }>;

/** The telemetry a lifecycle call reports: one `TelemetryEvent` of this shape per call. */
export { LifecycleEvent } from "../core/telemetry.js";

/** The effects of a lifecycle call, all optional. */
export interface LifecycleDeps {
  /** An app-server transport (`server.transport`): calls go to that server. Else the CLI. */
  readonly transport?: Transport;
  /** Client options for the CLI path (env, API key, config, binary); `forkThread` uses the thread's. */
  readonly codexOptions?: unknown;
  /** The codex binary for the CLI path (loses to `codexPathOverride`). */
  readonly codexPath?: string;
  /** The environment inherited when the options have no `env` (default: process.env). */
  readonly processEnv?: Readonly<Record<string, string | undefined>>;
  /** Receives one LifecycleEvent per call (a sink throwing is ignored). */
  readonly sink?: TelemetrySink;
  /** The clock for telemetry timestamps (default: the system clock). */
  readonly now?: () => Date;
  /** The longest a CLI call may take, in ms (default 60 s). */
  readonly timeoutMs?: number;
}

/** What `forkThread` may be given. */
export interface ForkOptions {
  /** Fork through this turn (inclusive); later turns are left out. App-server only. */
  readonly lastTurnId?: string;
}

/** What `readThread` may be given. */
export interface ReadOptions {
  /** Also return the turns and their items (default false). */
  readonly includeTurns?: boolean;
}

/** What `listThreads` filters on. */
export interface ListThreadsQuery {
  /** true: only archived threads; false or absent: only the others. */
  readonly archived?: boolean;
  /** Only threads whose working directory is exactly this. */
  readonly cwd?: string;
  /** A page's `nextCursor`, to read the next page. */
  readonly cursor?: string;
  /** The page size (1 to 1000; default: the server's). */
  readonly limit?: number;
  /** Only threads whose title contains this. */
  readonly searchTerm?: string;
}

const NonEmpty = checkedString<string>("string", (s) =>
  s.length === 0
    ? "must not be empty"
    : /[\u0000-\u001f\u007f]/.test(s)
      ? "must not contain control characters"
      : null,
);
const PageSize = new t.Type<number, number, unknown>(
  "PageSize",
  (u): u is number => typeof u === "number" && Number.isInteger(u) && u >= 1 && u <= 1000,
  (u, c) =>
    typeof u === "number" && Number.isInteger(u) && u >= 1 && u <= 1000
      ? t.success(u)
      : t.failure(u, c, "expected a whole number from 1 to 1000"),
  (a) => a,
);
const ForkOptionsCodec = closed("ForkOptions", {}, { lastTurnId: NonEmpty });
const ReadOptionsCodec = closed("ReadOptions", {}, { includeTurns: t.boolean });
const ListQueryCodec = closed(
  "ListThreadsQuery",
  {},
  { archived: t.boolean, cwd: NonEmpty, cursor: NonEmpty, limit: PageSize, searchTerm: t.string },
);
const ThreadName = checkedString<string>("name", (s) =>
  s.trim().length === 0
    ? "must not be blank"
    : s.length > 1024
      ? "must be at most 1024 characters"
      : null,
);

type Op = LifecycleEvent["name"];

const invalid = <A>(
  codec: t.Decoder<unknown, A>,
  u: unknown,
  root: string,
  what: string,
): Result<A, LifecycleError> =>
  parseWith(codec, u, root, "InvalidOptions", what).mapErr((e) => e as LifecycleError);

const threadIdOf = (u: unknown): Result<ThreadId, LifecycleError> =>
  parseThreadId(u).mapErr((e) => e as LifecycleError);

// ---------------------------------------------------------------------------------------------
// Which way a call goes

type Route =
  | { readonly kind: "app-server"; readonly link: Link }
  | { readonly kind: "exec" }
  | { readonly kind: "other"; readonly name: string };

const routeOf = (deps: LifecycleDeps): Result<Route, LifecycleError> => {
  const transport = deps.transport;
  if (transport === undefined || transport.kind === "exec") return ok({ kind: "exec" });
  const source = linkSourceOf(transport);
  if (source === null) return ok({ kind: "other", name: transport.kind });
  return source().map((link) => ({ kind: "app-server" as const, link }));
};

const kindOf = (deps: LifecycleDeps): string => deps.transport?.kind ?? "exec";

/** Times `run`, reports the LifecycleEvent, and turns anything thrown into an error value. */
const observed = <A>(
  op: Op,
  threadId: string | null,
  deps: LifecycleDeps,
  run: () => ResultAsync<A, LifecycleError>,
  forkedId: (a: A) => string | null = () => null,
): ResultAsync<A, LifecycleError> => {
  const started = performance.now();
  const report = (r: Result<A, LifecycleError>) => {
    const sink = deps.sink;
    if (sink === undefined) return;
    let timestamp: string | null = null;
    try {
      timestamp = (deps.now ?? (() => new Date()))().toISOString();
    } catch {
      timestamp = null;
    }
    const event: LifecycleEvent = {
      name: op,
      timestamp,
      threadId,
      forkedThreadId: r.isOk() ? forkedId(r.value) : null,
      transport: kindOf(deps),
      durationMs: Math.round(performance.now() - started),
      outcome: r.isOk() ? "ok" : "error",
      errorTag: r.isErr() ? r.error._tag : null,
    };
    emit(sink, event); // a broken sink must not break the caller
  };
  let attempt: ResultAsync<A, LifecycleError>;
  try {
    attempt = run();
  } catch (e) {
    attempt = errAsync(unexpected(e));
  }
  const settled: Promise<Result<A, LifecycleError>> = Promise.resolve(attempt).then(
    (r) => r,
    (e: unknown) => err<A, LifecycleError>(unexpected(e)),
  );
  return new ResultAsync(settled)
    .map((a) => {
      report(ok(a));
      return a;
    })
    .mapErr((e) => {
      report(err(e));
      return e;
    });
};

const unexpected = (e: unknown): LifecycleError => ({
  _tag: "SpawnFailed",
  path: "codex",
  message: `unexpected failure: ${e instanceof Error ? e.message : String(e)}`,
});

// ---------------------------------------------------------------------------------------------
// The CLI path

interface CliRun {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const OUTPUT_CAP = 1024 * 1024;

/** Runs the CLI once with empty stdin; output capped, stopped (politely) at the time-out. */
const runCli = (
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
  if (spawned.isErr()) return Promise.resolve(err(spawned.error as LifecycleError));
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
    if (end.spawnError !== null) return err(end.spawnError as LifecycleError);
    if (timedOut)
      return err({
        _tag: "TimedOut",
        path: "deps.timeoutMs",
        message: `codex ${args[0] ?? ""} took longer than ${timeoutMs} ms and was stopped`,
        timeoutMs,
      });
    return ok({ exitCode: end.exitCode, signal: end.signal, stdout, stderr: end.stderrTail });
  });
};

interface CliContext {
  readonly binary: CodexBinary;
  readonly options: CodexOptions;
  readonly env: Readonly<Record<string, string>>;
  readonly secrets: readonly string[];
}

const cliContext = (
  codexOptions: unknown,
  deps: LifecycleDeps,
): Result<CliContext, LifecycleError> => {
  const o = decodeAll(CodexOptions, codexOptions ?? {}, "codexOptions");
  if (isLeft(o))
    return err(
      decodingError(
        "InvalidOptions",
        o.left[0]?.path ?? "codexOptions",
        "invalid options",
        o.left,
      ) as LifecycleError,
    );
  const options = o.right;
  const binary = resolveCodexBinary(options.codexPathOverride ?? deps.codexPath);
  if (binary.isErr()) return err(binary.error as LifecycleError);
  const env = buildEnv(options, deps.processEnv ?? process.env, binary.value.pathDirs);
  return ok({
    binary: binary.value,
    options,
    env,
    secrets: secretsOf(env, options),
  });
};

/** True when the store under the CLI's CODEX_HOME holds a rollout of `threadId` in `folders`. */
const storeHolds = async (
  ctx: CliContext,
  threadId: string,
  folders: readonly string[],
): Promise<boolean> => {
  const home = resolveCodexHome({ env: ctx.env });
  for (const f of folders) {
    const names = await readdir(join(home, f), { recursive: true }).catch(() => [] as string[]);
    if (names.some((n) => String(n).endsWith(`${threadId}.jsonl`))) return true;
  }
  return false;
};

const cliFailure = async (
  ctx: CliContext,
  command: string,
  r: CliRun,
  threadId: string,
  folders: readonly string[],
): Promise<LifecycleError> => {
  const stderr = r.stderr; // redacted by the runner
  const classified = classifyExit(r, stderr, threadId, command);
  if (classified !== null && classified._tag !== "ExecFailed") return classified as LifecycleError;
  // The CLI says only "failed to <op> session": a thread the store does not hold is not found.
  if (
    /no active or archived session found/i.test(stderr) ||
    !(await storeHolds(ctx, threadId, folders))
  )
    return {
      _tag: "ThreadNotFound",
      path: "threadId",
      message: `no session found for thread ${threadId}`,
      threadId,
    };
  return (
    classified ?? {
      _tag: "ExecFailed",
      path: "codex",
      message: `codex ${command} exited with ${describeExit(r)}`,
      exitCode: r.exitCode,
      signal: r.signal,
      stderrTail: stderr.slice(-16 * 1024),
    }
  );
};

const cliThreadCommand = (
  command: "archive" | "unarchive" | "delete",
  threadId: ThreadId,
  deps: LifecycleDeps,
): ResultAsync<void, LifecycleError> => {
  const ctx = cliContext(deps.codexOptions, deps);
  if (ctx.isErr()) return errAsync(ctx.error);
  const c = ctx.value;
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
    runCli(c, args, c.env, deps.timeoutMs ?? DEFAULT_TIMEOUT_MS).then(async (r) => {
      if (r.isErr()) return err(r.error);
      if (r.value.exitCode === 0) return ok(undefined);
      return err(await cliFailure(c, command, r.value, threadId, folders));
    }),
  );
};

const cliFork = (
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
const updateFork = (thread: Thread, forkId: ThreadId): Thread =>
  updateThread(thread, { threadId: forkId, continuationToken: null, metadata: null });

// ---------------------------------------------------------------------------------------------
// The public calls

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
  const parent = decodeAll(Thread, thread, "thread");
  if (isLeft(parent))
    return errAsync(
      decodingError(
        "InvalidOptions",
        parent.left[0]?.path ?? "thread",
        "not a Thread",
        parent.left,
      ) as LifecycleError,
    );
  const id = threadIdOf(thread.threadId);
  if (id.isErr() || thread.threadId === null)
    return errAsync({
      _tag: "InvalidThreadId",
      path: "thread.threadId",
      message: "only a thread that has started (it has an id) can be forked",
      issues: [{ path: "thread.threadId", message: "expected a thread id, got null" }],
    });
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
          return errAsync(unsupported("forkThread", route.name, "it has no server to ask"));
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

const simple =
  (
    op: Op,
    command: "archive" | "unarchive" | "delete",
    onServer: (link: Link, id: string) => ResultAsync<void, TransportError>,
  ) =>
  (threadId: unknown, deps: LifecycleDeps = {}): ResultAsync<void, LifecycleError> => {
    const id = threadIdOf(threadId);
    if (id.isErr()) return errAsync(id.error);
    return observed(op, id.value, deps ?? {}, () =>
      routeOf(deps ?? {}).asyncAndThen((route): ResultAsync<void, LifecycleError> =>
        route.kind === "app-server"
          ? onServer(route.link, id.value)
          : route.kind === "other"
            ? errAsync(unsupported(`${command}Thread`, route.name, "it has no server to ask"))
            : cliThreadCommand(command, id.value, deps ?? {}),
      ),
    );
  };

/** Archives a thread: it leaves `listThreads()` and shows in `listThreads({ archived: true })`. */
export const archiveThread = simple("codex.thread.archive", "archive", archiveOnServer);

/** Brings an archived thread back. */
export const unarchiveThread = simple("codex.thread.unarchive", "unarchive", unarchiveOnServer);

/** Deletes a thread for good (a thread whose forks still reference it cannot be deleted). */
export const deleteThread = simple("codex.thread.delete", "delete", deleteOnServer);

const serverOnly = <A>(
  operation: string,
  deps: LifecycleDeps,
  run: (link: Link) => ResultAsync<A, TransportError>,
): ResultAsync<A, LifecycleError> =>
  routeOf(deps).asyncAndThen((route): ResultAsync<A, LifecycleError> =>
    route.kind === "app-server"
      ? run(route.link)
      : errAsync(
          unsupported(
            operation,
            route.kind === "exec" ? "exec" : route.name,
            "the codex CLI has no command for it; open an app-server (openAppServer) or read the session store (listSessions)",
          ),
        ),
  );

/** One page of stored threads, newest first, and the cursor of the next. App-server only. */
export const listThreads = (
  query: ListThreadsQuery = {},
  deps: LifecycleDeps = {},
): ResultAsync<ThreadPage, LifecycleError> => {
  const q = invalid(ListQueryCodec, query ?? {}, "query", "invalid list query");
  if (q.isErr()) return errAsync(q.error);
  return observed("codex.thread.list", null, deps ?? {}, () =>
    serverOnly("listThreads", deps ?? {}, (link) => listOnServer(link, q.value)),
  );
};

/** A stored thread (and its turns with `includeTurns`). App-server only. */
export const readThread = (
  threadId: unknown,
  options: ReadOptions = {},
  deps: LifecycleDeps = {},
): ResultAsync<ThreadRecord, LifecycleError> => {
  const id = threadIdOf(threadId);
  if (id.isErr()) return errAsync(id.error);
  const o = invalid(ReadOptionsCodec, options ?? {}, "options", "invalid read options");
  if (o.isErr()) return errAsync(o.error);
  return observed("codex.thread.read", id.value, deps ?? {}, () =>
    serverOnly("readThread", deps ?? {}, (link) =>
      readOnServer(link, id.value, o.value.includeTurns === true),
    ),
  );
};

/** Names a thread (what `listThreads` shows as `name`). App-server only. */
export const setThreadName = (
  threadId: unknown,
  name: unknown,
  deps: LifecycleDeps = {},
): ResultAsync<void, LifecycleError> => {
  const id = threadIdOf(threadId);
  if (id.isErr()) return errAsync(id.error);
  const n = invalid(ThreadName, name, "name", "invalid thread name");
  if (n.isErr()) return errAsync(n.error);
  return observed("codex.thread.name", id.value, deps ?? {}, () =>
    serverOnly("setThreadName", deps ?? {}, (link) => nameOnServer(link, id.value, n.value)),
  );
};
