/** What the stub answers by default, and the run-time checks of what a script answers. */
import { clampInt, isRecord } from "./util.js";
import {
  STUB_LIMITS,
  type StubReply,
  type StubRequest,
  type StubScriptResult,
  type StubUsage,
} from "./types.js";

/** `read()`, or `fallback` when reading threw (a throwing getter or a Proxy). */
function attempt<A>(read: () => A, fallback: A): A {
  try {
    return read();
  } catch {
    return fallback;
  }
}

/** The fields of a request the defaults use, read once; anything unusable takes a neutral value. */
function requestFacts(req: unknown): {
  readonly index: number;
  readonly text: string;
  readonly followUp: boolean;
} {
  const none = { index: 0, text: "", followUp: false };
  if (!attempt(() => isRecord(req), false)) return none;
  const r = req as Record<string, unknown>;
  const index = attempt(() => r["index"], 0);
  const text = attempt(() => r["userText"], "");
  return {
    index: typeof index === "number" && Number.isFinite(index) ? index : 0,
    text: typeof text === "string" ? text : "",
    followUp: attempt(() => r["hasFunctionCallOutput"], false) === true,
  };
}

/**
 * The default script, which reproduces the reference recordings: a tool follow-up is answered
 * `Ran the command (reply N)`; a user text starting with `run:` gets a shell call of the rest;
 * anything else `Hello from stub N: <user text>`. Never throws: a request that is not one (from
 * JavaScript) is read as request 0 without a user text.
 */
export function defaultScript(req: StubRequest): StubReply {
  const { index, text, followUp } = requestFacts(req);
  if (followUp) return { kind: "text", text: `Ran the command (reply ${index})` };
  if (text.startsWith("run:")) return { kind: "shell", cmd: text.slice("run:".length).trim() };
  return { kind: "text", text: `Hello from stub ${index}: ${text}` };
}

const NOTHING: StubUsage = Object.freeze({
  inputTokens: 0,
  cachedInputTokens: 0,
  outputTokens: 0,
  reasoningOutputTokens: 0,
});

/**
 * The default usage, which reproduces every reference recording exactly (basic, resume,
 * shell, structured). With N the request's index: input tokens `12·(N+1)`, plus 16 for a shell
 * call and 6 for a JSON answer; cached input tokens a quarter of the input (rounded down);
 * output tokens 5 for a text, 8 for a JSON answer, 12 for a shell call, `count` for chunks;
 * reasoning tokens 2 for a shell call, else 1. Error statuses bill nothing, and so does a reply
 * that is not a {@link StubReply} (from JavaScript). Never throws.
 */
export function defaultUsage(req: StubRequest, reply: StubReply): StubUsage {
  return attempt(() => usageOf(requestFacts(req).index, reply), { ...NOTHING });
}

function usageOf(index: number, reply: StubReply): StubUsage {
  if (!isReply(reply) || reply.kind === "status") return { ...NOTHING };
  const extraInput = reply.kind === "shell" ? 16 : reply.kind === "json" ? 6 : 0;
  const inputTokens = 12 * (index + 1) + extraInput;
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
  try {
    return replyShape(value);
  } catch {
    return false; // a throwing getter or a Proxy is no reply
  }
}

function replyShape(value: unknown): boolean {
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
