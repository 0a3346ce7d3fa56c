/**
 * codex-fp/app-server: the `codex app-server` JSON-RPC transport (`openAppServer`) and the
 * thread lifecycle it offers (fork, archive, delete, list, read, name). Its codecs are total: an
 * unreadable value (a throwing getter, a Proxy) is a Left from `decode`, false from `is`.
 *
 * @module codex-fp/app-server
 */
import { totalCodec } from "../core/decoding/total.js";
import {
  ThreadSummary as ThreadSummaryCodec,
  ThreadPage as ThreadPageCodec,
  ThreadRecord as ThreadRecordCodec,
  TurnRecord as TurnRecordCodec,
} from "../shell/app-server/index.js";

export {
  openAppServer,
  type AppServer,
  type AppServerDeps,
  type ServerInfo,
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
  type ForkError,
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

/** Codec of a thread as `thread/list` reports it (total: an unreadable value is a Left). */
export const ThreadSummary = /* @__PURE__ */ totalCodec(ThreadSummaryCodec);
/** The type of {@link ThreadSummary}'s values. */
export type ThreadSummary = ThreadSummaryCodec;
/** Codec of a page of `thread/list` (total: an unreadable value is a Left). */
export const ThreadPage = /* @__PURE__ */ totalCodec(ThreadPageCodec);
/** The type of {@link ThreadPage}'s values. */
export type ThreadPage = ThreadPageCodec;
/** Codec of a thread as `thread/read` reports it (total: an unreadable value is a Left). */
export const ThreadRecord = /* @__PURE__ */ totalCodec(ThreadRecordCodec);
/** The type of {@link ThreadRecord}'s values. */
export type ThreadRecord = ThreadRecordCodec;
/** Codec of a turn as `thread/read` reports it (total: an unreadable value is a Left). */
export const TurnRecord = /* @__PURE__ */ totalCodec(TurnRecordCodec);
/** The type of {@link TurnRecord}'s values. */
export type TurnRecord = TurnRecordCodec;
