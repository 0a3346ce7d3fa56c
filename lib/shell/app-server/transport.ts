/**
 * The app-server Transport: turns over one persistent `codex app-server`. A thread without an
 * id is started (`thread/start`), one with an id resumed when the server has not loaded it
 * (`thread/resume`), then `turn/start` runs the input; the thread's notifications (routed by
 * thread id, filtered by turn id) are translated into the exec dialect, so the runner's fold
 * works unchanged. `cancel` sends `turn/interrupt`; the thread stays claimed until the server
 * confirms, so the next turn never lands in the old one.
 */
import { err, errAsync, ok, ResultAsync, type Result } from "neverthrow";
import { decodeEventValue, type DecodeError, type ThreadEvent } from "../../core/events.js";
import {
  cancelledError,
  defect,
  invalidEvent,
  resumeMismatch,
  threadBusy,
  type ShellError,
} from "../../core/errors/index.js";
import { toShellError, type TransportError } from "../../core/errors/index.js";
import { createChannel } from "../internal/channel.js";
import type {
  CancelReason,
  Transport,
  TransportExit,
  TransportRun,
  TransportTurnRequest,
} from "../transport.js";
import { initialTranslation, translate, turnIdOfNote, type TurnTranslation } from "./events.js";
import { claimThread, type ActiveTurn, type Link } from "./link.js";
import { threadResumeParams, threadStartParams, turnStartParams } from "./params.js";
import type { ServerNote } from "./protocol.js";
import type { ThreadSignal } from "./rpc.js";

/** How long a stopped turn may take to drain before the thread is used again (ms). */
export const DRAIN_MS = 5_000;

/** The current link of a server handle, or why there is none. */
export type LinkSource = () => Result<Link, TransportError>;

type ExitResult =
  | { readonly ok: true; readonly value: TransportExit }
  | { readonly ok: false; readonly error: ShellError | DecodeError };

const stopped = (reason: CancelReason, timeoutMs: number | undefined): ShellError =>
  cancelledError(reason, timeoutMs);

const busy = (threadId: string): ShellError =>
  threadBusy(
    threadId,
    `thread ${threadId} already has a turn running on this app-server; retry when it is done`,
  );

/** Notifications that belong to a turn: an undecodable one of these fails the turn. */
const TURN_METHODS = /^(item\/|turn\/|error$|thread\/tokenUsage\/updated$)/;

