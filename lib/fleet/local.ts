/**
 * The worker's side of a session: its local rollout file, brought up to the store's head
 * before a turn (only the chunks it lacks are read and appended) and read from the head's
 * length after the turn (only the bytes the turn added). A local copy that is not a committed
 * prefix of the head (a turn that failed or was cut short here, a diverged copy) is replaced
 * whole, by a temp file and a rename: the local store is a cache of the fleet's store.
 */
import { open, mkdir, rename, stat, writeFile, rm } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { randomUUID } from "node:crypto";
import { ResultAsync, err, ok, okAsync, type Result } from "neverthrow";
import { findSession } from "../shell/sessions.js";
import { sessionSyncFailed, storeCorrupt, type FleetError } from "./errors.js";
import type { ReadHead, SessionStore } from "./store.js";

/** What bringing a local copy up to the head did. */
export interface SyncReport {
  readonly chunks: number;
  readonly bytes: number;
  readonly replaced: boolean;
}

const sizeOf = async (file: string): Promise<number> => {
  try {
    return (await stat(file)).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw e;
  }
};

/** Bytes [from, to) of a file. */
const readRange = async (file: string, from: number, to: number): Promise<Buffer> => {
  const fh = await open(file, "r");
  try {
    const buf = Buffer.alloc(to - from);
    let off = 0;
    while (off < buf.length) {
      const { bytesRead } = await fh.read(buf, off, buf.length - off, from + off);
      if (bytesRead === 0) break;
      off += bytesRead;
    }
    return off === buf.length ? buf : buf.subarray(0, off);
  } finally {
    await fh.close();
  }
};

const failed = (threadId: string | null, what: string, e: unknown): FleetError =>
  sessionSyncFailed(
    threadId,
    `${what}: ${e instanceof Error ? ((e as NodeJS.ErrnoException).code ?? e.message) : String(e)}`,
  );

/** The local rollout of a head under `sessionsDir`. */
export const localRollout = (sessionsDir: string, head: ReadHead): string =>
  join(sessionsDir, ...head.head.path.split("/"));

/**
 * Brings the local copy of a thread to `head`: nothing when it is there, the missing chunks
 * appended when it is a committed prefix, else the whole rollout written anew.
 */
export const syncToHead = (
  store: SessionStore,
  sessionsDir: string,
  threadId: string,
  head: ReadHead,
): ResultAsync<SyncReport, FleetError> => {
  const file = localRollout(sessionsDir, head);
  const h = head.head;
  const io = <A>(what: string, f: () => Promise<A>) =>
    ResultAsync.fromPromise(f(), (e) => failed(threadId, what, e));
  const checkChunks = (
    chunks: Buffer[],
    want: number,
    bytes: number,
  ): Result<Buffer[], FleetError> =>
    chunks.length !== want || chunks.reduce((n, c) => n + c.length, 0) !== bytes
      ? err(storeCorrupt(threadId, "its chunks do not add up to the head's length"))
      : ok(chunks);
  const replace = (): ResultAsync<SyncReport, FleetError> =>
    store
      .chunks(threadId, 0, h.chunks - 1)
      .andThen((cs) => checkChunks(cs, h.chunks, h.length))
      .andThen((cs) =>
        io("write the rollout", async () => {
          await mkdir(dirname(file), { recursive: true });
          const tmp = `${file}.${randomUUID()}.tmp`;
          try {
            await writeFile(tmp, Buffer.concat(cs));
            await rename(tmp, file);
          } catch (e) {
            await rm(tmp, { force: true }).catch(() => undefined);
            throw e;
          }
          return { chunks: cs.length, bytes: h.length, replaced: true };
        }),
      );
  /** True when the local bytes before `length` end with the chunk that ends there. */
  const endsWithChunk = (length: number, index: number): ResultAsync<boolean, FleetError> =>
    index < 0
      ? okAsync(length === 0)
      : store
          .chunks(threadId, index, index)
          .andThen(([c]) =>
            c === undefined || c.length > length
              ? okAsync(false)
              : io("read the rollout", () => readRange(file, length - c.length, length)).map((b) =>
                  b.equals(c),
                ),
          );

  return io("stat the rollout", () => sizeOf(file)).andThen((local) => {
    if (local === h.length)
      return endsWithChunk(local, h.chunks - 1).andThen((same) =>
        same ? okAsync({ chunks: 0, bytes: 0, replaced: false }) : replace(),
      );
    if (local > h.length) return replace();
    return store.chunkStartingAt(threadId, local).andThen((index) =>
      index === null || index >= h.chunks
        ? replace()
        : endsWithChunk(local, index - 1).andThen((prefix) =>
            !prefix
              ? replace()
              : store
                  .chunks(threadId, index, h.chunks - 1)
                  .andThen((cs) => checkChunks(cs, h.chunks - index, h.length - local))
                  .andThen((cs) =>
                    io("append to the rollout", async () => {
                      await mkdir(dirname(file), { recursive: true });
                      const fh = await open(file, "a");
                      try {
                        if ((await fh.stat()).size !== local)
                          throw new Error("it changed meanwhile");
                        await fh.write(Buffer.concat(cs));
                      } finally {
                        await fh.close();
                      }
                      return { chunks: cs.length, bytes: h.length - local, replaced: false };
                    }),
                  ),
          ),
    );
  });
};

/** What a turn added to a rollout: the bytes after `from`, and its path under `sessions/`. */
export interface TurnDelta {
  readonly path: string;
  readonly bytes: Buffer;
  readonly length: number;
}

/**
 * The bytes a turn added: the rollout's bytes from `from` on. For a new thread (`path` null)
 * the rollout is found in the store by id and read whole.
 */
export const readDelta = (
  sessionsDir: string,
  codexHome: string,
  threadId: string,
  path: string | null,
  from: number,
): ResultAsync<TurnDelta, FleetError> => {
  const io = <A>(what: string, f: () => Promise<A>) =>
    ResultAsync.fromPromise(f(), (e) => failed(threadId, what, e));
  const rel: ResultAsync<string, FleetError> =
    path !== null
      ? okAsync(path)
      : findSession(threadId, { codexHome, scan: "tail" })
          .mapErr((e) => sessionSyncFailed(threadId, `the new rollout: ${e.message}`))
          .map((s) => relative(sessionsDir, s.path).split(sep).join("/"));
  return rel.andThen((p) =>
    io("read the rollout", async () => {
      const file = join(sessionsDir, ...p.split("/"));
      const size = await sizeOf(file);
      if (size < from) throw new Error(`it is shorter (${size} bytes) than the head (${from})`);
      return { path: p, bytes: await readRange(file, from, size), length: size };
    }),
  );
};
