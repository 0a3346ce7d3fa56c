/** Moved to `./errors/transport.ts`; kept for old imports. */
export * from "./errors/transport.js";
export type { RpcFailed, InvalidResponse, Unsupported } from "./errors/turn.js";
export { transportClosed, unsupported } from "./errors/make.js";
