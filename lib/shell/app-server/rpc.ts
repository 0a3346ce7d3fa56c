/**
 * A JSON-RPC client over a `codex app-server` child's stdio: one JSON object per line each
 * way, request ids and a time-out per request (the server never answers a line it cannot
 * parse), results and notifications decoded with the generated codecs only, notifications
 * routed by thread id, server→client requests answered (approvals declined). When the child
 * dies every pending request fails with `TransportClosed`; nothing waits forever.
 */
import type { Readable, Writable } from "node:stream";
import { ResultAsync, err as errResult, ok as okResult } from "neverthrow";
import {
  JSONRPCError,
  JSONRPCNotification,
  JSONRPCRequest,
  JSONRPCResponse,
  type ApplyPatchApprovalResponse,
  type CommandExecutionRequestApprovalResponse,
  type ExecCommandApprovalResponse,
  type FileChangeRequestApprovalResponse,
} from "../../generated/app-server/index.js";
import {
  classifyRpcError,
  transportClosed,
  type TransportError,
} from "../../core/transport-errors.js";
import { createLineSplitter } from "../internal/lines.js";
import { parseRedacted } from "../internal/redact.js";
import type { CliChild } from "../process/index.js";
import {
  decodeNote,
  decodeResult,
  threadIdOf,
  type InvalidNote,
  type RpcMethod,
  type RpcParams,
  type RpcResult,
  type ServerNote,
} from "./protocol.js";

/** How a connection behaves. */
export interface RpcOptions {
  /** How long a request may wait for its answer (ms). */
  readonly requestTimeoutMs: number;
  /** Lines longer than this many bytes close the connection. */
  readonly maxLineBytes: number;
  /** Values redacted from every message before anything reads it (a key the server echoes). */
  readonly secrets: readonly string[];
}

/** What a thread's subscriber is told: a decoded notification, an undecodable one, or the end. */
export type ThreadSignal =
  ServerNote | InvalidNote | { readonly method: "closed"; readonly error: TransportError };

/** Per-request options. */
export interface RequestOptions {
  /** Overrides the connection's request time-out. */
  readonly timeoutMs?: number;
  /** The thread the request is about: not-found and busy answers name it. */
  readonly threadId?: string | null;
}

/** A live JSON-RPC connection to one app-server process. */
export interface RpcConnection {
  /** The server's process id. */
  readonly pid: number | null;
  /** True once the process has gone (or `close` was called). */
  isClosed(): boolean;
  /** Sends a request; its decoded result, or a typed error. Never rejects. */
  request<M extends RpcMethod>(
    method: M,
    params: RpcParams<M>,
    options?: RequestOptions,
  ): ResultAsync<RpcResult<M>, TransportError>;
  /** Sends a notification (only `initialized` exists). */
  notify(method: "initialized"): void;
  /** Routes `threadId`'s notifications to `listener` until the returned function is called. */
  subscribe(threadId: string, listener: (s: ThreadSignal) => void): () => void;
  /** Sees every decoded thread-state notification (status, usage, started, closed …). */
  onNote(listener: (n: ServerNote) => void): () => void;
  /** Called once when the connection ends (at once if it already has). */
  onClose(listener: (error: TransportError) => void): () => void;
  /** Keeps the Node event loop alive while held (a turn or request in flight). */
  hold(): () => void;
  /** Ends stdin, waits up to `graceMs` for the server to exit, then kills its process group. */
  close(graceMs: number): Promise<void>;
}

/** Notifications decoded even when no thread subscribes: they keep the connection's state. */
const STATE_METHODS = new Set([
  "thread/started",
  "thread/status/changed",
  "thread/tokenUsage/updated",
  "thread/closed",
  "thread/deleted",
  "thread/archived",
]);

