/**
 * `connect`: a spawned `codex app-server` (stdio pipes) as a JSON-RPC connection. Lines in,
 * each redacted then routed (responses to the waiting requests, notifications to subscribers,
 * server requests answered); requests out, each with a time-out. When the child dies every
 * pending request fails with `TransportClosed`; nothing waits forever.
 */
import { ResultAsync } from "neverthrow";
import {
  JSONRPCError,
  JSONRPCNotification,
  JSONRPCRequest,
  JSONRPCResponse,
} from "../../../generated/app-server/index.js";
import { transportClosed, type TransportError } from "../../../core/errors/index.js";
import { createLineSplitter } from "../../internal/lines.js";
import { parseRedacted } from "../../internal/redact.js";
import type { CliChild } from "../../process/index.js";
import type { RpcMethod, RpcParams, RpcResult } from "../protocol.js";
import { createPending, decodedAnswer } from "./pending.js";
import { setRef } from "./refs.js";
import { answerTo } from "./server-requests.js";
import { createSubscribers } from "./subscribers.js";
import type { RequestOptions, RpcConnection, RpcOptions } from "./types.js";

/** Wraps a spawned `codex app-server` (stdio pipes) in a JSON-RPC connection. */
export const connect = (server: CliChild, options: RpcOptions): RpcConnection => {
  const child = server.process;
  const listeners = createSubscribers();
  let closedWith: TransportError | null = null;
  let holds = 0;
  let closing = false;

  /** Keeps the child referenced while a hold or a request is in flight. */
  const refresh = () => {
    const on = holds > 0 || pending.size() > 0;
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
  const pending = createPending(refresh);

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
    pending.failAll(error);
    listeners.closeAll(error);
    server.kill();
    refresh();
  };

  const closedError = (how: string): TransportError => {
    const tail = server.stderrTail().trim().split("\n").slice(-1)[0] ?? "";
    return transportClosed(
      `the codex app-server ${how}${tail === "" ? "" : ` (last stderr line: ${tail})`}`,
    );
  };

  const onLine = (line: string) => {
    if (line.trim() === "") return;
    // A key the server echoes (a 401 body, a model reply) is redacted in every string of the
    // message before anything reads it: results, notifications, errors (the exec code).
    const m = parseRedacted(line, options.secrets);
    if (m === undefined) return; // not a protocol line: the server logs on stderr, so this is noise
    if (JSONRPCResponse.is(m)) pending.answer(m.id, { result: m.result });
    else if (JSONRPCError.is(m)) pending.answer(m.id, { error: m.error });
    else if (JSONRPCRequest.is(m)) {
      const answer = answerTo(m.method);
      write(
        answer === null
          ? { id: m.id, error: { code: -32601, message: `codex-fp does not handle ${m.method}` } }
          : { id: m.id, result: answer },
      );
    } else if (JSONRPCNotification.is(m)) listeners.notify(m.method, m.params);
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
        if (closedWith !== null)
          return resolve(decodedAnswer(method, { ok: false, error: closedWith }));
        const id = pending.open(
          method,
          opts.threadId ?? null,
          opts.timeoutMs ?? options.requestTimeoutMs,
          (r) => resolve(decodedAnswer(method, r)),
        );
        if (!write({ id, method, params })) {
          pending.drop(id);
          resolve(
            decodedAnswer(method, {
              ok: false,
              error: closedWith ?? closedError("cannot be written to"),
            }),
          );
        }
      }),
    );

  const close = (graceMs: number) =>
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
      pending.failAll(transportClosed("the codex app-server was closed"));
      try {
        child.stdin?.end();
      } catch {
        server.kill();
      }
    });

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
      return listeners.subscribe(threadId, listener);
    },
    onNote: (listener) => listeners.onNote(listener),
    onClose: (listener) => {
      if (closedWith !== null) {
        listener(closedWith);
        return () => undefined;
      }
      return listeners.onClose(listener);
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
    close,
  };
};
