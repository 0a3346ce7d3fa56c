/**
 * ThreadId: the id of a codex thread, validated before it can reach a process argument or a
 * file path. Accepts the UUIDs the CLI prints and legacy ids such as `thread_abc123`.
 */
import * as t from "io-ts";
import type { Result } from "neverthrow";
import { checkedString } from "./decoding/decode.js";
import { decodeWith, decodingError, type DecodingError, type ThreadError } from "./errors/index.js";
import type { ResolvedInputLimits } from "./limits.js";

/** The longest thread id accepted. */
export const MAX_THREAD_ID_LENGTH = 128;

/** The problem with a would-be thread id, or null when it is acceptable. */
export const threadIdProblem = (s: string): string | null => {
  if (s.length === 0) return "must not be empty";
  if (s.length > MAX_THREAD_ID_LENGTH)
    return `must be at most ${MAX_THREAD_ID_LENGTH} characters (got ${s.length})`;
  if (/[\u0000-\u001f\u007f-\u009f]/.test(s)) return "must not contain control characters";
  if (/\s/.test(s)) return "must not contain whitespace";
  if (s.startsWith("-")) return 'must not start with "-" (the CLI would read it as a flag)';
  if (/[/\\]/.test(s)) return "must not contain a path separator";
  if (s.includes("..")) return 'must not contain ".."';
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.:-]*$/.test(s))
    return "may hold only letters, digits and _ . : - (and start with a letter, digit or _)";
  return null;
};

/** Brand of validated thread ids. */
export interface ThreadIdBrand {
  readonly ThreadId: unique symbol;
}

/** Codec of a validated thread id (a branded string). */
export const ThreadId = checkedString<t.Branded<string, ThreadIdBrand>>(
  "ThreadId",
  threadIdProblem,
);
/** A validated thread id. */
export type ThreadId = t.TypeOf<typeof ThreadId>;

/** Decodes an unknown value as a thread id; `path` names where it came from. */
export const parseThreadId = (u: unknown, path = "threadId"): Result<ThreadId, ThreadError> =>
  threadIdAt(u, typeof path === "string" ? path : "threadId");

/**
 * A thread id read at `root` (bounded by `limits`), or `InvalidThreadId` at `root`: an id is one
 * value, so whatever is wrong inside it (a cycle, a getter …), the error is at `root`.
 */
export const threadIdAt = (
  u: unknown,
  root: string,
  limits?: ResolvedInputLimits,
): Result<ThreadId, DecodingError<"InvalidThreadId">> =>
  decodeWith(
    ThreadId,
    u,
    root,
    (issues) => decodingError("InvalidThreadId", root, "invalid thread id", issues),
    limits,
  );
