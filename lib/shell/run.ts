/**
 * Running a turn: validate → (resumed thread with a token) observe the session and run the
 * resume validator → start the transport → fold the events as they come → the new Thread and
 * the Turn. `runTurn` returns the outcome; `runStreamed` also streams the events.
 */
import { randomUUID } from "node:crypto";
import { ResultAsync, err, errAsync, ok, okAsync, type Result } from "neverthrow";
import type { ThreadEvent } from "../core/events.js";
import type { TurnError } from "../core/errors.js";
import {
  finishTurn,
  initialTurnState,
  stepTurn,
  type FinishContext,
  type TurnState,
} from "../core/fold.js";
import { Input, normalizeInput } from "../core/input.js";
import { snapshot } from "../core/internal/snapshot.js";
import { parseWith } from "../core/internal/parse.js";
import { TurnOptions } from "../core/options.js";
import { validateResume, type ObservedSession } from "../core/resume-validator.js";
import { emit, type TelemetrySink } from "../core/telemetry.js";
import { Thread } from "../core/thread.js";
import type { Turn } from "../core/turn.js";
import { createChannel } from "./internal/channel.js";
import { buildEnv } from "../core/argv.js";
import { observedFrom } from "../core/rollout.js";
import { findSession } from "./sessions.js";
import { execTransport } from "./exec-transport.js";
import { preflight } from "./preflight.js";
import type { CancelReason, Transport } from "./transport.js";

/** What a turn produced: the new Thread value (the old one is untouched) and the Turn. */
export interface TurnOutcome {
  readonly thread: Thread;
  readonly turn: Turn;
}

/** What the session store showed of a thread: its position and the metadata of its rollout. */
export interface SessionObservation {
  readonly observed: ObservedSession;
  readonly metadata?: FinishContext["metadata"];
  /** The last turn's own usage, as the session recorded it. */
  readonly turnUsage?: FinishContext["turnUsage"];
}

/**
 * Reads a thread's session (its rollout); null when there is none to read. `signal` aborts when
 * the turn is aborted or its deadline passes: the observer should stop (the turn does not wait).
 */
export type ObserveSession = (
  thread: Thread,
  opts?: { readonly signal?: AbortSignal },
) => Promise<SessionObservation | null>;

/** The effects a turn may use, all optional. */
export interface RunDeps {
  /** Where telemetry goes (default: nowhere). */
  readonly sink?: TelemetrySink;
  /** The codex binary (loses to the thread's `codexPathOverride`). */
  readonly codexPath?: string;
  /** How turns run (default: a `codex exec` per turn). */
  readonly transport?: Transport;
  /** The clock for telemetry timestamps (default: the system clock). */
  readonly now?: () => Date;
  /** Signs and verifies continuation tokens: a non-empty string (checked before anything runs). */
  readonly secret?: string;
  /**
   * With a `secret`, also accept legacy (opaque, unsigned) tokens of a legacy producer. Off by
   * default: with a secret, only tokens signed with it pass.
   */
  readonly acceptLegacyTokens?: boolean;
  /** Refuse to resume a thread that carries no continuation token. */
  readonly requireToken?: boolean;
  /** The longest output line accepted, in bytes (default 64 MiB). */
  readonly maxLineBytes?: number;
  /** Reads the session store before and after a turn; `false` turns observation off. */
  readonly observe?: ObserveSession | false;
}

/** A turn whose events can be read as they come. */
export interface StreamedTurn {
  /** The turn's events; never throws; leaving early aborts the turn. */
  readonly events: AsyncIterable<ThreadEvent>;
  /** The outcome, once the turn ends. */
  readonly outcome: ResultAsync<TurnOutcome, TurnError>;
}

const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * The default observer: the thread's rollout in the store the CLI uses (found from the
 * thread's `env` as the CLI would), scanned in full for its exact position; when it is not
 * there, `observed.missingFrom` names the store searched. Ephemeral threads have none.
 */
