/** The codecs of the lifecycle calls' inputs, and their decoding into `LifecycleError`s. */
import * as t from "io-ts";
import type { Result } from "neverthrow";
import { checkedString, closed } from "../../core/decoding/decode.js";
import { parseWith } from "../../core/errors/index.js";
import type { ResolvedInputLimits } from "../../core/limits.js";
import { ThreadId, threadIdAt } from "../../core/thread-id.js";
import type { LifecycleError } from "./types.js";

/** A non-empty string without control characters. */
export const NonEmpty = checkedString<string>("string", (s) =>
  s.length === 0
    ? "must not be empty"
    : /[\u0000-\u001f\u007f]/.test(s)
      ? "must not contain control characters"
      : null,
);
/** A page size: a whole number from 1 to 1000. */
export const PageSize = new t.Type<number, number, unknown>(
  "PageSize",
  (u): u is number => typeof u === "number" && Number.isInteger(u) && u >= 1 && u <= 1000,
  (u, c) =>
    typeof u === "number" && Number.isInteger(u) && u >= 1 && u <= 1000
      ? t.success(u)
      : t.failure(u, c, "expected a whole number from 1 to 1000"),
  (a) => a,
);
/** What `forkThread` may be given. */
export const ForkOptionsCodec = closed("ForkOptions", {}, { lastTurnId: NonEmpty });
/** What `readThread` may be given. */
export const ReadOptionsCodec = closed("ReadOptions", {}, { includeTurns: t.boolean });
/** What `listThreads` filters on. */
export const ListQueryCodec = closed(
  "ListThreadsQuery",
  {},
  { archived: t.boolean, cwd: NonEmpty, cursor: NonEmpty, limit: PageSize, searchTerm: t.string },
);
/** A thread name: not blank, at most 1024 characters. */
export const ThreadName = checkedString<string>("name", (s) =>
  s.trim().length === 0
    ? "must not be blank"
    : s.length > 1024
      ? "must be at most 1024 characters"
      : null,
);

/** `u` decoded by `codec` (bounded by `limits`), or an `InvalidOptions` at `root`. */
export const invalid = <A>(
  codec: t.Decoder<unknown, A>,
  u: unknown,
  root: string,
  what: string,
  limits?: ResolvedInputLimits,
): Result<A, LifecycleError> => parseWith(codec, u, root, "InvalidOptions", what, limits);

/** A thread id (bounded by `limits`), or `InvalidThreadId` at `root`. */
export const threadIdOf = (
  u: unknown,
  root = "threadId",
  limits?: ResolvedInputLimits,
): Result<ThreadId, LifecycleError> => threadIdAt(u, root, limits);
