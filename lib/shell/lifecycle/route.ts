/**
 * Which way a lifecycle call goes (the app-server it was given, the CLI, or a transport that
 * has neither), and the telemetry every call reports.
 */
import { err, errAsync, ok, ResultAsync, type Result } from "neverthrow";
import { emit, type LifecycleEvent } from "../../core/telemetry.js";
import type { Link } from "../app-server/link.js";
import { linkSourceOf } from "../app-server/transport.js";
import type { LifecycleDeps, LifecycleError } from "./types.js";

/** A lifecycle operation, as its telemetry names it. */
export type Op = LifecycleEvent["name"];

/** Where a call goes: the app-server's link, the CLI, or a transport that can do neither. */
export type Route =
  | { readonly kind: "app-server"; readonly link: Link }
  | { readonly kind: "exec" }
  | { readonly kind: "other"; readonly name: string };

/** The route of a call from its deps (a transport without a server is `other`). */
export const routeOf = (deps: LifecycleDeps): Result<Route, LifecycleError> => {
  const transport = deps.transport;
  if (transport === undefined || transport.kind === "exec") return ok({ kind: "exec" });
  const source = linkSourceOf(transport);
  if (source === null) return ok({ kind: "other", name: transport.kind });
  return source().map((link) => ({ kind: "app-server" as const, link }));
};

/** The transport kind telemetry names (`exec` when none was given). */
export const kindOf = (deps: LifecycleDeps): string => deps.transport?.kind ?? "exec";

/** Times `run`, reports the LifecycleEvent, and turns anything thrown into an error value. */
export const observed = <A>(
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

/** Something thrown, as an error value. */
export const unexpected = (e: unknown): LifecycleError => ({
  _tag: "SpawnFailed",
  path: "codex",
  message: `unexpected failure: ${e instanceof Error ? e.message : String(e)}`,
});
