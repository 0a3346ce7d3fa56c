/**
 * A JSON-RPC client over a `codex app-server` child's stdio: one JSON object per line each
 * way, request ids and a time-out per request (the server never answers a line it cannot
 * parse), results and notifications decoded with the generated codecs only, notifications
 * routed by thread id, server→client requests answered (approvals declined). When the child
 * dies every pending request fails with `TransportClosed`; nothing waits forever.
 */
export { connect } from "./rpc/connect.js";
export type { RequestOptions, RpcConnection, RpcOptions, ThreadSignal } from "./rpc/types.js";
