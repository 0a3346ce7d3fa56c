/** The model stub's public shapes: what a script answers, what a request looks like, the bounds. */
import type { ConfigObject } from "../../core/config-value.js";

/** What the stub answers to one request. */
export type StubReply =
  /** An assistant message, streamed as `output_text` deltas (one per word). */
  | { readonly kind: "text"; readonly text: string }
  /**
   * A `function_call` of `exec_command` with `{"cmd": cmd}`. The CLI runs the command and sends
   * a follow-up request containing the `function_call_output`; the stub answers that one itself
   * with `thenText` (default `Ran the command (reply N)`, N being the follow-up's index) without
   * consulting the script.
   */
  | { readonly kind: "shell"; readonly cmd: string; readonly thenText?: string }
  /** An assistant message whose text is `JSON.stringify(value)` (for `--output-schema` turns). */
  | { readonly kind: "json"; readonly value: unknown }
  /** A plain HTTP error status (default body: an OpenAI-style JSON error). */
  | { readonly kind: "status"; readonly status: number; readonly body?: string }
  /** A long stream: `count` deltas of `chunkText` (default `"chunk "`), one message in the end. */
  | { readonly kind: "chunks"; readonly count: number; readonly chunkText?: string };

/** One request the stub served, as the script and {@link ModelStub.requests} see it. */
export interface StubRequest {
  /** 1-based position among the requests this stub served (malformed ones do not count). */
  readonly index: number;
  /** The URL path, e.g. `/v1/responses`. */
  readonly path: string;
  /** The parsed JSON body (a JSON object). */
  readonly body: unknown;
  /**
   * The request's headers, names lowercased (repeated ones joined with ", "), e.g. to check
   * the `authorization` the CLI sent. They hold the credentials the client sent: a test stub's.
   */
  readonly headers: Readonly<Record<string, string>>;
  /** The text of the last `user` message of `input`, trimmed; `null` when there is none. */
  readonly userText: string | null;
  /**
   * Whether `input` holds a tool output (`function_call_output` or `custom_tool_call_output`)
   * after its last user message, i.e. the request continues a tool call of the current turn.
   */
  readonly hasFunctionCallOutput: boolean;
}

/** A reply, optionally held back for `delayMs` milliseconds (capped at {@link STUB_LIMITS}). */
export type StubScriptResult = StubReply | { readonly reply: StubReply; readonly delayMs: number };

/** Decides the reply to each request; called once per request, in arrival order. */
export type StubScript = (req: StubRequest) => StubScriptResult;

/** Token usage billed for one response (sent in `response.completed`). */
export interface StubUsage {
  readonly inputTokens: number;
  readonly cachedInputTokens: number;
  readonly outputTokens: number;
  readonly reasoningOutputTokens: number;
}

/** Options of {@link startModelStub}. */
export interface ModelStubOptions {
  /** Usage to bill for a response (default {@link defaultUsage}). */
  readonly usage?: (req: StubRequest, reply: StubReply) => StubUsage;
}

/** A running stub. */
export interface ModelStub {
  /** The TCP port it listens on (127.0.0.1). */
  readonly port: number;
  /** `http://127.0.0.1:PORT/v1`, the provider's `base_url`. */
  readonly baseUrl: string;
  /** The requests served so far, oldest first (a snapshot; at most `maxRecordedRequests`). */
  readonly requests: readonly StubRequest[];
  /** The nested `config` object selecting the stub: `{ model_providers: { stub }, model_provider }`. */
  providerConfig(): ConfigObject;
  /** The same as CLI arguments: `-c model_providers.stub={…}`, `-c model_provider="stub"`. */
  providerArgs(): string[];
  /** Stops listening and closes every connection (keep-alive ones too). Never rejects. */
  close(): Promise<void>;
}

/** The bounds the stub enforces. */
export const STUB_LIMITS = {
  /** Largest request body accepted (after decompression); larger ones get 413. */
  maxBodyBytes: 32 * 1024 * 1024,
  /** Longest `delayMs` honoured. */
  maxDelayMs: 30_000,
  /** Most deltas a `chunks` reply streams. */
  maxChunks: 100_000,
  /** Longest `chunkText` used (longer ones are cut). */
  maxChunkTextLength: 4096,
  /** Longest `status` body sent (longer ones are cut). */
  maxStatusBodyLength: 64 * 1024,
  /** Requests kept in {@link ModelStub.requests} (later ones are served but not kept). */
  maxRecordedRequests: 10_000,
} as const;

/** The environment variable the stub provider reads its (ignored) API key from. */
export const STUB_API_KEY_ENV = "CODEX_API_KEY";
