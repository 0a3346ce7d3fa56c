/** The codecs of the lifecycle calls' inputs, and their decoding into `LifecycleError`s. */
import * as t from "io-ts";
import { err, ok, type Result } from "neverthrow";
import { decodingError } from "../../core/errors/index.js";
import { checkedString, closed } from "../../core/decoding/decode.js";
import { parseWith } from "../../core/errors/index.js";
import { parseThreadId, type ThreadId } from "../../core/thread-id.js";
import type { LifecycleDeps, LifecycleError } from "./types.js";

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

/** `u` decoded by `codec`, or an `InvalidOptions` at `root`. */
export const invalid = <A>(
  codec: t.Decoder<unknown, A>,
  u: unknown,
  root: string,
  what: string,
): Result<A, LifecycleError> =>
  parseWith(codec, u, root, "InvalidOptions", what).mapErr((e): LifecycleError => e);

/** A thread id, or `InvalidThreadId`. */
export const threadIdOf = (u: unknown): Result<ThreadId, LifecycleError> =>
  parseThreadId(u).mapErr((e) => e as LifecycleError);

/** `deps.secret` (what fork tokens are signed with): a non-empty string when given; never echoed. */
export const secretOf = (
  deps: LifecycleDeps | undefined,
): Result<string | undefined, LifecycleError> => {
  let u: unknown;
  try {
    u = deps?.secret;
  } catch {
    u = null;
  }
  if (u === undefined || (typeof u === "string" && u.length > 0))
    return ok(u as string | undefined);
  const issue = { path: "deps.secret", message: "must be a non-empty string when given" };
  return err(decodingError("InvalidOptions", "deps.secret", "invalid lifecycle deps", [issue]));
};
