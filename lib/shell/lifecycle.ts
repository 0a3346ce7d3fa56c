/**
 * The thread lifecycle — fork, archive, unarchive, delete, list, read, name — for both
 * transports. Given an app-server (`deps.server = server`, or its transport, which carries it)
 * each call is one request on the shared server; otherwise the `codex` CLI is run: `codex exec fork <id>`
 * (with no prompt it forks and stops), `codex archive|unarchive <id>`, `codex delete --force
 * <id>`. What the CLI cannot do (list, read, name, fork through a turn) is `Unsupported`.
 * Every call validates its input first (ids with `parseThreadId`), never throws, maps
 * not-found and busy to `ThreadNotFound` / `ThreadBusy`, and reports a LifecycleEvent.
 */
export { forkThread } from "./lifecycle/fork.js";
export {
  archiveThread,
  deleteThread,
  listThreads,
  readThread,
  setThreadName,
  unarchiveThread,
} from "./lifecycle/calls.js";
export type {
  ForkError,
  ForkOptions,
  LifecycleDeps,
  LifecycleError,
  ListThreadsQuery,
  ReadOptions,
} from "./lifecycle/types.js";
export { LifecycleEvent } from "./lifecycle/types.js";
