/**
 * The requests of a connection waiting for their answer: each with its id and its time-out;
 * an answer settles its request (an error classified, a result decoded by its codec).
 */
import { err, ok, type Result } from "neverthrow";
import type { JSONRPCError } from "../../../generated/app-server/index.js";
import {
  classifyRpcError,
  invalidResponse,
  timedOut,
  type TransportError,
} from "../../../core/errors/index.js";
import { decodeResult, type RpcMethod, type RpcResult } from "../protocol.js";

/** How a request settles before its result is decoded. */
export type RawSettlement =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: TransportError };

interface Pending {
  readonly method: string;
  readonly threadId: string | null;
  readonly settle: (r: RawSettlement) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

/** What a response carries: a result or a JSON-RPC error. */
export type Answer = { readonly result: unknown } | { readonly error: JSONRPCError["error"] };

/** The waiting requests of one connection. */
export interface PendingRequests {
  /** How many wait. */
  size(): number;
  /** Registers a request; its id. Unanswered after `timeoutMs`, it settles `TimedOut`. */
  open(
    method: string,
    threadId: string | null,
    timeoutMs: number,
    settle: (r: RawSettlement) => void,
  ): number;
  /** Forgets a request that could not be sent (it is not settled). */
  drop(id: number): void;
  /** Settles the request `id` answers (an unknown or timed-out id is ignored). */
  answer(id: unknown, outcome: Answer): void;
  /** Settles every waiting request with `error`. */
  failAll(error: TransportError): void;
}

/** An empty table; `changed` is called whenever one is added or removed by an answer or time-out. */
export const createPending = (changed: () => void): PendingRequests => {
  const pending = new Map<number, Pending>();
  let nextId = 1;
  return {
    size: () => pending.size,
    open: (method, threadId, timeoutMs, settle) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        if (!pending.delete(id)) return;
        changed();
        settle({
          ok: false,
          error: timedOut(
            `rpc.${method}`,
            timeoutMs,
            `the codex app-server did not answer ${method} within ${timeoutMs} ms`,
          ),
        });
      }, timeoutMs);
      pending.set(id, { method, threadId, settle, timer });
      changed();
      return id;
    },
    drop: (id) => {
      const p = pending.get(id);
      pending.delete(id);
      if (p !== undefined) clearTimeout(p.timer);
      changed();
    },
    answer: (id, outcome) => {
      if (typeof id !== "number") return;
      const p = pending.get(id);
      if (p === undefined) return; // timed out already, or not ours
      pending.delete(id);
      clearTimeout(p.timer);
      changed();
      if ("error" in outcome)
        p.settle({ ok: false, error: classifyRpcError(p.method, p.threadId, outcome.error) });
      else p.settle({ ok: true, value: outcome.result });
    },
    failAll: (error) => {
      for (const [id, p] of pending) {
        clearTimeout(p.timer);
        pending.delete(id);
        p.settle({ ok: false, error });
      }
    },
  };
};

/** A settled request's result decoded by `method`'s codec, or `InvalidResponse`. */
export const decodedAnswer = <M extends RpcMethod>(
  method: M,
  r: RawSettlement,
): Result<RpcResult<M>, TransportError> => {
  if (!r.ok) return err(r.error);
  const decoded = decodeResult(method, r.value);
  return decoded.isOk() ? ok(decoded.value) : err(invalidResponse(method, decoded.error));
};
