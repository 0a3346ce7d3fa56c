/**
 * A scriptable loopback stub of the OpenAI Responses API (`POST /v1/responses`, Server-Sent
 * Events), good enough to drive the real `codex` CLI offline in tests: plain text turns,
 * `exec_command` tool calls the CLI really runs, JSON answers for `--output-schema` turns, HTTP
 * error statuses and long streams.
 *
 * Point the CLI at it with {@link ModelStub.providerArgs} (or {@link ModelStub.providerConfig}
 * for the SDK's `config` option) and set `CODEX_API_KEY` to any value. The stub listens on
 * 127.0.0.1 on a random port, never logs, never throws, and bounds everything it accepts.
 *
 * Wire format, as the CLI (0.163.0 and 0.169.0) needs it — every event is
 * `event: <type>\ndata: <json>\n\n`:
 * - a message: `response.created`, `response.output_item.added` (empty message),
 *   `response.output_text.delta`…, `response.output_item.done` (full message),
 *   `response.completed` (with `usage`);
 * - a tool call: `response.created`, `response.output_item.added`,
 *   `response.output_item.done` (`function_call` `exec_command` with `{"cmd": …}`),
 *   `response.completed`. The CLI runs the command and sends a follow-up request whose input
 *   ends with a `function_call_output`, which the stub answers with the call's `thenText`.
 *
 * The CLI itself only requires `response.output_item.done` and `response.completed`: without
 * `response.completed` it reports "stream closed before response.completed" and retries;
 * deltas without a preceding `response.output_item.added` make it log
 * `OutputTextDelta without active item` on stderr.
 */

import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";

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
  providerConfig(): Record<string, unknown>;
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

/**
 * The default script, which reproduces the reference recordings: a tool follow-up is answered
 * `Ran the command (reply N)`; a user text starting with `run:` gets a shell call of the rest;
 * anything else `Hello from stub N: <user text>`.
 */
export function defaultScript(req: StubRequest): StubReply {
  const text = req.userText ?? "";
  if (req.hasFunctionCallOutput)
    return { kind: "text", text: `Ran the command (reply ${req.index})` };
  if (text.startsWith("run:")) return { kind: "shell", cmd: text.slice("run:".length).trim() };
  return { kind: "text", text: `Hello from stub ${req.index}: ${text}` };
}

/**
 * The default usage, which reproduces every reference recording exactly (basic, resume,
 * shell, structured). With N the request's index: input tokens `12·(N+1)`, plus 16 for a shell
 * call and 6 for a JSON answer; cached input tokens a quarter of the input (rounded down);
 * output tokens 5 for a text, 8 for a JSON answer, 12 for a shell call, `count` for chunks;
 * reasoning tokens 2 for a shell call, else 1. Error statuses bill nothing.
 */
export function defaultUsage(req: StubRequest, reply: StubReply): StubUsage {
  if (reply.kind === "status") {
    return { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, reasoningOutputTokens: 0 };
  }
  const extraInput = reply.kind === "shell" ? 16 : reply.kind === "json" ? 6 : 0;
  const inputTokens = 12 * (req.index + 1) + extraInput;
  return {
    inputTokens,
    cachedInputTokens: Math.floor(inputTokens / 4),
    outputTokens:
      reply.kind === "shell"
        ? 12
        : reply.kind === "json"
          ? 8
          : reply.kind === "chunks"
            ? Math.max(1, chunkCount(reply))
            : 5,
    reasoningOutputTokens: reply.kind === "shell" ? 2 : 1,
  };
}

/**
 * Starts a stub on 127.0.0.1 (random port). Rejects only if the loopback socket cannot be
 * bound. A script that throws or returns something that is not a {@link StubReply} makes the
 * stub answer HTTP 500; a usage callback that throws is replaced by {@link defaultUsage}. The
 * stub never crashes.
 */