/** One turn on a link: from start to the server's `turn/completed`. */
const startOnLink = async (
  link: Link,
  request: TransportTurnRequest,
): Promise<Result<TransportRun, ShellError>> => {
  const { rpc } = link;
  const { thread, input, turnOptions } = request;
  const signal = turnOptions.signal;
  const release = rpc.hold();
  let cancelled: CancelReason | null = null;
  let finished = false;
  let resolveExit: (r: ExitResult) => void = () => undefined;
  const exit = new Promise<ExitResult>((r) => (resolveExit = r));
  const channel = createChannel<ThreadEvent>(() => cancel("consumer"));
  let threadId: string | null = thread.threadId;
  let claim: ActiveTurn | null = null;
  let unsubscribe: () => void = () => undefined;
  let turnId: string | null = null;
  let buffered: ServerNote[] = [];
  let state: TurnTranslation = initialTranslation(null);
  let drainTimer: ReturnType<typeof setTimeout> | undefined;

  const cleanup = () => {
    if (drainTimer !== undefined) clearTimeout(drainTimer);
    unsubscribe();
    signal?.removeEventListener("abort", onAbort);
    claim?.end();
    release();
  };
  const finish = (r: ExitResult) => {
    if (finished) return;
    finished = true;
    channel.close();
    resolveExit(r);
  };
  const interrupt = () => {
    if (threadId !== null && turnId !== null)
      void rpc.request("turn/interrupt", { threadId, turnId }, { threadId });
  };
  /** Ends the turn early with `error`: interrupts it and frees the thread once it drained. */
  const abandon = (error: ShellError | DecodeError) => {
    finish({ ok: false, error });
    if (claim === null) return cleanup(); // nothing started on the server yet
    if (claim.draining) return;
    claim.draining = true;
    interrupt(); // (before turn/start answered: sent once its id is known)
    drainTimer = setTimeout(cleanup, DRAIN_MS);
  };
  const cancel = (reason: CancelReason) => {
    if (cancelled !== null || finished) return;
    cancelled = reason;
    abandon(stopped(reason, turnOptions.timeoutMs));
  };
  const onAbort = () => cancel("aborted");
  signal?.addEventListener("abort", onAbort, { once: true });

  const push = (wire: Readonly<Record<string, unknown>>) => {
    const e = decodeEventValue(wire);
    if (e.isErr()) abandon(e.error);
    else channel.push(e.value);
  };

  const onNote = (n: ServerNote) => {
    const noteTurn = turnIdOfNote(n);
    if (noteTurn !== null && noteTurn !== turnId) return; // another (earlier) turn's
    if (n.method === "turn/completed") {
      const tid = threadId ?? "";
      state = { ...state, usage: link.totals.get(tid) ?? state.usage };
    }
    const t = translate(state, n);
    state = t.state;
    if (!finished) t.events.forEach(push);
    if (state.outcome !== null) {
      finish({ ok: true, value: { exitCode: null, signal: null } });
      cleanup();
    }
  };

  const onSignal = (s: ThreadSignal) => {
    if (s.method === "closed") {
      finish({ ok: false, error: toShellError(s.error) });
      cleanup();
      return;
    }
    if (s.method === "invalid") {
      if (!TURN_METHODS.test(s.wireMethod) || finished) return;
      abandon(
        invalidEvent(
          s.wireMethod,
          s.issues,
          s.wireMethod,
          `invalid ${s.wireMethod} notification`,
          3,
        ),
      );
      return;
    }
    if (turnId === null) buffered.push(s);
    else onNote(s);
  };

  const fail = (e: ShellError): Result<TransportRun, ShellError> => {
    finish({ ok: false, error: e });
    cleanup();
    return err(e);
  };
  const abortedNow = (): boolean => cancelled !== null || signal?.aborted === true;

  // 1. The thread: start it, or claim it and resume it when the server has not loaded it.
  let overrides = false;
  if (threadId === null) {
    const started = await rpc.request("thread/start", threadStartParams(thread));
    if (started.isErr()) return fail(toShellError(started.error));
    threadId = started.value.thread.id;
    link.loaded.add(threadId);
    claim = await claimThread(link, threadId, 0);
    if (claim === null) return fail(busy(threadId));
  } else {
    claim = await claimThread(link, threadId, DRAIN_MS);
    if (claim === null) return fail(busy(threadId));
    overrides = link.loaded.has(threadId);
  }
  const id = threadId;
  unsubscribe = rpc.subscribe(id, onSignal);
  const resume = async (): Promise<ShellError | null> => {
    const r = await rpc.request("thread/resume", threadResumeParams(thread, id), { threadId: id });
    if (r.isErr()) return toShellError(r.error);
    if (r.value.thread.id !== id)
      return resumeMismatch(
        id,
        r.value.thread.id,
        `asked to resume ${id} but the app-server resumed ${r.value.thread.id}`,
      );
    link.loaded.add(id);
    return null;
  };
  if (thread.threadId !== null && !overrides) {
    const e = await resume();
    if (e !== null) return fail(e);
  }
  if (abortedNow()) return fail(stopped("aborted", turnOptions.timeoutMs));
  state = initialTranslation(link.totals.get(id) ?? null);
  push({ type: "thread.started", thread_id: id });

  // 2. The turn. A thread unloaded since we last saw it is resumed once and tried again.
  let turn = await rpc.request(
    "turn/start",
    turnStartParams(thread, id, input, turnOptions, overrides),
    { threadId: id },
  );
  if (turn.isErr() && turn.error._tag === "ThreadNotFound" && overrides) {
    const e = await resume();
    if (e !== null) return fail(e);
    turn = await rpc.request("turn/start", turnStartParams(thread, id, input, turnOptions, true), {
      threadId: id,
    });
  }
  if (turn.isErr()) return fail(toShellError(turn.error));
  turnId = turn.value.turn.id;
  state = { ...state, turnId };
  const early = buffered;
  buffered = [];
  early.forEach(onNote);
  if (signal?.aborted === true) cancel("aborted");
  else if (claim.draining) interrupt();
  return ok({ events: channel.iterable, exit, cancel });
};

/** The Transport over whatever link `source` gives when a turn starts. */
export const appServerTransport = (source: LinkSource): Transport => {
  const transport: Transport = {
    kind: "app-server",
    // An own, plain property: a copy of the transport (`{ ...server.transport }`) keeps it.
    lifecycle: { link: source },
    startTurn: (request) => {
      const link = source();
      if (link.isErr()) return errAsync(toShellError(link.error));
      return new ResultAsync(
        startOnLink(link.value, request).catch((e: unknown): Result<TransportRun, ShellError> =>
          err(defect("transport", e)),
        ),
      );
    },
  };
  return transport;
};
