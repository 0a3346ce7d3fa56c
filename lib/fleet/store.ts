/**
 * The fleet's session store in Redis. Per thread, under one hash tag (so a Redis Cluster keeps
 * a thread's keys in one slot):
 *   `<ns>:{<threadId>}:head`    the head, JSON (see StoreHead): position, length, digest …
 *   `<ns>:{<threadId>}:chunks`  a list of the rollout's chunks, one per committed turn, append-only
 *   `<ns>:{<threadId>}:offsets` a hash: the rollout length at which each chunk starts → its index
 *   `<ns>:{<threadId>}:lock`    the id of the job running a turn of the thread (with a TTL)
 * The head moves only by compare-and-set against the exact head a job started from (a Lua
 * script, atomic in Redis), together with the chunk it appends.
 */
import { createHash } from "node:crypto";
import { ResultAsync, err, ok } from "neverthrow";
import type { Redis } from "ioredis";
import { redisUnavailable, storeCorrupt, type FleetError } from "./errors.js";
import { StoreHead, decodeAs } from "./wire.js";
import { parseJson } from "../core/decoding/unknown.js";

/** A head as read: decoded, and its exact text (what a compare-and-set compares). */
export interface ReadHead {
  readonly head: StoreHead;
  readonly raw: string;
}

/** What a commit did: moved the head, or found another head (null: none) in its place. */
export type CommitResult =
  { readonly committed: true } | { readonly committed: false; readonly current: StoreHead | null };

// KEYS: head, chunks, offsets. ARGV: expected head text ("" = none), new head, chunk, start length.
const COMMIT = `
local cur = redis.call('GET', KEYS[1])
if cur == false then cur = '' end
if cur ~= ARGV[1] then return {0, cur} end
local n = redis.call('RPUSH', KEYS[2], ARGV[3])
redis.call('HSET', KEYS[3], ARGV[4], n - 1)
redis.call('SET', KEYS[1], ARGV[2])
return {1, ARGV[2]}
`;
// KEYS: lock. ARGV: owner, ttl ms. Takes a free lock, or renews one the owner holds.
const LOCK = `
local cur = redis.call('GET', KEYS[1])
if cur == false or cur == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
`;
// KEYS: lock. ARGV: owner. Releases the lock only when the owner holds it.
const UNLOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

const sha1 = (s: string): string => createHash("sha1").update(s).digest("hex");
const SCRIPTS = { commit: COMMIT, lock: LOCK, unlock: UNLOCK } as const;
type ScriptName = keyof typeof SCRIPTS;
const SHAS: Record<ScriptName, string> = {
  commit: sha1(COMMIT),
  lock: sha1(LOCK),
  unlock: sha1(UNLOCK),
};

/** The session store of one namespace (one queue), on one connection. */
export interface SessionStore {
  /** The head of a thread, or null when the store has none. */
  readHead(threadId: string): ResultAsync<ReadHead | null, FleetError>;
  /** The index of the chunk that starts at `length` bytes, or null when no chunk does. */
  chunkStartingAt(threadId: string, length: number): ResultAsync<number | null, FleetError>;
  /** Chunks `from` .. `to` inclusive (as bytes). */
  chunks(threadId: string, from: number, to: number): ResultAsync<Buffer[], FleetError>;
  /** Appends `chunk` and moves the head from `expected` (null: none yet) to `next`, atomically. */
  commit(
    threadId: string,
    expected: ReadHead | null,
    next: StoreHead,
    chunk: Buffer,
    startLength: number,
  ): ResultAsync<CommitResult, FleetError>;
  /** Takes (or renews) the thread's lock for `owner`; false when another owner holds it. */
  lock(threadId: string, owner: string, ttlMs: number): ResultAsync<boolean, FleetError>;
  /** Releases the lock if `owner` holds it. */
  unlock(threadId: string, owner: string): ResultAsync<void, FleetError>;
}

/**
 * The key namespace of a queue's store. A value that is not a string (from JavaScript) names no
 * queue: it gets the namespace of the empty name, which no valid queue has, so it never points
 * at a real store. Never throws.
 */
export const storeNamespace = (queue: string): string =>
  `codex-fp:${typeof queue === "string" ? queue : ""}`;

/** A store on `redis` (which the caller owns and closes). */
export const sessionStore = (redis: Redis, namespace: string): SessionStore => {
  const key = (threadId: string, what: "head" | "chunks" | "offsets" | "lock") =>
    `${namespace}:{${threadId}}:${what}`;
  const attempt = <A>(path: string, f: () => Promise<A>): ResultAsync<A, FleetError> =>
    ResultAsync.fromPromise(f(), (e) => redisUnavailable(path, e));
  const run = async (
    name: ScriptName,
    keys: readonly string[],
    args: readonly (string | Buffer | number)[],
  ): Promise<unknown> => {
    try {
      return await redis.evalsha(SHAS[name], keys.length, ...keys, ...args);
    } catch (e) {
      if (!(e instanceof Error) || !e.message.includes("NOSCRIPT")) throw e;
      return redis.eval(SCRIPTS[name], keys.length, ...keys, ...args);
    }
  };
  const decodeHead = (threadId: string, raw: string) =>
    (() => {
      let u: unknown;
      try {
        u = parseJson(raw);
      } catch {
        return err(storeCorrupt(threadId, "the head is not JSON"));
      }
      const h = decodeAs(StoreHead, u, "head", "InvalidJobResult", "invalid head");
      return h.isErr() ? err(storeCorrupt(threadId, h.error.message)) : ok(h.value);
    })();

  return {
    readHead: (threadId) =>
      attempt("store.head", () => redis.get(key(threadId, "head"))).andThen((raw) =>
        raw === null ? ok(null) : decodeHead(threadId, raw).map((head) => ({ head, raw })),
      ),
    chunkStartingAt: (threadId, length) =>
      attempt("store.offsets", () => redis.hget(key(threadId, "offsets"), String(length))).map(
        (v) => (v === null || !/^\d+$/.test(v) ? null : Number(v)),
      ),
    chunks: (threadId, from, to) =>
      to < from
        ? ResultAsync.fromSafePromise(Promise.resolve([]))
        : attempt("store.chunks", () => redis.lrangeBuffer(key(threadId, "chunks"), from, to)),
    commit: (threadId, expected, next, chunk, startLength) =>
      attempt("store.commit", () =>
        run(
          "commit",
          [key(threadId, "head"), key(threadId, "chunks"), key(threadId, "offsets")],
          [expected?.raw ?? "", JSON.stringify(next), chunk, String(startLength)],
        ),
      ).andThen((reply) => {
        if (!Array.isArray(reply)) return err(storeCorrupt(threadId, "unexpected commit reply"));
        if (reply[0] === 1) return ok({ committed: true } as const);
        const raw = typeof reply[1] === "string" ? reply[1] : "";
        return raw === ""
          ? ok({ committed: false, current: null } as const)
          : decodeHead(threadId, raw).map((current) => ({ committed: false, current }) as const);
      }),
    lock: (threadId, owner, ttlMs) =>
      attempt("store.lock", () =>
        run("lock", [key(threadId, "lock")], [owner, String(Math.max(1, Math.round(ttlMs)))]),
      ).map((r) => r === 1),
    unlock: (threadId, owner) =>
      attempt("store.unlock", () => run("unlock", [key(threadId, "lock")], [owner])).map(
        () => undefined,
      ),
  };
};