export function startModelStub(
  script: StubScript = defaultScript,
  options: ModelStubOptions = {},
): Promise<ModelStub> {
  const usageOf = options.usage ?? defaultUsage;
  const recorded: StubRequest[] = [];
  const pendingCalls = new Map<string, string | undefined>();
  const closing = new AbortController();
  let served = 0;
  let callSeq = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    res.on("error", ignore);
    req.on("error", ignore);
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (path !== "/v1/responses") {
      req.resume();
      return sendJson(res, 404, errorBody(`no route for ${path}`, "not_found"));
    }
    if (req.method !== "POST") {
      req.resume();
      return sendJson(res, 405, errorBody("use POST", "method_not_allowed"), { allow: "POST" });
    }
    const raw = await readBody(req);
    if (raw.kind !== "ok") {
      const [status, message] =
        raw.kind === "too_large"
          ? [413, "request body too large"]
          : raw.kind === "bad_encoding"
            ? [415, "unsupported content-encoding"]
            : [400, "could not read request body"];
      return sendJson(res, status, errorBody(message, "invalid_request_error"), {
        connection: "close",
      });
    }
    const body = parseJson(raw.text);
    if (!body.ok || !isRecord(body.value)) {
      return sendJson(res, 400, errorBody("body is not a JSON object", "invalid_request_error"));
    }
    served += 1;
    const input = body.value["input"];
    const request: StubRequest = {
      index: served,
      path,
      body: body.value,
      headers: Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [
          k,
          Array.isArray(v) ? v.join(", ") : (v ?? ""),
        ]),
      ),
      userText: lastUserText(input),
      hasFunctionCallOutput: toolOutputAfterLastUser(input) !== null,
    };
    if (recorded.length < STUB_LIMITS.maxRecordedRequests) recorded.push(request);

    const decided = decide(request);
    if (!decided.ok) {
      return sendJson(res, 500, errorBody(`stub script failed: ${decided.message}`, "stub_error"));
    }
    const { reply, delayMs } = decided;
    if (delayMs > 0) await sleep(delayMs, closing.signal);
    if (closing.signal.aborted || res.destroyed) return;
    if (reply.kind === "status") return sendStatus(res, reply);

    const usage = safeUsage(request, reply);
    if (reply.kind === "shell") {
      callSeq += 1;
      const callId = `call_${callSeq}`;
      pendingCalls.set(callId, reply.thenText);
      return streamEvents(res, functionCallEvents(request.index, callId, reply.cmd, usage));
    }
    return streamEvents(res, messageEvents(request.index, replyText(reply), reply, usage));
  };

  /** The script's decision, or the automatic answer to a tool follow-up. */
  const decide = (
    request: StubRequest,
  ):
    | { readonly ok: true; readonly reply: StubReply; readonly delayMs: number }
    | { readonly ok: false; readonly message: string } => {
    const callId = toolOutputAfterLastUser(bodyInput(request.body));
    if (callId !== null && pendingCalls.has(callId)) {
      const thenText = pendingCalls.get(callId);
      pendingCalls.delete(callId);
      return {
        ok: true,
        reply: { kind: "text", text: thenText ?? `Ran the command (reply ${request.index})` },
        delayMs: 0,
      };
    }
    try {
      const result = script(request);
      const [reply, delayMs] = isDelayed(result) ? [result.reply, result.delayMs] : [result, 0];
      if (!isReply(reply)) return { ok: false, message: "the script returned no StubReply" };
      return { ok: true, reply, delayMs: clampInt(delayMs, 0, STUB_LIMITS.maxDelayMs) };
    } catch (e) {
      return { ok: false, message: e instanceof Error ? e.message : String(e) };
    }
  };

  const safeUsage = (request: StubRequest, reply: StubReply): StubUsage => {
    try {
      return usageOf(request, reply);
    } catch {
      return defaultUsage(request, reply);
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, errorBody("stub failed", "stub_error"));
      else res.destroy();
    });
  });
  server.on("clientError", (_err, socket) => socket.destroy());

  return new Promise<ModelStub>((resolve, reject) => {
    const onListenError = (err: Error): void => reject(err);
    server.once("error", onListenError);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", onListenError);
      server.on("error", ignore);
      const port = (server.address() as AddressInfo).port;
      const baseUrl = `http://127.0.0.1:${port}/v1`;
      let closed: Promise<void> | null = null;
      resolve({
        port,
        baseUrl,
        get requests(): readonly StubRequest[] {
          return recorded.slice();
        },
        providerConfig: () => ({
          model_providers: {
            stub: {
              name: "stub",
              base_url: baseUrl,
              env_key: STUB_API_KEY_ENV,
              wire_api: "responses",
            },
          },
          model_provider: "stub",
        }),
        providerArgs: () => [
          "-c",
          `model_providers.stub={name="stub",base_url="${baseUrl}",env_key="${STUB_API_KEY_ENV}",wire_api="responses"}`,
          "-c",
          'model_provider="stub"',
        ],
        close: () => {
          if (closed === null) {
            closed = new Promise<void>((done) => {
              closing.abort();
              server.close(() => done());
              server.closeAllConnections();
            });
          }
          return closed;
        },
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Wire format

type SseEvent = Readonly<Record<string, unknown>> & { readonly type: string };

function replyText(reply: Exclude<StubReply, { kind: "shell" } | { kind: "status" }>): string {
  switch (reply.kind) {
    case "text":
      return reply.text;
    case "json":
      return JSON.stringify(reply.value) ?? "null";
    case "chunks":
      return chunkText(reply).repeat(chunkCount(reply));
  }
}

function chunkText(reply: { readonly chunkText?: string }): string {
  return (reply.chunkText ?? "chunk ").slice(0, STUB_LIMITS.maxChunkTextLength);
}

function chunkCount(reply: { readonly count: number }): number {
  return clampInt(reply.count, 0, STUB_LIMITS.maxChunks);
}

function usageJson(usage: StubUsage): Record<string, unknown> {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cachedInputTokens },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningOutputTokens },
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

function responseObject(
  index: number,
  status: "in_progress" | "completed",
  output: readonly unknown[],
  usage: StubUsage | null,
): Record<string, unknown> {
  return {
    id: `resp_${index}`,
    object: "response",
    created_at: Math.floor(Date.now() / 1000),
    status,
    model: "stub",
    output,
    usage: usage === null ? null : usageJson(usage),
  };
}

/** The events of one assistant message; deltas are generated lazily (chunks can be many). */
function* messageEvents(
  index: number,
  text: string,
  reply: StubReply,
  usage: StubUsage,
): Generator<SseEvent> {
  const itemId = `msg_${index}`;
  const item = (status: string, content: readonly unknown[]): Record<string, unknown> => ({
    type: "message",
    id: itemId,
    status,
    role: "assistant",
    content,
  });
  const done = item("completed", [{ type: "output_text", text, annotations: [] }]);
  yield { type: "response.created", response: responseObject(index, "in_progress", [], null) };
  yield { type: "response.output_item.added", output_index: 0, item: item("in_progress", []) };
  const delta = (d: string): SseEvent => ({
    type: "response.output_text.delta",
    item_id: itemId,
    output_index: 0,
    content_index: 0,
    delta: d,
  });
  if (reply.kind === "chunks") {
    const piece = chunkText(reply);
    for (let i = 0; i < chunkCount(reply); i++) yield delta(piece);
  } else {
    for (const word of text.match(/\s*\S+\s*/g) ?? [text]) yield delta(word);
  }
  yield { type: "response.output_item.done", output_index: 0, item: done };
  yield { type: "response.completed", response: responseObject(index, "completed", [done], usage) };
}

/** The events of one `exec_command` function call. */
function* functionCallEvents(
  index: number,
  callId: string,
  cmd: string,
  usage: StubUsage,
): Generator<SseEvent> {
  const base = { type: "function_call", id: `fc_${index}`, name: "exec_command", call_id: callId };
  const done = { ...base, status: "completed", arguments: JSON.stringify({ cmd }) };
  yield { type: "response.created", response: responseObject(index, "in_progress", [], null) };
  yield {
    type: "response.output_item.added",
    output_index: 0,
    item: { ...base, status: "in_progress", arguments: "" },
  };
  yield { type: "response.output_item.done", output_index: 0, item: done };
  yield { type: "response.completed", response: responseObject(index, "completed", [done], usage) };
}

/** Streams events as SSE, honouring back-pressure; stops quietly if the client goes away. */
async function streamEvents(res: ServerResponse, events: Iterable<SseEvent>): Promise<void> {
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
  });
  let seq = 0;
  for (const event of events) {
    if (res.destroyed) return;
    const data = JSON.stringify({ ...event, sequence_number: seq++ });
    if (!res.write(`event: ${event.type}\ndata: ${data}\n\n`)) await drained(res);
  }
  if (!res.destroyed) res.end();
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

function sendStatus(
  res: ServerResponse,
  reply: { readonly status: number; readonly body?: string },
): void {
  const status =
    Number.isInteger(reply.status) && reply.status >= 200 && reply.status <= 599
      ? reply.status
      : 500;
  if (reply.body === undefined) {
    sendJson(res, status, errorBody(`stub status ${status}`, "stub_error"));
    return;
  }
  const body = reply.body.slice(0, STUB_LIMITS.maxStatusBodyLength);
  res.writeHead(status, {
    "content-type": body.trimStart().startsWith("{")
      ? "application/json"
      : "text/plain; charset=utf-8",
  });
  res.end(body);
}

function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { ...headers, "content-type": "application/json" });
  res.end(JSON.stringify(value));
}

