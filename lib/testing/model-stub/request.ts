/** Reading a request: its body (bounded, decompressed), its JSON, and what its `input` holds. */
import type { IncomingMessage } from "node:http";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";
import { STUB_LIMITS } from "./types.js";
import { isRecord } from "./util.js";
import { parseJson as parseUnknown } from "../../core/decoding/unknown.js";

/** A request body as read: its text, or why it could not be read. */
export type BodyResult =
  | { readonly kind: "ok"; readonly text: string }
  | { readonly kind: "too_large" }
  | { readonly kind: "bad_encoding" }
  | { readonly kind: "failed" };

/** Reads the whole body, up to {@link STUB_LIMITS.maxBodyBytes}, decompressing gzip/deflate/br. */
export function readBody(req: IncomingMessage): Promise<BodyResult> {
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

/** The JSON value of `text`, or not ok. */
export function parseJson(
  text: string,
): { readonly ok: true; readonly value: unknown } | { readonly ok: false } {
  try {
    return { ok: true, value: parseUnknown(text) };
  } catch {
    return { ok: false };
  }
}

/** The `input` of a request body (undefined when the body is no object). */
export function bodyInput(body: unknown): unknown {
  return isRecord(body) ? body["input"] : undefined;
}

/** The text of the last user message of a Responses `input` (a string or a list of items). */
export function lastUserText(input: unknown): string | null {
  if (typeof input === "string") return input.trim();
  if (!Array.isArray(input)) return null;
  for (let i = input.length - 1; i >= 0; i--) {
    const item: unknown = input[i];
    if (isUserMessage(item)) return contentText(item["content"]).trim();
  }
  return null;
}

/** The `call_id` of the last tool output after the last user message, or `null`. */
export function toolOutputAfterLastUser(input: unknown): string | null {
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