interface Pending {
  readonly method: string;
  readonly threadId: string | null;
  readonly settle: (r: { ok: true; value: unknown } | { ok: false; error: TransportError }) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

const DECLINED = 'codex-fp answers no approval requests; use approvalPolicy "never"';
const declineCommand: CommandExecutionRequestApprovalResponse = { decision: "decline" };
const declineFileChange: FileChangeRequestApprovalResponse = { decision: "decline" };
const denyLegacy: ApplyPatchApprovalResponse & ExecCommandApprovalResponse = {
  decision: { denied: { rejection: DECLINED } },
};

/** The answer codex-fp gives to a server→client request, or null to answer with an error. */
const answerTo = (method: string): unknown => {
  switch (method) {
    case "item/commandExecution/requestApproval":
      return declineCommand;
    case "item/fileChange/requestApproval":
      return declineFileChange;
    case "applyPatchApproval":
    case "execCommandApproval":
      return denyLegacy;
    default:
      return null;
  }
};

/** Runs a listener; one that throws must not break the connection (or the process). */
const safely = (f: () => void): void => {
  try {
    f();
  } catch {
    // ignored: listeners are codex-fp's own and report through their own channels
  }
};

type Stream = Readable | Writable | null;
/**
 * Refs or unrefs a pipe. A socket without a handle (destroyed, or not yet connected) queues the
 * call on a `connect` listener that a closed pipe never fires: skip those, or every ref/unref
 * of a dead server's pipes leaks a listener.
 */
const setRef = (s: Stream, on: boolean): void => {
  const h = s as unknown as {
    ref?: () => void;
    unref?: () => void;
    destroyed?: boolean;
    _handle?: unknown;
  } | null;
  if (h === null || h.destroyed === true || h._handle === null) return;
  if (on) h.ref?.();
  else h.unref?.();
};

/** Wraps a spawned `codex app-server` (stdio pipes) in a JSON-RPC connection. */
export const connect = (server: CliChild, options: RpcOptions): RpcConnection => {
  const child = server.process;
  const pending = new Map<number, Pending>();
  const threads = new Map<string, Set<(s: ThreadSignal) => void>>();
  const noteListeners = new Set<(n: ServerNote) => void>();
  const closeListeners = new Set<(e: TransportError) => void>();
  let nextId = 1;
  let closedWith: TransportError | null = null;
  let holds = 0;
  let closing = false;

  const refresh = () => {
    const on = holds > 0 || pending.size > 0;
    try {
      if (on) child.ref();
      else child.unref();
    } catch {
      // not a real child (tests) or gone
    }
    setRef(child.stdin, on);
    setRef(child.stdout, on);
    setRef(child.stderr, on);
  };

  const write = (message: unknown): boolean => {
    if (closedWith !== null || child.stdin === null || child.stdin.destroyed) return false;
    try {
      child.stdin.write(`${JSON.stringify(message)}\n`);
      return true;
    } catch {
      return false;
    }
  };

  const shutdown = (error: TransportError) => {
    if (closedWith !== null) return;
    closedWith = error;
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      pending.delete(id);
      p.settle({ ok: false, error });
    }
    for (const set of threads.values())
      for (const l of [...set]) safely(() => l({ method: "closed", error }));
    threads.clear();
    for (const l of [...closeListeners]) safely(() => l(error));
    closeListeners.clear();
    noteListeners.clear();
    server.kill();
    refresh();
  };

  const closedError = (how: string): TransportError => {
    const tail = server.stderrTail().trim().split("\n").slice(-1)[0] ?? "";
    return transportClosed(
      `the codex app-server ${how}${tail === "" ? "" : ` (last stderr line: ${tail})`}`,
    );
  };

  const onResponse = (
    id: unknown,
    outcome: { result: unknown } | { error: JSONRPCError["error"] },
  ) => {
    if (typeof id !== "number") return;
    const p = pending.get(id);
    if (p === undefined) return; // timed out already, or not ours
    pending.delete(id);
    clearTimeout(p.timer);
    refresh();
    if ("error" in outcome)
      p.settle({ ok: false, error: classifyRpcError(p.method, p.threadId, outcome.error) });
    else p.settle({ ok: true, value: outcome.result });
  };

  const onNotification = (method: string, params: unknown) => {
    const threadId = threadIdOf(params);
    const subscribers = threadId === null ? undefined : threads.get(threadId);
    const wanted = (subscribers !== undefined && subscribers.size > 0) || STATE_METHODS.has(method);
    if (!wanted) return;
    const note = decodeNote(method, params);
    if (note === null) return;
    if (note.method !== "invalid") for (const l of [...noteListeners]) safely(() => l(note));
    if (subscribers !== undefined) for (const l of [...subscribers]) safely(() => l(note));
  };

  const onServerRequest = (id: JSONRPCRequest["id"], method: string) => {
    const answer = answerTo(method);
    write(
      answer === null
        ? { id, error: { code: -32601, message: `codex-fp does not handle ${method}` } }
        : { id, result: answer },
    );
  };

  const onLine = (line: string) => {
    if (line.trim() === "") return;
    // A key the server echoes (a 401 body, a model reply) is redacted in every string of the
    // message before anything reads it: results, notifications, errors (the exec code).
    const m = parseRedacted(line, options.secrets);
    if (m === undefined) return; // not a protocol line: the server logs on stderr, so this is noise
    if (JSONRPCResponse.is(m)) onResponse(m.id, { result: m.result });
    else if (JSONRPCError.is(m)) onResponse(m.id, { error: m.error });
    else if (JSONRPCRequest.is(m)) onServerRequest(m.id, m.method);
    else if (JSONRPCNotification.is(m)) onNotification(m.method, m.params);
  };