export const observeFromStore: ObserveSession = async (thread, opts = {}) => {
  if (thread.threadId === null || thread.threadOptions.ephemeral === true) return null;
  const env =
    thread.codexOptions.env === undefined ? undefined : buildEnv(thread.codexOptions, {}, []);
  const found = await findSession(thread.threadId, {
    ...(env !== undefined ? { env } : {}),
    scan: "full",
    ...(opts.signal !== undefined ? { signal: opts.signal } : {}),
  });
  if (found.isErr())
    // Not there (or the store cannot be read): say so, with the store searched.
    return found.error._tag === "SessionNotFound" || found.error._tag === "StoreUnreadable"
      ? { observed: { missingFrom: found.error.path } }
      : null;
  const s = found.value;
  return {
    observed: observedFrom(s),
    metadata: {
      origin: "rollout",
      threadId: s.threadId,
      createdAt: s.createdAt,
      cwd: s.cwd,
      originator: s.originator,
      cliVersion: s.cliVersion,
      source: null,
      modelProvider: s.modelProvider,
      labels: {},
      unknownKeys: [],
      extra: {},
    },
    ...(s.lastTurnUsage !== null ? { turnUsage: s.lastTurnUsage } : {}),
  };
};
const defaultObserve: ObserveSession = observeFromStore;

