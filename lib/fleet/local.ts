/**
 * The worker's side of a session, built on session archives (`exportSession` /
 * `importSession`): each chunk in the fleet's store is a delta archive (the first one whole).
 * Before a turn the worker imports only the chunks its local rollout lacks (a local copy at the
 * head costs one verified no-op import); after the turn it exports only what the turn added,
 * from the head's point (O(bytes added)). A local copy that is not a committed prefix of the
 * head (a turn that failed or was cut short here, a diverged copy) is dropped and rebuilt from
 * the chunks: the local store is a cache of the fleet's.
 */
import { rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { ResultAsync, errAsync, okAsync } from "neverthrow";
import { endOf, type ArchivePoint, type SessionArchive } from "../core/archive.js";
import type { SessionError } from "../core/errors/index.js";
import { exportSession, importSession } from "../shell/archive.js";
import { sessionSyncFailed, storeCorrupt, type FleetError } from "./errors.js";
import type { ReadHead, SessionStore } from "./store.js";
import type { StoreHead } from "./wire.js";

/** What bringing a local copy up to the head did. */
export interface SyncReport {
  readonly chunks: number;
  readonly bytes: number;
  readonly replaced: boolean;
}

/** The archive point a head ends at (what the next export's `since` is). */
export const pointOf = (h: StoreHead): ArchivePoint => ({
  length: h.length,
  digest: h.digest,
  tail: h.tail,
  hashState: h.hashState,
  position: { completedTurns: h.completedTurns, lastTurnId: h.lastTurnId },
});

/** The head after appending `archive` to `previous` (null: a new thread). */
export const headAfter = (previous: StoreHead | null, archive: SessionArchive): StoreHead => {
  const end = endOf(archive);
  return {
    completedTurns: end.position.completedTurns,
    lastTurnId: end.position.lastTurnId,
    length: end.length,
    digest: end.digest,
    tail: end.tail,
    hashState: end.hashState,
    chunks: (previous?.chunks ?? 0) + 1,
    path: archive.relativePath,
  };
};

const syncError = (threadId: string, e: SessionError | FleetError): FleetError =>
  e._tag === "StoreCorrupt" || e._tag === "RedisUnavailable" || e._tag === "SessionSyncFailed"
    ? e
    : sessionSyncFailed(threadId, `${e._tag}: ${e.message}`);

/**
 * Brings the local copy of a thread to `head`: the chunks from the one starting at the local
 * length are imported in order (the last one only, as a check, when the local copy is at the
 * head); on a conflict the local rollout is removed and every chunk imported.
 */
export const syncToHead = (
  store: SessionStore,
  codexHome: string,
  threadId: string,
  head: ReadHead,
): ResultAsync<SyncReport, FleetError> => {
  const h = head.head;
  const file = join(codexHome, "sessions", ...h.path.split("/"));
  const importFrom = (from: number): ResultAsync<number, SessionError | FleetError> =>
    store.chunks(threadId, from, h.chunks - 1).andThen((chunks) => {
      if (chunks.length !== h.chunks - from)
        return errAsync(storeCorrupt(threadId, `chunks ${from}..${h.chunks - 1} are missing`));
      let bytes = 0;
      let chain: ResultAsync<void, SessionError | FleetError> = okAsync(undefined);
      for (const c of chunks) {
        bytes += c.length;
        chain = chain.andThen(() =>
          importSession(c.toString("utf8"), { codexHome }).map(() => undefined),
        );
      }
      return chain.map(() => bytes);
    });
  const replace = (): ResultAsync<SyncReport, FleetError> =>
    ResultAsync.fromPromise(rm(file, { force: true }), (e) =>
      sessionSyncFailed(threadId, `could not remove the local rollout: ${String(e)}`),
    )
      .andThen(() => importFrom(0))
      .map((bytes) => ({ chunks: h.chunks, bytes, replaced: true }))
      .mapErr((e) => syncError(threadId, e));

  return ResultAsync.fromSafePromise(
    stat(file).then(
      (s) => s.size,
      () => 0,
    ),
  ).andThen((local) => {
    if (local > h.length) return replace();
    const start: ResultAsync<number | null, FleetError> =
      local === h.length ? okAsync(h.chunks - 1) : store.chunkStartingAt(threadId, local);
    return start.andThen((index) =>
      index === null || index < 0
        ? replace()
        : importFrom(index)
            .map((bytes) =>
              local === h.length
                ? { chunks: 0, bytes: 0, replaced: false }
                : { chunks: h.chunks - index, bytes, replaced: false },
            )
            .orElse((e) =>
              e._tag === "ArchiveConflict" || e._tag === "InvalidArchive"
                ? replace()
                : errAsync(syncError(threadId, e)),
            ),
    );
  });
};

/**
 * What a turn added, as an archive: a delta from the head's point, or (a new thread) the
 * whole rollout.
 */
export const exportTurn = (
  codexHome: string,
  threadId: string,
  head: StoreHead | null,
): ResultAsync<SessionArchive, FleetError> =>
  exportSession(threadId, {
    codexHome,
    compress: false,
    ...(head !== null ? { since: pointOf(head) } : {}),
  }).mapErr((e) => sessionSyncFailed(threadId, `exporting the turn: ${e._tag}: ${e.message}`));