  const splitter = createLineSplitter(options.maxLineBytes);
  child.stdout?.on("data", (chunk: Buffer) => {
    if (closedWith !== null) return;
    const lines = splitter.push(chunk);
    if (lines === "too_long")
      shutdown(
        transportClosed(
          `the codex app-server wrote a line longer than ${options.maxLineBytes} bytes`,
        ),
      );
    else lines.forEach(onLine);
  });
  child.on("error", (e: NodeJS.ErrnoException) =>
    shutdown(transportClosed(`the codex app-server failed: ${e.code ?? e.message}`)),
  );
  child.on("exit", (code, signal) =>
    shutdown(
      closing
        ? transportClosed("the codex app-server was closed")
        : closedError(
            signal !== null ? `was killed (${signal})` : `exited with code ${code ?? "?"}`,
          ),
    ),
  );
  refresh();

  const request = <M extends RpcMethod>(
    method: M,
    params: RpcParams<M>,
    opts: RequestOptions = {},
  ): ResultAsync<RpcResult<M>, TransportError> =>
    new ResultAsync(
      new Promise((resolve) => {
        const settle: Pending["settle"] = (r) => {
          if (!r.ok) return resolve(errResult(r.error));
          const decoded = decodeResult(method, r.value);
          resolve(
            decoded.isOk()
              ? okResult(decoded.value)
              : errResult({
                  _tag: "InvalidResponse",
                  path: `rpc.${method}`,
                  message: `the ${method} answer does not match its codec: ${decoded.error
                    .slice(0, 3)
                    .map((i) => `${i.path}: ${i.message}`)
                    .join("; ")}`,
                  method,
                  issues: decoded.error,
                }),
          );
        };
        if (closedWith !== null) return settle({ ok: false, error: closedWith });
        const id = nextId++;
        const timeoutMs = opts.timeoutMs ?? options.requestTimeoutMs;
        const timer = setTimeout(() => {
          if (!pending.delete(id)) return;
          refresh();
          settle({
            ok: false,
            error: {
              _tag: "TimedOut",
              path: `rpc.${method}`,
              message: `the codex app-server did not answer ${method} within ${timeoutMs} ms`,
              timeoutMs,
            },
          });
        }, timeoutMs);
        pending.set(id, { method, threadId: opts.threadId ?? null, settle, timer });
        refresh();
        if (!write({ id, method, params })) {
          pending.delete(id);
          clearTimeout(timer);
          refresh();
          settle({ ok: false, error: closedWith ?? closedError("cannot be written to") });
        }
      }),
    );

  return {
    pid: child.pid ?? null,
    isClosed: () => closedWith !== null,
    request,
    notify: (method) => {
      write({ method });
    },
    subscribe: (threadId, listener) => {
      if (closedWith !== null) {
        const e = closedWith;
        queueMicrotask(() => listener({ method: "closed", error: e }));
        return () => undefined;
      }
      let set = threads.get(threadId);
      if (set === undefined) threads.set(threadId, (set = new Set()));
      set.add(listener);
      return () => {
        const s = threads.get(threadId);
        s?.delete(listener);
        if (s !== undefined && s.size === 0) threads.delete(threadId);
      };
    },
    onNote: (listener) => {
      noteListeners.add(listener);
      return () => noteListeners.delete(listener);
    },
    onClose: (listener) => {
      if (closedWith !== null) {
        listener(closedWith);
        return () => undefined;
      }
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    hold: () => {
      holds++;
      refresh();
      let released = false;
      return () => {
        if (released) return;
        released = true;
        holds--;
        refresh();
      };
    },
    close: (graceMs) =>
      new Promise<void>((resolve) => {
        closing = true;
        const gone = child.exitCode !== null || child.signalCode !== null;
        if (gone) {
          shutdown(transportClosed("the codex app-server was closed"));
          return resolve();
        }
        const timer = setTimeout(() => server.kill(), graceMs);
        child.once("exit", () => {
          clearTimeout(timer);
          shutdown(transportClosed("the codex app-server was closed"));
          resolve();
        });
        // Fail what is pending now: the caller asked for the end.
        for (const [id, p] of pending) {
          clearTimeout(p.timer);
          pending.delete(id);
          p.settle({ ok: false, error: transportClosed("the codex app-server was closed") });
        }
        try {
          child.stdin?.end();
        } catch {
          server.kill();
        }
      }),
  };
};
