/**
 * The errors of a turn: the CLI's event lines that do not decode (`DecodeError`), what the pure
 * fold decides from the events (`FoldError`) and what the shell meets running a process or a
 * server (`ShellError`). Types only; the constructors are in `make.ts`.
 */
import type { Issue, ThreadError } from "./thread.js";

/** Why a line is not an event: not JSON, or a known event type in the wrong shape. */
export type DecodeError =
  | { readonly _tag: "InvalidJson"; readonly path: string; readonly message: string }
  | {
      readonly _tag: "InvalidEvent";
      readonly path: string;
      readonly message: string;
      readonly eventType: string | null;
      readonly issues: readonly Issue[];
    };

/** How an event stream broke the protocol. */
export type ViolationKind =
  | "missing_thread_started"
  | "thread_id_changed"
  | "out_of_order"
  | "after_completion"
  | "incomplete"
  | "invalid_usage";

/** Errors of a turn that the pure fold decides, from the events alone. */
export type FoldError =
  | {
      readonly _tag: "TurnFailed";
      readonly path: string;
      readonly message: string;
      /** The error as the producer gave it (legacy producers add type, code, status …). */
      readonly error: Readonly<Record<string, unknown>>;
    }
  | {
      readonly _tag: "ProtocolViolation";
      readonly path: string;
      readonly message: string;
      readonly violation: ViolationKind;
      readonly expectedThreadId: string | null;
      readonly actualThreadId: string | null;
    }
  | {
      readonly _tag: "InvalidStructuredOutput";
      readonly path: string;
      readonly message: string;
    };

/** A JSON-RPC error answer the other tags do not cover. */
export interface RpcFailed {
  readonly _tag: "RpcFailed";
  readonly path: string;
  readonly message: string;
  /** The request's method, e.g. `thread/delete`. */
  readonly method: string;
  /** The JSON-RPC error code (the server uses -32600 for almost everything). */
  readonly code: number;
}

/** A response or notification that does not match its generated codec. */
export interface InvalidResponse {
  readonly _tag: "InvalidResponse";
  readonly path: string;
  readonly message: string;
  readonly method: string;
  readonly issues: readonly Issue[];
}

/** An operation the chosen transport cannot perform (e.g. `listThreads` over `codex exec`). */
export interface Unsupported {
  readonly _tag: "Unsupported";
  readonly path: string;
  readonly message: string;
  readonly operation: string;
  readonly transport: string;
}

/**
 * A defect: something threw where nothing should (a bug in codex-fp or in a dependency). It is
 * caught at the edge of a public function so that function still never throws.
 */
export interface Defect {
  readonly _tag: "Defect";
  readonly path: string;
  readonly message: string;
  /** What was thrown: its kind and, for an Error, its name and first line (no stack). */
  readonly thrown: string;
}

/** Errors of running a turn through a process or server (the shell). */
export type ShellError =
  | { readonly _tag: "CodexNotFound"; readonly path: string; readonly message: string }
  | { readonly _tag: "SpawnFailed"; readonly path: string; readonly message: string }
  | {
      readonly _tag: "ExecFailed";
      readonly path: string;
      readonly message: string;
      readonly exitCode: number | null;
      readonly signal: string | null;
      readonly stderrTail: string;
    }
  | {
      readonly _tag: "ThreadNotFound";
      readonly path: string;
      readonly message: string;
      readonly threadId: string;
    }
  | {
      readonly _tag: "ThreadBusy";
      readonly path: string;
      readonly message: string;
      readonly threadId: string;
      readonly retryable: true;
    }
  | {
      readonly _tag: "ResumeMismatch";
      readonly path: string;
      readonly message: string;
      readonly expectedThreadId: string;
      readonly actualThreadId: string;
    }
  | { readonly _tag: "Aborted"; readonly path: string; readonly message: string }
  | {
      readonly _tag: "TimedOut";
      readonly path: string;
      readonly message: string;
      /** The limit that was passed, in ms. */
      readonly timeoutMs: number;
    }
  | {
      readonly _tag: "LineTooLong";
      readonly path: string;
      readonly message: string;
      readonly limit: number;
    }
  | { readonly _tag: "TempFileFailed"; readonly path: string; readonly message: string }
  | { readonly _tag: "TransportClosed"; readonly path: string; readonly message: string }
  | RpcFailed
  | InvalidResponse
  | Unsupported
  | Defect;

/** Every error a turn can end with: bad input, the fold's verdict, or the shell's. */
export type TurnError = ThreadError | FoldError | ShellError | DecodeError;
