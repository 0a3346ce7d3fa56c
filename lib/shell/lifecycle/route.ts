/**
 * Which way a lifecycle call goes (the app-server it was given, the CLI, or a transport that
 * has neither), and the telemetry every call reports.
 */
import { err, errAsync, ok, ResultAsync, type Result } from "neverthrow";
import { emit, type LifecycleEvent, type TelemetrySink } from "../../core/telemetry.js";
import { CodexOptions } from "../../core/options.js";
import { isRecord } from "../../core/decoding/decode.js";
import type { Link } from "../app-server/link.js";
import type { LifecycleCapability } from "../transport.js";
import type { LifecycleDeps, LifecycleError } from "./types.js";
import { defect, invalidAt, parseWith } from "../../core/errors/index.js";

/** A lifecycle operation, as its telemetry names it. */
export type Op = LifecycleEvent["name"];

/** Where a call goes: the app-server's link, the CLI, or a transport that can do neither. */
export type Route =
  | { readonly kind: "app-server"; readonly link: Link }
  | { readonly kind: "exec" }
  | { readonly kind: "other"; readonly name: string };

/** The lifecycle capability `u` carries (a transport's own `lifecycle`), or null. */
const capabilityOf = (u: unknown): LifecycleCapability | null => {
  const cap = isRecord(u) ? u["lifecycle"] : undefined;
  return isCapability(cap) ? cap : null;
};

/** A lifecycle capability: an object with a `link` function. */
const isCapability = (u: unknown): u is LifecycleCapability =>
  isRecord(u) && typeof u["link"] === "function";

const viaServer = (cap: LifecycleCapability): Result<Route, LifecycleError> =>
  cap.link().map((link) => ({ kind: "app-server" as const, link }));

/**
 * The route of a call from its deps: `deps.server`'s app-server, else the app-server a
 * transport carries, else the CLI for the exec transport (or none); any other transport is
 * `other` (its calls are `Unsupported`, naming `deps.server`).
 */
export const routeOf = (deps: LifecycleDeps): Result<Route, LifecycleError> => {
  // The client options are checked by every call, whichever way it goes (a bad API key is
  // InvalidApiKey here as everywhere).
  if (deps.codexOptions !== undefined) {
    const o = parseWith(
      CodexOptions,
      deps.codexOptions,
      "codexOptions",
      "InvalidOptions",
      "invalid options",
    );
    if (o.isErr()) return err(o.error);
  }
  const server: unknown = deps.server;
  if (server !== undefined) {
    const transport = isRecord(server) ? server["transport"] : undefined;
    const cap = capabilityOf(transport);
    if (cap === null)
      return err(
        invalidAt(
          "InvalidOptions",
          "deps.server",
          "invalid deps",
          "expected an AppServer (what openAppServer returns)",
        ),
      );
    return viaServer(cap);
  }
  const transport = deps.transport;
  if (transport === undefined || transport.kind === "exec") return ok({ kind: "exec" });
  const cap = capabilityOf(transport);
  if (cap === null) return ok({ kind: "other", name: transport.kind });
  return viaServer(cap);
};

/** Why a transport without an app-server cannot serve a call, and what to pass instead. */
export const NO_SERVER =
  "it carries no app-server; pass the server as deps.server (the AppServer openAppServer returns)";

/** The transport kind telemetry names (`exec` when none was given). */
export const kindOf = (deps: LifecycleDeps): string =>
  deps.server !== undefined ? "app-server" : (deps.transport?.kind ?? "exec");

/** The sink a call reports to: its own, else its server's default. */
const sinkOf = (deps: LifecycleDeps): TelemetrySink | undefined =>
  deps.sink ?? deps.server?.sink ?? undefined;

const DEPS_KEYS = [
  "sink",
  "now",
  "codexPath",
  "processEnv",
  "server",
  "transport",
  "codexOptions",
  "timeoutMs",
] as const;

/**
 * An `InvalidOptions` error when `deps` is not an object whose effects can be read (a getter or
 * a Proxy that throws), else null: checked before anything runs or is reported.
 */
const unreadableDeps = (deps: unknown): LifecycleError | null => {
  const bad = (message: string): LifecycleError => ({
    _tag: "InvalidOptions",
    path: "deps",
    message: `invalid lifecycle deps: deps: ${message}`,
    issues: [{ path: "deps", message }],
  });
  if (!isRecord(deps)) return bad("must be an object");
  try {
    for (const k of DEPS_KEYS) {
      const v = deps[k];
      // What a server is is checked where it is used (deps.server); here only that it reads.
      if (k === "server" && isRecord(v)) {
        void v["transport"];
        void v["sink"];
      }
    }
    return null;
  } catch {
    return bad("could not be read (a getter or a Proxy threw)");
  }
};

/** Times `run`, reports the LifecycleEvent, and turns anything thrown into an error value. */
export const observed = <A>(
  op: Op,
  threadId: string | null,
  deps: LifecycleDeps,
  run: () => ResultAsync<A, LifecycleError>,
  forkedId: (a: A) => string | null = () => null,
): ResultAsync<A, LifecycleError> => {
  const unreadable = unreadableDeps(deps);
  if (unreadable !== null) return errAsync(unreadable);
  const started = performance.now();
  const report = (r: Result<A, LifecycleError>) => {
    const sink = sinkOf(deps);
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

/** Something thrown, as an error value. */
export const unexpected = (e: unknown): LifecycleError => defect("lifecycle", e);
