/**
 * Which way a lifecycle call goes (the app-server it was given, the CLI, or a transport that
 * has neither), and the telemetry every call reports. Both work from the deps as read once
 * (`./deps.ts`), never from the caller's object.
 */
import { err, errAsync, ok, ResultAsync, type Result } from "neverthrow";
import { emit, type LifecycleEvent } from "../../core/telemetry.js";
import { CodexOptions } from "../../core/options.js";
import type { Link } from "../app-server/link.js";
import type { LifecycleError } from "./types.js";
import { defect, invalidAt, parseWith } from "../../core/errors/index.js";
import type { LinkOf, TakenDeps } from "./deps.js";

/** A lifecycle operation, as its telemetry names it. */
export type Op = LifecycleEvent["name"];

/**
 * Where a call goes: the app-server's link, the CLI (with the client options, decoded once),
 * or a transport that can do neither.
 */
export type Route =
  | { readonly kind: "app-server"; readonly link: Link }
  | { readonly kind: "exec"; readonly options: CodexOptions }
  | { readonly kind: "other"; readonly name: string };

const viaServer = (link: LinkOf): Result<Route, LifecycleError> =>
  link().map((l) => ({ kind: "app-server" as const, link: l }));

/**
 * The route of a call from its deps: `deps.server`'s app-server, else the app-server a
 * transport carries, else the CLI for the exec transport (or none); any other transport is
 * `other` (its calls are `Unsupported`, naming `deps.server`).
 */
export const routeOf = (deps: TakenDeps): Result<Route, LifecycleError> => {
  // The client options are checked by every call, whichever way it goes (a bad API key is
  // InvalidApiKey here as everywhere).
  const o = parseWith(
    CodexOptions,
    deps.codexOptions ?? {},
    "codexOptions",
    "InvalidOptions",
    "invalid options",
    deps.limits,
  );
  if (o.isErr()) return err(o.error);
  if (deps.server !== undefined) {
    if (deps.server.link === null)
      return err(
        invalidAt(
          "InvalidOptions",
          "deps.server",
          "invalid deps",
          "expected an AppServer (what openAppServer returns)",
        ),
      );
    return viaServer(deps.server.link);
  }
  const transport = deps.transport;
  if (transport === undefined || transport.kind === "exec")
    return ok({ kind: "exec", options: o.value });
  if (transport.link === null) return ok({ kind: "other", name: transport.kind });
  return viaServer(transport.link);
};

/** Why a transport without an app-server cannot serve a call, and what to pass instead. */
export const NO_SERVER =
  "it carries no app-server; pass the server as deps.server (the AppServer openAppServer returns)";

/** The transport kind telemetry names (`exec` when none was given). */
export const kindOf = (deps: TakenDeps): string =>
  deps.server !== undefined ? "app-server" : (deps.transport?.kind ?? "exec");

/** Times `run`, reports the LifecycleEvent, and turns anything thrown into an error value. */
export const observed = <A>(
  op: Op,
  threadId: string | null,
  deps: TakenDeps,
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

/** Something thrown, as an error value. */
export const unexpected = (e: unknown): LifecycleError => defect("lifecycle", e);
