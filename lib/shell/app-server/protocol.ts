/**
 * The slice of the app-server protocol codex-fp speaks, typed by the GENERATED codecs: which
 * response codec answers which request (the schema does not link them), the params type of
 * each request, and decoding of server notifications by method. Pure: no I/O.
 */
import type * as t from "io-ts";
import { err, ok, type Result } from "neverthrow";
import {
  InitializeResponse,
  ServerNotificationParams,
  ThreadArchiveResponse,
  ThreadDeleteResponse,
  ThreadForkResponse,
  ThreadListResponse,
  ThreadReadResponse,
  ThreadResumeResponse,
  ThreadSetNameResponse,
  ThreadStartResponse,
  ThreadUnarchiveResponse,
  TurnInterruptResponse,
  TurnStartResponse,
  type ClientRequestParamsByMethod,
  type ServerNotificationMethod,
} from "../../generated/app-server/index.js";
import type { Issue } from "../../core/errors/index.js";
import { isRecord, toIssues } from "../../core/decoding/decode.js";

/** The response codec of every request codex-fp sends. */
export const ResponseCodecs = {
  initialize: InitializeResponse,
  "thread/start": ThreadStartResponse,
  "thread/resume": ThreadResumeResponse,
  "thread/fork": ThreadForkResponse,
  "thread/archive": ThreadArchiveResponse,
  "thread/unarchive": ThreadUnarchiveResponse,
  "thread/delete": ThreadDeleteResponse,
  "thread/list": ThreadListResponse,
  "thread/read": ThreadReadResponse,
  "thread/name/set": ThreadSetNameResponse,
  "turn/start": TurnStartResponse,
  "turn/interrupt": TurnInterruptResponse,
} as const;

/** A request method codex-fp sends. */
export type RpcMethod = keyof typeof ResponseCodecs;
/** The params of a request, as its generated codec types them. */
export type RpcParams<M extends RpcMethod> = ClientRequestParamsByMethod[M];
/** The decoded result of a request. */
export type RpcResult<M extends RpcMethod> = t.TypeOf<(typeof ResponseCodecs)[M]>;

/** A decoded server notification: its method and its params, typed together. */
export type ServerNote = {
  readonly [M in ServerNotificationMethod]: {
    readonly method: M;
    readonly params: t.TypeOf<(typeof ServerNotificationParams)[M]>;
  };
}[ServerNotificationMethod];

/** The response codecs, typed so that indexing with a method keeps that method's result. */
const responseDecoders: { readonly [M in RpcMethod]: t.Decoder<unknown, RpcResult<M>> } =
  ResponseCodecs;

/** A notification whose params do not match the generated codec of its method. */
export interface InvalidNote {
  readonly method: "invalid";
  readonly wireMethod: string;
  readonly issues: readonly Issue[];
}

/** The thread a raw notification is about (`params.threadId`, or `params.thread.id`). */
export const threadIdOf = (params: unknown): string | null => {
  if (!isRecord(params)) return null;
  const id = params["threadId"];
  if (typeof id === "string") return id;
  const thread = params["thread"];
  return isRecord(thread) && typeof thread["id"] === "string" ? thread["id"] : null;
};

const isKnownMethod = (m: string): m is ServerNotificationMethod =>
  Object.prototype.hasOwnProperty.call(ServerNotificationParams, m);

/**
 * Decodes a notification's params with the generated codec of its method. Unknown methods
 * give null (a newer server's notification: ignored, never an error).
 */
export const decodeNote = (method: string, params: unknown): ServerNote | InvalidNote | null => {
  if (!isKnownMethod(method)) return null;
  const codec: t.Decoder<unknown, unknown> = ServerNotificationParams[method];
  const r = codec.decode(params);
  if (r._tag === "Left")
    return { method: "invalid", wireMethod: method, issues: toIssues(`${method}.params`, r.left) };
  // The params decoded by `method`'s own codec: the pair is that method's note (a correlation
  // TypeScript cannot follow through the union).
  return { method, params: r.right } as ServerNote;
};

/** Decodes a request's result with its response codec; the issues on failure. */
export const decodeResult = <M extends RpcMethod>(
  method: M,
  result: unknown,
): Result<RpcResult<M>, readonly Issue[]> => {
  const r = responseDecoders[method].decode(result);
  return r._tag === "Left" ? err(toIssues(`${method}.result`, r.left)) : ok(r.right);
};