function errorBody(message: string, type: string): Record<string, unknown> {
  return { error: { message, type, code: null, param: null } };
}

// ---------------------------------------------------------------------------------------------
// Reading requests

type BodyResult =
  | { readonly kind: "ok"; readonly text: string }
  | { readonly kind: "too_large" }
  | { readonly kind: "bad_encoding" }
  | { readonly kind: "failed" };

/** Reads the whole body, up to {@link STUB_LIMITS.maxBodyBytes}, decompressing gzip/deflate/br. */
function readBody(req: IncomingMessage): Promise<BodyResult> {
  const limit = STUB_LIMITS.maxBodyBytes;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: BodyResult): void => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    req.on("data", (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        settle({ kind: "too_large" });
        return;
      }
      chunks.push(chunk);
    });
    req.on("error", () => settle({ kind: "failed" }));
    req.on("close", () => settle({ kind: "failed" }));
    req.on("end", () => settle(decode(Buffer.concat(chunks), req.headers["content-encoding"])));
  });
}

function decode(raw: Buffer, encoding: string | undefined): BodyResult {
  const enc = (encoding ?? "identity").trim().toLowerCase();
  const opts = { maxOutputLength: STUB_LIMITS.maxBodyBytes };
  try {
    switch (enc) {
      case "":
      case "identity":
        return { kind: "ok", text: raw.toString("utf8") };
      case "gzip":
      case "x-gzip":
        return { kind: "ok", text: gunzipSync(raw, opts).toString("utf8") };
      case "deflate":
        return { kind: "ok", text: inflateSync(raw, opts).toString("utf8") };
      case "br":
        return { kind: "ok", text: brotliDecompressSync(raw, opts).toString("utf8") };
      default:
        return { kind: "bad_encoding" };
    }
  } catch (e) {
    const tooLarge = isRecord(e) && e["code"] === "ERR_BUFFER_TOO_LARGE";
    return tooLarge ? { kind: "too_large" } : { kind: "failed" };
  }
}

