/**
 * The app-server transport's public surface: `openAppServer` and its handle, and the values
 * the lifecycle calls return about stored threads. (Internals — the RPC client, the link, the
 * notification mapping — stay in their modules.)
 */
export { openAppServer, type AppServer, type AppServerDeps, type ServerInfo } from "./open.js";
export { ThreadPage, ThreadRecord, ThreadSummary, TurnRecord } from "./summary.js";
