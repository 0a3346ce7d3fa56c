/**
 * The thread lifecycle over an app-server link: fork, archive, unarchive, delete, list, read
 * and name. Ids are validated by the caller (lib/shell/lifecycle.ts); not-found and busy
 * answers arrive as `ThreadNotFound` / `ThreadBusy` from the RPC layer.
 */
import { ResultAsync, err, errAsync } from "neverthrow";
import { forkedThread } from "../../core/fork.js";
import type { Thread } from "../../core/thread.js";
import { parseThreadId } from "../../core/thread-id.js";
import { invalidResponse, type TransportError } from "../../core/errors/index.js";
import { usageFromWire } from "../../core/usage.js";
import { forkedFromIdAt, readForkFacts, type LocateRollout } from "../fork-facts.js";
import type { Link } from "./link.js";
import { threadForkParams } from "./params.js";
import type { ThreadListParams } from "../../generated/app-server/index.js";
import {
  toSummary,
  toTurnRecord,
  type ThreadPage,
  type ThreadRecord,
  type ThreadSummary,
} from "./summary.js";

/** How long `fork` waits for the server to announce the new thread (ms). */
const FORK_ANNOUNCE_MS = 1_000;

/**
 * Forks `thread` (whose id is `threadId`) on the server, through `lastTurnId` when given. The
 * new Thread keeps the parent's options; its cumulative usage is the usage of the fork's
 * history (read from the rollouts: the parent's at the fork's cut), so its first turn reports
 * its own usage; its continuation token (signed with `secret` when given) claims the position
 * the fork's rollout is at, so its first turn is validated like any resumed thread's.
 */
export const forkOnServer = (
  link: Link,
  thread: Thread,
  threadId: string,
  lastTurnId: string | undefined,
  secret?: string,
): ResultAsync<Thread, TransportError> => {
  const announced = new Set<string>();
  let wake: (() => void) | null = null;
  const stop = link.rpc.onNote((n) => {
    if (n.method !== "thread/started") return;
    announced.add(n.params.thread.id);
    wake?.();
  });
  const locate: LocateRollout = (id) =>
    link.rpc.request("thread/read", { threadId: id, includeTurns: false }, { threadId: id }).match(
      (r) => r.thread.path ?? null,
      () => null,
    );
  return link.rpc
    .request("thread/fork", threadForkParams(thread, threadId, lastTurnId), { threadId })
    .andThen((r) => {
      const forkId = r.thread.id;
      const restored = link.totals.get(forkId);
      // Without the rollouts, a whole-thread fork's history is the parent's: its usage too.
      const fallback =
        restored !== undefined
          ? usageFromWire(restored)
          : lastTurnId === undefined
            ? (thread.cumulativeUsage ?? null)
            : null;
      const announcedOrLate = new Promise<void>((resolve) => {
        if (announced.has(forkId)) return resolve();
        const timer = setTimeout(resolve, FORK_ANNOUNCE_MS);
        wake = () => {
          if (!announced.has(forkId)) return;
          clearTimeout(timer);
          resolve();
        };
      });
      return ResultAsync.fromSafePromise(
        announcedOrLate.then(() => readForkFacts(r.thread.path ?? null, locate, fallback)),
      ).andThen((facts) => {
        const id = parseThreadId(forkId, "thread.id");
        return (id.isErr() ? err(id.error) : forkedThread(thread, id.value, facts, secret)).mapErr(
          (e): TransportError =>
            invalidResponse(
              "thread/fork",
              "issues" in e ? e.issues : [{ path: e.path, message: e.message }],
              "the server's fork cannot be a Thread",
            ),
        );
      });
    })
    .map((t) => {
      stop();
      return t;
    })
    .mapErr((e) => {
      stop();
      return e;
    });
};

/** Archives a thread. */
export const archiveOnServer = (link: Link, threadId: string): ResultAsync<void, TransportError> =>
  link.rpc.request("thread/archive", { threadId }, { threadId }).map(() => undefined);

/** Unarchives a thread. */
export const unarchiveOnServer = (
  link: Link,
  threadId: string,
): ResultAsync<void, TransportError> =>
  link.rpc.request("thread/unarchive", { threadId }, { threadId }).map(() => undefined);

/** Deletes a thread for good. */
export const deleteOnServer = (link: Link, threadId: string): ResultAsync<void, TransportError> =>
  link.rpc.request("thread/delete", { threadId }, { threadId }).map(() => {
    link.loaded.delete(threadId);
    link.totals.delete(threadId);
  });

/** Names a thread. */
export const nameOnServer = (
  link: Link,
  threadId: string,
  name: string,
): ResultAsync<void, TransportError> =>
  link.rpc.request("thread/name/set", { threadId, name }, { threadId }).map(() => undefined);

/** What `listThreads` filters on. */
export interface ListQuery {
  readonly archived?: boolean;
  readonly cwd?: string;
  readonly cursor?: string;
  readonly limit?: number;
  readonly searchTerm?: string;
}

/**
 * The sources listed: every thread a person or a program started — `codex exec` (runTurn's
 * default transport) included, which the server leaves out by default — but no sub-agents.
 */
export const LISTED_SOURCES: NonNullable<ThreadListParams["sourceKinds"]> = [
  "cli",
  "vscode",
  "exec",
  "appServer",
  "unknown",
];

/** One page of stored threads, newest first. */
export const listOnServer = (link: Link, q: ListQuery): ResultAsync<ThreadPage, TransportError> => {
  const params: ThreadListParams = {
    sourceKinds: [...LISTED_SOURCES],
    ...(q.archived !== undefined ? { archived: q.archived } : {}),
    ...(q.cwd !== undefined ? { cwd: q.cwd } : {}),
    ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
    ...(q.limit !== undefined ? { limit: q.limit } : {}),
    ...(q.searchTerm !== undefined ? { searchTerm: q.searchTerm } : {}),
  };
  return link.rpc
    .request("thread/list", params)
    .andThen((r) =>
      ResultAsync.fromSafePromise(
        Promise.all(r.data.map((th) => withForkedFrom(toSummary(th, q.archived === true)))),
      ).map((threads) => ({ threads, nextCursor: r.nextCursor ?? null })),
    );
};

/**
 * The summary with `forkedFromId` as the rollout records it: the server's `thread/list` leaves
 * it out (its `thread/read` does not), so a fork's rollout head is read for it.
 */
const withForkedFrom = async (s: ThreadSummary): Promise<ThreadSummary> =>
  s.forkedFromId !== null || s.path === null
    ? s
    : { ...s, forkedFromId: await forkedFromIdAt(s.path) };

/**
 * One stored thread, with its turns when `includeTurns`. A thread without turns yet makes the
 * server refuse `includeTurns` ("not supported yet"): it is read without and has no turns.
 */
export const readOnServer = (
  link: Link,
  threadId: string,
  includeTurns: boolean,
): ResultAsync<ThreadRecord, TransportError> =>
  link.rpc
    .request("thread/read", { threadId, includeTurns }, { threadId })
    .map((r) => ({
      thread: toSummary(r.thread),
      turns: includeTurns ? r.thread.turns.map(toTurnRecord) : null,
    }))
    .orElse((e) =>
      includeTurns && e._tag === "RpcFailed" && /not supported yet/i.test(e.message)
        ? link.rpc
            .request("thread/read", { threadId, includeTurns: false }, { threadId })
            .map((r) => ({ thread: toSummary(r.thread), turns: [] }))
        : errAsync(e),
    );