/** Observes, never rejecting, and giving up (null) as soon as `signal` aborts. */
const safeObserve = async (
  observe: ObserveSession | null,
  thread: Thread,
  signal?: AbortSignal,
): Promise<SessionObservation | null> => {
  if (observe === null || thread.threadId === null || signal?.aborted === true) return null;
  let onAbort = () => undefined as void;
  const gaveUp = new Promise<null>((res) => {
    onAbort = () => res(null);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([observe(thread, signal === undefined ? {} : { signal }), gaveUp]);
  } catch {
    return null;
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
};

const message = (e: TurnError): string => e.message;

/** The run's policy read from `deps` once, or the error of a bad value (never echoed). */
const readDeps = (
  deps: RunDeps,
): Result<{ secret?: string; acceptLegacyTokens: boolean; requireToken: boolean }, TurnError> => {
  const bad = (path: string, what: string): Result<never, TurnError> =>
    err({
      _tag: "InvalidOptions",
      path,
      message: `invalid run deps: ${path}: ${what}`,
      issues: [{ path, message: what }],
    });
  try {
    const secret: unknown = deps.secret;
    const legacy: unknown = deps.acceptLegacyTokens;
    const require: unknown = deps.requireToken;
    if (secret !== undefined && (typeof secret !== "string" || secret.length === 0))
      return bad("deps.secret", "must be a non-empty string when given");
    if (legacy !== undefined && typeof legacy !== "boolean")
      return bad("deps.acceptLegacyTokens", "must be a boolean when given");
    if (require !== undefined && typeof require !== "boolean")
      return bad("deps.requireToken", "must be a boolean when given");
    return ok({
      ...(secret !== undefined ? { secret } : {}),
      acceptLegacyTokens: legacy === true,
      requireToken: require === true,
    });
  } catch {
    return bad("deps", "could not be read");
  }
};

/** Whether a signal is aborted now (a call, so a check made before an await is not reused). */
const isAborted = (signal: AbortSignal | undefined): boolean => signal?.aborted === true;

/** `deps` read once, each field exactly once (a getter or a Proxy cannot answer twice). */
const takeDeps = (deps: RunDeps): Result<RunDeps, TurnError> => {
  if (deps === null || (typeof deps !== "object" && typeof deps !== "function")) return ok({});
  try {
    const d = deps as Record<keyof RunDeps, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of [
      "sink",
      "codexPath",
      "transport",
      "now",
      "secret",
      "acceptLegacyTokens",
      "requireToken",
      "maxLineBytes",
      "observe",
    ] as const) {
      const v = d[key];
      if (v !== undefined) out[key] = v;
    }
    return ok(out as RunDeps);
  } catch {
    return err({
      _tag: "InvalidOptions",
      path: "deps",
      message: "invalid run deps: deps: could not be read (a getter or a Proxy threw)",
      issues: [{ path: "deps", message: "could not be read (a getter or a Proxy threw)" }],
    });
  }
};

/** A snapshot of `u` (see `snapshot`), decoded with `codec`: the one value used from then on. */
const decodeSnapshot = <A>(
  codec: Parameters<typeof parseWith<A>>[0],
  u: unknown,
  root: string,
  what: string,
): Result<A, TurnError> => {
  const snap = snapshot(u, root);
  if (snap.isErr())
    return err({
      _tag: "InvalidOptions",
      path: snap.error.path,
      message: `${what}: ${snap.error.path}: ${snap.error.message}`,
      issues: [snap.error],
    });
  return parseWith(codec, snap.value, root, "InvalidOptions", what);
};

const start = (
  threadArg: Thread,
  inputArg: unknown,
  turnOptionsArg: unknown,
  depsArg: RunDeps,
  buffer: boolean,
): StreamedTurn => {
  // One correlation id per turn ties its events together (see TelemetryEvent).
  const correlationId = randomUUID();
  const taken = takeDeps(depsArg);
  const deps: RunDeps = taken.isOk() ? taken.value : {};
  const given = deps.sink;
  const sink: TelemetrySink | undefined =
    typeof given !== "function" ? undefined : (e) => given({ ...e, correlationId });
  const now = typeof deps.now === "function" ? deps.now : () => new Date();
  const stamp = () => {
    try {
      return now().toISOString();
    } catch {
      return null;
    }
  };
  const transport =
    deps.transport ??
    execTransport({ ...(deps.codexPath !== undefined ? { codexPath: deps.codexPath } : {}) });
  const observe = deps.observe === false ? null : (deps.observe ?? defaultObserve);
  let cancelRun: ((r: CancelReason) => void) | null = null;
  let consumerLeft = false;
  const out = createChannel<ThreadEvent>(() => {
    consumerLeft = true;
    cancelRun?.("consumer");
  }, buffer);

  const outcome = (async (): Promise<ResultAsync<TurnOutcome, TurnError>> => {
    // 1. Validate everything before any effect: each argument is read once, into a snapshot,
    // and only the decoded snapshot is used from here on.
    if (taken.isErr()) return errAsync(taken.error);
    const policy = readDeps(deps);
    if (policy.isErr()) return errAsync(policy.error);
    const { secret, acceptLegacyTokens, requireToken } = policy.value;
    const th = decodeSnapshot(Thread, threadArg, "thread", "not a Thread");
    if (th.isErr()) return errAsync(th.error);
    const thread = th.value;
    const opts = decodeSnapshot(
      TurnOptions,
      turnOptionsArg ?? {},
      "turnOptions",
      "invalid turn options",
    );
    if (opts.isErr()) return errAsync(opts.error);
    const turnOptions = opts.value;
    const decodedInput = decodeSnapshot(Input, inputArg, "input", "invalid input");
    if (decodedInput.isErr()) return errAsync(decodedInput.error);
    const normalized = normalizeInput(decodedInput.value);
    if (normalized.isErr()) return errAsync(normalized.error);
    // What the CLI would refuse after it started is refused now, before any process.
    if (transport.kind !== "replay") {
      const checked = await preflight({
        thread,
        input: decodedInput.value,
        prompt: normalized.value.prompt,
        // The binary the default exec transport spawns, when it is a given path.
        binary:
          deps.transport !== undefined
            ? null
            : thread.codexOptions.codexPathOverride !== undefined
              ? {
                  path: "codexOptions.codexPathOverride",
                  file: thread.codexOptions.codexPathOverride,
                }
              : typeof deps.codexPath === "string"
                ? { path: "deps.codexPath", file: deps.codexPath }
                : null,
      });
      if (checked.isErr()) return errAsync(checked.error);
    }
    const threadId = thread.threadId;
    const transportKind = transport.kind;
    // The turn's deadline counts from here; observing the session honours it and the abort.
    const turnBegan = performance.now();
    const deadline =
      turnOptions.timeoutMs !== undefined ? AbortSignal.timeout(turnOptions.timeoutMs) : undefined;
    const observing = AbortSignal.any(
      [turnOptions.signal, deadline].filter((x): x is AbortSignal => x !== undefined),
    );

    // 2. A resumed thread with a token: the session must be where the token says.
    if (threadId !== null && (thread.continuationToken !== null || requireToken)) {
      const seen = await safeObserve(observe, thread, observing);
      if (deadline?.aborted === true && turnOptions.signal?.aborted !== true)
        return errAsync({
          _tag: "TimedOut",
          path: "turnOptions.timeoutMs",
          message: `the turn took longer than ${turnOptions.timeoutMs ?? 0} ms (reading its session) and was stopped`,
          timeoutMs: turnOptions.timeoutMs ?? 0,
        });
      const v = validateResume({
        sink: sink ?? (() => undefined),
        now,
        acceptLegacyTokens,
        requireToken,
        ...(secret !== undefined ? { secret } : {}),
      })(thread, seen?.observed);
      if (v.isErr()) return errAsync(v.error);
    }
    if (turnOptions.signal?.aborted === true)
      return errAsync({
        _tag: "Aborted",
        path: "turnOptions.signal",
        message: "the turn was aborted before it started",
      });

    // 3. Run.
    const startedAt = performance.now();
    emit(sink, {
      name: "codex.turn.start",
      timestamp: stamp(),
      threadId,
      transport: transportKind,
      resumed: threadId !== null,
      model: thread.threadOptions.model ?? null,
    });
    /** The end of a started turn: an exception (when it failed), then the stop. */
    const reportEnd = (
      endThreadId: string | null,
      error: TurnError | null,
      usage: Turn["usage"] | null,
      exitCode: number | null,
    ): void => {
      if (error !== null)
        emit(sink, {
          name: "codex.turn.exception",
          timestamp: stamp(),
          threadId: endThreadId,
          transport: transportKind,
          errorTag: error._tag,
          message: message(error),
        });
      emit(sink, {
        name: "codex.turn.stop",
        timestamp: stamp(),
        threadId: endThreadId,
        transport: transportKind,
        durationMs: Math.round(performance.now() - startedAt),
        outcome: error === null ? "ok" : "error",
        usage,
        exitCode,
      });
    };
    const started = await transport.startTurn({
      thread,
      input: normalized.value,
      turnOptions,
      maxLineBytes: deps.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
    });
    if (started.isErr()) {
      // It never started (no binary, no temp file …): the turn.start still gets its stop.
      reportEnd(threadId, started.error, null, null);
      return errAsync(started.error);
    }
    const run = started.value;
    let stopReason: CancelReason | null = null;
    const stop = (r: CancelReason) => {
      if (stopReason === null) stopReason = r;
      run.cancel(r);
    };
    cancelRun = stop;
    if (consumerLeft) stop("consumer");
    const onAbort = () => stop("aborted");
    turnOptions.signal?.addEventListener("abort", onAbort, { once: true });
    // An abort while the transport was starting fired no listener: it counts all the same.
    if (isAborted(turnOptions.signal)) stop("aborted");
    const timer =
      turnOptions.timeoutMs !== undefined
        ? setTimeout(
            () => stop("timeout"),
            Math.max(0, turnOptions.timeoutMs - (performance.now() - turnBegan)),
          )
        : undefined;

    // 4. Fold the events as they come.
    let state: TurnState = initialTurnState(thread);
    let foldError: TurnError | null = null;
    for await (const event of run.events) {
      if (foldError !== null) continue;
      const next = stepTurn(state, event);
      if (next.isErr()) {
        const v = next.error;
        foldError =
          v._tag === "ProtocolViolation" && v.violation === "thread_id_changed" && threadId !== null
            ? {
                _tag: "ResumeMismatch",
                path: "threadId",
                message: `asked to resume ${threadId} but the CLI started a new thread ${v.actualThreadId ?? "?"}; it was stopped`,
                expectedThreadId: threadId,
                actualThreadId: v.actualThreadId ?? "",
              }
            : v;
        stop("mismatch");
        continue;
      }
      state = next.value;
      if (event.type === "thread.started")
        emit(sink, {
          name: threadId === null ? "codex.thread.start" : "codex.thread.resume",
          timestamp: stamp(),
          threadId: event.thread_id,
        });
      else if (event.type === "unknown")
        emit(sink, {
          name: "codex.event.unknown",
          timestamp: stamp(),
          threadId: state.threadId ?? threadId,
          eventType: event.eventType,
          itemType: null,
        });
      else if (
        (event.type === "item.completed" || event.type === "item.started") &&
        event.item.type === "unknown"
      )
        emit(sink, {
          name: "codex.event.unknown",
          timestamp: stamp(),
          threadId: state.threadId ?? threadId,
          eventType: event.type,
          itemType: event.item.itemType,
        });
      out.push(event);
    }
    const exit = await run.exit;
    turnOptions.signal?.removeEventListener("abort", onAbort);
    if (timer !== undefined) clearTimeout(timer);

    // 5. Decide.
    const reason = stopReason as CancelReason | null;
    let result: ResultAsync<TurnOutcome, TurnError>;
    if (foldError !== null) result = errAsync(foldError);
    else if (reason === "timeout")
      result = errAsync({
        _tag: "TimedOut",
        path: "turnOptions.timeoutMs",
        message: `the turn took longer than ${turnOptions.timeoutMs ?? 0} ms and was stopped`,
        timeoutMs: turnOptions.timeoutMs ?? 0,
      });
    else if (reason === "aborted" || reason === "consumer")
      result = errAsync({
        _tag: "Aborted",
        path: "turnOptions.signal",
        message:
          reason === "consumer"
            ? "the event stream was left early; the turn was stopped"
            : "the turn was aborted",
      });
    else if (!exit.ok && !(state.phase === "failed" && exit.error._tag === "ExecFailed"))
      result = errAsync(exit.error);
    else {
      const after =
        state.phase === "completed"
          ? await safeObserve(
              observe,
              { ...thread, threadId: (state.threadId ?? threadId) as Thread["threadId"] },
              turnOptions.signal,
            )
          : null;
      const position =
        after !== null && after.observed.completedTurns !== undefined
          ? {
              completedTurns: after.observed.completedTurns,
              lastTurnId: after.observed.lastTurnId ?? null,
            }
          : undefined;
      const ctx: FinishContext = {
        structured: turnOptions.outputSchema !== undefined,
        ...(secret !== undefined ? { secret } : {}),
        ...(position !== undefined ? { position } : {}),
        ...(after?.metadata !== undefined ? { metadata: after.metadata } : {}),
        ...(after?.turnUsage !== undefined ? { turnUsage: after.turnUsage } : {}),
      };
      const finished = finishTurn(thread, state, ctx);
      result = finished.isOk() ? okAsync(finished.value) : errAsync(finished.error);
    }
    const settled = await result;
    const exitCode = exit.ok
      ? exit.value.exitCode
      : exit.error._tag === "ExecFailed"
        ? exit.error.exitCode
        : null;
    const newThreadId = settled.isOk()
      ? settled.value.thread.threadId
      : (state.threadId ?? threadId);
    reportEnd(
      newThreadId,
      settled.isErr() ? settled.error : null,
      settled.isOk() ? settled.value.turn.usage : null,
      exitCode,
    );
    return result;
  })().then(
    (r) => r,
    (e: unknown) =>
      errAsync<TurnOutcome, TurnError>({
        _tag: "SpawnFailed",
        path: "codex",
        message: `unexpected failure: ${e instanceof Error ? e.message : String(e)}`,
      }),
  );
  const settledOutcome = new ResultAsync(outcome.then((r) => r).finally(() => out.close()));
  return { events: out.iterable, outcome: settledOutcome };
};

/**
 * Runs one turn on `thread` and returns the new Thread and the Turn. Never throws and never
 * rejects: every failure is a typed `TurnError`.
 */
export const runTurn = (
  thread: Thread,
  input: unknown,
  turnOptions?: unknown,
  deps: RunDeps = {},
): ResultAsync<TurnOutcome, TurnError> =>
  start(thread, input, turnOptions, deps ?? {}, false).outcome;

/**
 * Runs one turn and streams its events as they arrive. The iterable never throws; leaving it
 * early stops the turn (the outcome is then `Aborted`).
 */
export const runStreamed = (
  thread: Thread,
  input: unknown,
  turnOptions?: unknown,
  deps: RunDeps = {},
): StreamedTurn => start(thread, input, turnOptions, deps ?? {}, true);
