/** What the stub answers by default, and the run-time checks of what a script answers. */
import { clampInt, isRecord } from "./util.js";
import {
  STUB_LIMITS,
  type StubReply,
  type StubRequest,
  type StubScriptResult,
  type StubUsage,
} from "./types.js";

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

/** The text a `chunks` reply repeats, cut to its bound. */
export function chunkText(reply: { readonly chunkText?: string }): string {
  return (reply.chunkText ?? "chunk ").slice(0, STUB_LIMITS.maxChunkTextLength);
}

/** How many deltas a `chunks` reply streams, clamped to its bound. */
export function chunkCount(reply: { readonly count: number }): number {
  return clampInt(reply.count, 0, STUB_LIMITS.maxChunks);
}

/** True when a script answered a delayed reply (`{ reply, delayMs }`). */
export function isDelayed(
  result: StubScriptResult,
): result is { readonly reply: StubReply; readonly delayMs: number } {
  return isRecord(result) && "reply" in result && !("kind" in result);
}

/** A run-time check of a script's answer (scripts may be plain JavaScript). */
export function isReply(value: unknown): value is StubReply {
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
