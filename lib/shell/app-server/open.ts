/**
 * `openAppServer`: spawns one `codex app-server` — the same binary resolution, `--config`
 * flattening, environment isolation and API-key handling as the exec transport — performs the
 * `initialize` / `initialized` handshake, and hands back its Transport. Many threads share the
 * one process. If it dies, pending calls fail with `TransportClosed` and `reopen()` starts a
 * fresh one; `close()` ends it (its whole process group). The process runner (../process)
 * spawns it and kills it, with its group, when the host exits or dies of a signal; a host
 * killed outright (SIGKILL) closes its stdin, and the server exits on its own.
 */
import { err, errAsync, ok, okAsync, ResultAsync, type Result } from "neverthrow";
import { buildEnv, configArgs, ORIGINATOR } from "../../core/argv.js";
import { defect, parseWith, spawnFailed, timedOut } from "../../core/errors/index.js";
import type { ResolvedInputLimits } from "../../core/limits.js";
import { badDeps, checkEffects, readFields } from "../deps.js";
import { CodexOptions, type CodexOptionsInput } from "../../core/options.js";
import type { Effects } from "../../core/effects.js";
import type { TelemetrySink } from "../../core/telemetry.js";
import { transportClosed, type TransportError } from "../../core/errors/index.js";
import { resolveCodexBinary, type CodexBinary } from "../codex-binary.js";
import { givenBinary, preflightBinary } from "../preflight.js";
import { secretsOf, spawnCli, type CliChild } from "../process/index.js";
import type { Transport } from "../transport.js";
import { createLink, type Link } from "./link.js";
import type { RpcResult } from "./protocol.js";
import type * as Rpc from "./rpc.js";
import { appServerTransport } from "./transport.js";

/**
 * The effects and limits of an app-server, all optional (the shared ones are documented on
 * `Effects`; the sink is the default of lifecycle calls given this server as `deps.server`).
 */
export interface AppServerDeps extends Pick<
  Effects,
  "codexPath" | "sink" | "processEnv" | "limits"
> {
  /** How long a request may wait for its answer (default 30 s). */
  readonly requestTimeoutMs?: number;
  /** The server's working directory (default: this process's). */
  readonly cwd?: string;
  /** The longest line accepted from the server, in bytes (default 64 MiB). */
  readonly maxLineBytes?: number;
  /** How long `close` waits for a clean exit before killing the server (default 2 s). */
  readonly closeGraceMs?: number;
}

/** What the server said about itself at `initialize`. */
export type ServerInfo = RpcResult<"initialize">;

/** A running `codex app-server` and the Transport that runs turns through it. */
export interface AppServer {
  /** Pass as `deps.transport` to runTurn / runStreamed (and, or `deps.server`, the lifecycle calls). */
  readonly transport: Transport;
  /** The default sink given to `openAppServer`: lifecycle calls given `deps.server` report to it. */
  readonly sink: TelemetrySink | undefined;
  /** The server's process id while it runs, else null. */
  pid(): number | null;
  /** True while the server runs. */
  isOpen(): boolean;
  /** The server's `initialize` answer (its user agent, CODEX_HOME …), null when closed. */
  info(): ServerInfo | null;
  /** Closes the current server, if any, and starts a fresh one with the same options. */
  reopen(): ResultAsync<AppServer, TransportError>;
  /** Ends the server (stdin closed, then its process group killed after a grace period). */
  close(): ResultAsync<void, TransportError>;
}

/** What `openAppServer` reads of `deps`, in this order. */
const APP_SERVER_KEYS = [
  "codexPath",
  "sink",
  "processEnv",
  "limits",
  "requestTimeoutMs",
  "cwd",
  "maxLineBytes",
  "closeGraceMs",
] as const satisfies readonly (keyof AppServerDeps)[];

/** An app-server's deps as read once and checked. */
type TakenAppServerDeps = AppServerDeps & { readonly limits: ResolvedInputLimits };

/**
 * `deps` read once (see `readFields`) and checked: the shared fields by `checkEffects`, the
 * times and the line bound positive finite numbers and `cwd` a string, each when given.
 */
