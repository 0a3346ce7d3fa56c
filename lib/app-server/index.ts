/**
 * codex-fp/app-server: the `codex app-server` JSON-RPC transport (`openAppServer`) and the
 * thread lifecycle it offers (fork, archive, delete, list, read, name).
 *
 * @module codex-fp/app-server
 */
export {
  openAppServer,
  type AppServer,
  type AppServerDeps,
  type ServerInfo,
  ThreadSummary,
  ThreadPage,
  ThreadRecord,
  TurnRecord,
} from "../shell/app-server/index.js";
export {
  forkThread,
  archiveThread,
  unarchiveThread,
  deleteThread,
  listThreads,
  readThread,
  setThreadName,
  type LifecycleDeps,
  type LifecycleError,
  type ForkOptions,
  type ReadOptions,
  type ListThreadsQuery,
} from "../shell/lifecycle.js";
export type {
  TransportError,
  TransportErrorTag,
  RpcFailed,
  InvalidResponse,
  Unsupported,
} from "../core/errors/index.js";
