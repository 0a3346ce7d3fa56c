/**
 * Connecting to Redis: ioredis options from the decoded connection, a client that fails fast
 * (a command does not wait forever for a server that is gone), and a readiness check with a
 * deadline. The library never starts Redis: it only connects to one.
 */
import { Redis } from "ioredis";
import { ResultAsync } from "neverthrow";
import { redisUnavailable, type FleetError } from "./errors.js";
import type { FleetConnection } from "./wire.js";

/** How long opening waits for Redis to answer. */
export const CONNECT_TIMEOUT_MS = 5_000;

/** The ioredis options of a connection (BullMQ gets the same, and sets its own retry policy). */
export const redisOptions = (
  c: FleetConnection,
): {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
} => ({
  host: c.host,
  port: c.port,
  ...(c.username !== undefined ? { username: c.username } : {}),
  ...(c.password !== undefined ? { password: c.password } : {}),
  ...(c.db !== undefined ? { db: c.db } : {}),
});

/** A client for the session store, connected and answering PING, or RedisUnavailable. */
export const connectStore = (c: FleetConnection): ResultAsync<Redis, FleetError> => {
  const redis = new Redis({
    ...redisOptions(c),
    lazyConnect: true,
    maxRetriesPerRequest: 3,
    connectTimeout: CONNECT_TIMEOUT_MS,
    retryStrategy: (times) => Math.min(50 * times, 1000),
  });
  // Errors surface through the commands' results; an unhandled 'error' event must not crash.
  redis.on("error", () => undefined);
  return ResultAsync.fromPromise(
    (async () => {
      const timer = new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new Error(`no answer from ${c.host}:${c.port} in ${CONNECT_TIMEOUT_MS} ms`)),
          CONNECT_TIMEOUT_MS,
        ).unref(),
      );
      await Promise.race([redis.connect().then(() => redis.ping()), timer]);
      return redis;
    })(),
    (e) => {
      redis.disconnect();
      return redisUnavailable("connection", e);
    },
  );
};