function parseJson(
  text: string,
): { readonly ok: true; readonly value: unknown } | { readonly ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function bodyInput(body: unknown): unknown {
  return isRecord(body) ? body["input"] : undefined;
}

/** The text of the last user message of a Responses `input` (a string or a list of items). */
function lastUserText(input: unknown): string | null {
  if (typeof input === "string") return input.trim();
  if (!Array.isArray(input)) return null;
  for (let i = input.length - 1; i >= 0; i--) {
    const item: unknown = input[i];
    if (isUserMessage(item)) return contentText(item["content"]).trim();
  }
  return null;
}

/** The `call_id` of the last tool output after the last user message, or `null`. */
function toolOutputAfterLastUser(input: unknown): string | null {
  if (!Array.isArray(input)) return null;
  for (let i = input.length - 1; i >= 0; i--) {
    const item: unknown = input[i];
    if (isUserMessage(item)) return null;
    if (
      isRecord(item) &&
      (item["type"] === "function_call_output" || item["type"] === "custom_tool_call_output")
    ) {
      return typeof item["call_id"] === "string" ? item["call_id"] : "";
    }
  }
  return null;
}

function isUserMessage(item: unknown): item is Record<string, unknown> {
  return (
    isRecord(item) &&
    item["role"] === "user" &&
    (item["type"] === undefined || item["type"] === "message")
  );
}

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part: unknown) =>
      isRecord(part) && typeof part["text"] === "string" ? part["text"] : "",
    )
    .join("");
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isDelayed(
  result: StubScriptResult,
): result is { readonly reply: StubReply; readonly delayMs: number } {
  return isRecord(result) && "reply" in result && !("kind" in result);
}

/** A run-time check of a script's answer (scripts may be plain JavaScript). */
function isReply(value: unknown): value is StubReply {
  if (!isRecord(value)) return false;
  switch (value["kind"]) {
    case "text":
      return typeof value["text"] === "string";
    case "shell":
      return (
        typeof value["cmd"] === "string" &&
        (value["thenText"] === undefined || typeof value["thenText"] === "string")
      );
    case "json":
      return true;
    case "status":
      return (
        typeof value["status"] === "number" &&
        (value["body"] === undefined || typeof value["body"] === "string")
      );
    case "chunks":
      return (
        typeof value["count"] === "number" &&
        (value["chunkText"] === undefined || typeof value["chunkText"] === "string")
      );
    default:
      return false;
  }
}

function clampInt(value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) return value > 0 ? max : min;
  return Math.min(max, Math.max(min, Math.floor(value)));
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done);
  });
}

function ignore(): void {}