const takeAppServerDeps = (
  depsArg: AppServerDeps | null | undefined,
): Result<TakenAppServerDeps, TransportError> =>
  readFields(depsArg, APP_SERVER_KEYS).andThen((given) => {
    const { codexPath, sink, processEnv, limits, ...own } = given;
    const effects = checkEffects({ codexPath, sink, processEnv, limits });
    if (effects.isErr()) return err(effects.error);
    for (const key of ["requestTimeoutMs", "maxLineBytes", "closeGraceMs"] as const) {
      const v: unknown = own[key];
      if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v) || v <= 0))
        return err(badDeps(`deps.${key}`, "must be a positive finite number when given"));
    }
    const cwd: unknown = own.cwd;
    if (cwd !== undefined && typeof cwd !== "string")
      return err(badDeps("deps.cwd", "must be a string when given"));
    const e = effects.value;
    return ok({
      ...own,
      limits: e.limits,
      ...(e.codexPath !== undefined ? { codexPath: e.codexPath } : {}),
      ...(e.sink !== undefined ? { sink: e.sink } : {}),
      ...(e.processEnv !== undefined ? { processEnv: e.processEnv } : {}),
    });
  });

const DEFAULTS = {
  requestTimeoutMs: 30_000,
  maxLineBytes: 64 * 1024 * 1024,
  closeGraceMs: 2_000,
  stderrTailBytes: 16 * 1024,
} as const;

/** The client name reported at `initialize` (the originator the CLI records). */
export const CLIENT_INFO = { name: ORIGINATOR, title: "codex-fp", version: "0.1.0" } as const;

/** Notifications codex-fp never reads: the server is asked not to send them. */
export const OPTED_OUT_NOTIFICATIONS: readonly string[] = [
  "item/agentMessage/delta",
  "item/reasoning/summaryTextDelta",
  "item/reasoning/summaryPartAdded",
  "item/reasoning/textDelta",
  "item/commandExecution/outputDelta",
  "item/fileChange/outputDelta",
  "item/plan/delta",
  "thread/readState/changed",
  "account/rateLimits/updated",
  "remoteControl/status/changed",
  "configWarning",
  "deprecationNotice",
];

/** The app-server RPC client module (and the generated codecs it decodes with), loaded lazily. */
const loadRpc = (): ResultAsync<typeof Rpc, TransportError> =>
  ResultAsync.fromPromise(import("./rpc.js"), (e) => defect("openAppServer.loadClient", e));

interface Started {
  readonly link: Link;
  readonly info: ServerInfo;
  readonly child: CliChild;
}

/** Spawns one server and shakes hands; the child is killed when the handshake fails. */
const start = async (
  binary: CodexBinary,
  options: CodexOptions,
  deps: AppServerDeps,
): Promise<Result<Started, TransportError>> => {
  // The RPC client and the generated codecs load on the first open: `import("codex-fp")` never does.
  const loaded = await loadRpc();
  if (loaded.isErr()) return err(loaded.error);
  const { connect } = loaded.value;
  const env = buildEnv(options, deps.processEnv ?? process.env, binary.pathDirs);
  const secrets = secretsOf(env, options);
  const spawned = spawnCli({
    path: binary.path,
    args: ["app-server", ...configArgs(options)],
    env,
    secrets,
    stderrTailBytes: DEFAULTS.stderrTailBytes,
    ...(deps.cwd !== undefined ? { cwd: deps.cwd } : {}),
  });
  // (spawning fails only with SpawnFailed: spawn threw)
  if (spawned.isErr())
    return err(spawnFailed("codex", spawned.error.message.replace("codex", "codex app-server")));
  const child = spawned.value;
  const rpc = connect(child, {
    requestTimeoutMs: deps.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
    maxLineBytes: deps.maxLineBytes ?? DEFAULTS.maxLineBytes,
    secrets,
  });
  const link = createLink(rpc);
  const hello = await rpc.request("initialize", {
    clientInfo: CLIENT_INFO,
    capabilities: {
      experimentalApi: true,
      optOutNotificationMethods: [...OPTED_OUT_NOTIFICATIONS],
    },
  });
  if (hello.isErr()) {
    child.kill();
    // A server that exits before it answers could not be started; one that stays silent timed
    // out (with the limit it was given); an error answer stays what it is.
    const e = hello.error;
    const why = `codex app-server did not start: ${e.message}`;
    return err(
      e._tag === "TransportClosed"
        ? spawnFailed("codex", why)
        : e._tag === "TimedOut"
          ? timedOut(e.path, e.timeoutMs, why)
          : e,
    );
  }
  rpc.notify("initialized");
  return ok({ link, info: hello.value, child });
};

