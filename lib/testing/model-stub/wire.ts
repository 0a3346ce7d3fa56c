/** The stub's wire format: Server-Sent Events of the Responses API, and plain JSON answers. */
import type { ServerResponse } from "node:http";
import { chunkCount, chunkText } from "./script.js";
import { STUB_LIMITS, type StubReply, type StubUsage } from "./types.js";

/** One SSE event: its `type` and the rest of its JSON body. */
export type SseEvent = Readonly<Record<string, unknown>> & { readonly type: string };

/** The full text of a message reply. */
export function replyText(
  reply: Exclude<StubReply, { kind: "shell" } | { kind: "status" }>,
): string {
  switch (reply.kind) {
    case "text":
      return reply.text;
    case "json":
      return JSON.stringify(reply.value) ?? "null";
    case "chunks":
      return chunkText(reply).repeat(chunkCount(reply));
  }
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
export function* messageEvents(
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
export function* functionCallEvents(
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
export async function streamEvents(res: ServerResponse, events: Iterable<SseEvent>): Promise<void> {
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

/** Answers a `status` reply: its status (500 when out of range) and body, or a JSON error. */
export function sendStatus(
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

/** Answers `value` as JSON with `status` (unless an answer has already started). */
export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { ...headers, "content-type": "application/json" });
  res.end(JSON.stringify(value));
}

/** An OpenAI-style JSON error body. */
export function errorBody(message: string, type: string): Record<string, unknown> {
  return { error: { message, type, code: null, param: null } };
}
