/** The stub's HTTP server: routes `POST /v1/responses`, asks the script, streams the answer. */
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  bodyInput,
  lastUserText,
  parseJson,
  readBody,
  toolOutputAfterLastUser,
} from "./request.js";
import { defaultScript, defaultUsage, isDelayed, isReply } from "./script.js";
import {
  STUB_API_KEY_ENV,
  STUB_LIMITS,
  type ModelStub,
  type ModelStubOptions,
  type StubReply,
  type StubRequest,
  type StubScript,
  type StubUsage,
} from "./types.js";
import { clampInt, ignore, isRecord, sleep } from "./util.js";
import {
  errorBody,
  functionCallEvents,
  messageEvents,
  replyText,
  sendJson,
  sendStatus,
  streamEvents,
} from "./wire.js";

/** The usage callback of `options`: {@link defaultUsage} when it is missing, not a function or unreadable. */
function usageOption(options: unknown): NonNullable<ModelStubOptions["usage"]> {
  try {
    const usage: unknown =
      typeof options === "object" && options !== null ? Reflect.get(options, "usage") : undefined;
    return typeof usage === "function"
      ? (usage as NonNullable<ModelStubOptions["usage"]>)
      : defaultUsage;
  } catch {
    return defaultUsage; // a throwing getter or a Proxy
  }
}

/**
 * Starts a stub on 127.0.0.1 (random port). Rejects only if the loopback socket cannot be
 * bound. A script that throws or returns something that is not a {@link StubReply} makes the
 * stub answer HTTP 500 (so does a `script` that is not a function); a usage callback that throws
 * (or options that cannot be read) is replaced by {@link defaultUsage}. The stub never crashes.
 */
export function startModelStub(
  script: StubScript = defaultScript,
  options: ModelStubOptions = {},
): Promise<ModelStub> {
  const usageOf = usageOption(options);
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