/**
 * Starts `codex app-server` with `codexOptions` (the same options as `startThread`'s first
 * argument) and returns its handle. Fails with `InvalidOptions` / `InvalidApiKey`,
 * `CodexNotFound`, `SpawnFailed` when the server exits before it answers `initialize`,
 * `TimedOut` when it does not answer in time, or `Defect` when the client cannot be loaded.
 * Never throws.
 */
export const openAppServer = (
  codexOptions?: CodexOptionsInput,
  depsArg: AppServerDeps = {},
): ResultAsync<AppServer, TransportError> => {
  // The deps read once, and their kinds checked before anything starts.
  const taken = takeAppServerDeps(depsArg);
  if (taken.isErr()) return errAsync(taken.error);
  const deps = taken.value;
  const decoded = parseWith(
    CodexOptions,
    codexOptions ?? {},
    "codexOptions",
    "InvalidOptions",
    "invalid options",
    deps.limits,
  );
  if (decoded.isErr()) return errAsync(decoded.error);
  const options = decoded.value;
  const given = givenBinary(options.codexPathOverride, deps.codexPath);
  // A given binary is checked as a turn checks it (missing, not a file, not executable), at
  // the path it was given at, before anything is spawned.
  return preflightBinary(given).andThen(() => {
    const binary = resolveCodexBinary(given?.file);
    return binary.isErr() ? errAsync(binary.error) : opened(binary.value, options, deps);
  });
};

/** The handle of an app-server on `binary`, started once before it is returned. */
const opened = (
  binary: CodexBinary,
  options: CodexOptions,
  d: TakenAppServerDeps,
): ResultAsync<AppServer, TransportError> => {
  let current: Started | null = null;
  let starting: Promise<Result<Started, TransportError>> | null = null;
  let closedByUser = false;

  const source = (): Result<Link, TransportError> => {
    if (current !== null && !current.link.rpc.isClosed()) return ok(current.link);
    return err(
      transportClosed(
        closedByUser
          ? "the app-server was closed; reopen it first"
          : starting !== null
            ? "the app-server is (re)starting"
            : "the app-server is not running (it exited); reopen it",
      ),
    );
  };

  const closeCurrent = async (): Promise<void> => {
    const c = current;
    current = null;
    if (c !== null) await c.link.rpc.close(d.closeGraceMs ?? DEFAULTS.closeGraceMs);
  };

  const launch = (): Promise<Result<Started, TransportError>> => {
    starting ??= (async () => {
      await closeCurrent();
      const r = await start(binary, options, d);
      if (r.isOk()) {
        current = r.value;
        closedByUser = false;
      }
      starting = null;
      return r;
    })();
    return starting;
  };

  const handle: AppServer = {
    transport: appServerTransport(source),
    sink: d.sink,
    pid: () => (current !== null && !current.link.rpc.isClosed() ? current.link.rpc.pid : null),
    isOpen: () => current !== null && !current.link.rpc.isClosed(),
    info: () => (current !== null && !current.link.rpc.isClosed() ? current.info : null),
    reopen: () => new ResultAsync(launch().then((r) => r.map(() => handle))),
    close: () => {
      closedByUser = true;
      return ResultAsync.fromSafePromise(
        (starting ?? Promise.resolve(null)).then(() => closeCurrent()),
      ).andThen(() => okAsync(undefined));
    },
  };
  return new ResultAsync(launch().then((r) => r.map(() => handle)));
};
