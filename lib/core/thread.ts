/**
 * The Thread value and its pure constructors. A Thread is deep-frozen data: running a turn
 * returns a new one. `startThread` and `resumeThread` do no I/O, start no process and read no
 * clock; they only validate.
 */
import * as t from "io-ts";
import { err, ok, type Result } from "neverthrow";
import { isLeft } from "fp-ts/lib/Either.js";
import { closed, decodeAll, isRecord } from "./decoding/decode.js";
import { deepFreeze, type DeepReadonly } from "./internal/freeze.js";
import { guard } from "./internal/guard.js";
import {
  decodingError,
  invalidAt,
  issuesError,
  parseWith,
  type DecodingError,
  type ThreadError,
} from "./errors/index.js";
import {
  CodexOptions,
  Labels,
  ThreadOptions,
  type CodexOptionsInput,
  type ThreadOptionsInput,
} from "./options.js";
import { ThreadId, parseThreadId } from "./thread-id.js";
import { ThreadMetadata, metadataFromJson } from "./metadata.js";
import { ContinuationToken } from "./continuation.js";
import { Usage } from "./usage.js";
import { resolveInputLimits, type InputLimits, type ResolvedInputLimits } from "./limits.js";

/** Codec of the in-memory Thread value. */
export const Thread = closed(
  "Thread",
  {
    threadId: t.union([ThreadId, t.null]),
    codexOptions: CodexOptions,
    threadOptions: ThreadOptions,
    metadata: t.union([ThreadMetadata, t.null]),
    labels: Labels,
    continuationToken: t.union([ContinuationToken, t.null]),
    cumulativeUsage: t.union([Usage, t.null]),
  },
  {},
);
/** A codex thread: an immutable value. `threadId` is null until the first turn starts. */
export type Thread = DeepReadonly<t.TypeOf<typeof Thread>>;

export type { DeepReadonly } from "./internal/freeze.js";

const withoutUndefined = <A extends object>(a: A): A => {
  let clean = true;
  for (const k in a) if (a[k] === undefined) clean = false;
  if (clean) return a;
  const out: Record<string, unknown> = {};
  for (const k in a)
    if (Object.prototype.hasOwnProperty.call(a, k) && a[k] !== undefined) out[k] = a[k];
  return out as A;
};

/** Decodes both option objects at once, reporting every problem of both. */
const decodeOptions = (
  codexOptions: unknown,
  threadOptions: unknown,
  limits: ResolvedInputLimits,
): Result<{ codexOptions: CodexOptions; threadOptions: ThreadOptions }, ThreadError> => {
  const c = decodeAll(CodexOptions, codexOptions ?? {}, "codexOptions", limits);
  const th = decodeAll(ThreadOptions, threadOptions ?? {}, "threadOptions", limits);
  if (isLeft(c) || isLeft(th))
    return err(
      issuesError("InvalidOptions", "options", "invalid options", [
        ...(isLeft(c) ? c.left : []),
        ...(isLeft(th) ? th.left : []),
      ]),
    );
  return ok({ codexOptions: withoutUndefined(c.right), threadOptions: withoutUndefined(th.right) });
};

/**
 * The Threads this library made. They are deep-frozen plain data
 * built from decoded parts, so reading one again gives what was decoded: an entry point takes
 * them as they are, under whatever limits they were built, instead of decoding them again.
 */
const madeThreads = new WeakSet<object>();

/** True for a Thread this library made (by identity: a copy or a Proxy of one is not). */
const isMadeThread = (u: unknown): u is Thread =>
  typeof u === "object" && u !== null && madeThreads.has(u);

/** Freezes a Thread built from validated parts and records that this library made it. */
const frozenThread = (parts: t.TypeOf<typeof Thread> | Thread): Thread => {
  const thread = deepFreeze(parts);
  madeThreads.add(thread);
  return thread;
};

/**
 * A Thread argument: a Thread this library made is used as it is; anything else is decoded
 * once under `limits` (default: the defaults) and is `NotAThread` at `root` when it is not one.
 */
export const takeThread = (
  u: unknown,
  root = "thread",
  limits?: ResolvedInputLimits,
): Result<Thread, DecodingError<"NotAThread" | "InvalidApiKey">> => {
  return isMadeThread(u) ? ok(u) : parseWith(Thread, u, root, "NotAThread", "not a Thread", limits);
};

/** Assembles and freezes a Thread from validated parts. */
export const makeThread = (parts: t.TypeOf<typeof Thread>): Thread =>
  frozenThread({
    ...parts,
    labels: {
      ...(parts.metadata?.labels ?? {}),
      ...parts.labels,
      ...(parts.threadOptions.labels ?? {}),
    },
  });

const invalidInput = (tag: "InvalidOptions" | "InvalidThreadId", path: string) => () =>
  invalidAt(tag, path, "invalid input", "could not be read");

/**
 * Starts a new thread value. Nothing runs and nothing is read: the thread id stays null until
 * the first turn's `thread.started`. `limits` bounds the options' sizes (see `InputLimits`).
 */
export const startThread = (
  codexOptions?: CodexOptionsInput,
  threadOptions?: ThreadOptionsInput,
  limits?: InputLimits,
): Result<Thread, ThreadError> =>
  guard(
    () =>
      resolveInputLimits(limits, "limits").andThen((lim) =>
        decodeOptions(codexOptions, threadOptions, lim).map((o) =>
          makeThread({
            threadId: null,
            ...o,
            metadata: null,
            labels: {},
            continuationToken: null,
            cumulativeUsage: null,
          }),
        ),
      ),
    invalidInput("InvalidOptions", "options"),
  );

/**
 * What `resumeThread` may be given besides the id: a continuation token and metadata. The
 * metadata is data from outside (a rollout's `session_meta` line, a legacy `{ labels }` object,
 * either as a JSON string, or a thread's own `metadata`), so it is read at run time, not typed.
 */
export interface ResumeInput {
  readonly continuationToken?: string | null | undefined;
  readonly metadata?: unknown;
}

const ResumeTokenInput = closed(
  "ResumeInput",
  {},
  { continuationToken: t.union([ContinuationToken, t.null]), metadata: t.unknown },
);

/**
 * A thread value for an existing thread id, optionally with the continuation token and the
 * metadata saved from an earlier turn. Pure: the token is checked by `validateResume`.
 * `limits` bounds the inputs' sizes (see `InputLimits`).
 */
export const resumeThread = (
  threadId: string,
  codexOptions?: CodexOptionsInput,
  threadOptions?: ThreadOptionsInput,
  resume?: ResumeInput,
  limits?: InputLimits,
): Result<Thread, ThreadError> =>
  guard(
    () =>
      resolveInputLimits(limits, "limits").andThen((lim) =>
        parseThreadId(threadId).andThen((id) =>
          decodeOptions(codexOptions, threadOptions, lim).andThen((o) => {
            const r = decodeAll(ResumeTokenInput, resume ?? {}, "resume", lim);
            if (isLeft(r)) {
              const tag = r.left.some((i) => i.path.startsWith("resume.continuationToken"))
                ? "InvalidContinuationToken"
                : "InvalidOptions";
              return err(issuesError(tag, "resume", "invalid resume input", r.left));
            }
            const meta = r.right.metadata;
            const metadata: Result<ThreadMetadata | null, ThreadError> =
              meta === undefined || meta === null ? ok(null) : metadataFromJson(meta, lim);
            return metadata.andThen((m) =>
              m !== null && m.threadId !== null && m.threadId !== id
                ? err(
                    decodingError("InvalidMetadata", "resume.metadata", "invalid metadata", [
                      { path: "resume.metadata.id", message: "belongs to another thread" },
                    ]),
                  )
                : ok(
                    makeThread({
                      threadId: id,
                      ...o,
                      metadata: m,
                      labels: {},
                      continuationToken: r.right.continuationToken ?? null,
                      cumulativeUsage: null,
                    }),
                  ),
            );
          }),
        ),
      ),
    invalidInput("InvalidThreadId", "threadId"),
  );

/**
 * The same thread with some thread options replaced (a per-turn override), as a new value;
 * an option set to `undefined` is cleared. The original is untouched. `limits` bounds the
 * patch's size (see `InputLimits`).
 */
export const withThreadOptions = (
  thread: Thread,
  patch: ThreadOptionsInput,
  limits?: InputLimits,
): Result<Thread, ThreadError> =>
  guard(
    () => {
      const lim = resolveInputLimits(limits, "limits");
      if (lim.isErr()) return err(lim.error);
      // The thread read once (a Thread this library made is taken as it is), then only that.
      const taken = takeThread(thread, "thread", lim.value);
      if (taken.isErr()) return err(taken.error);
      const given = taken.value;
      const p = parseWith(
        ThreadOptions,
        patch ?? {},
        "patch",
        "InvalidOptions",
        "invalid options",
        lim.value,
      );
      if (p.isErr()) return err(p.error);
      const threadOptions = withoutUndefined({
        ...given.threadOptions,
        ...(isRecord(patch) ? p.value : {}),
      });
      // Labels given (or cleared) are recomputed as makeThread does: metadata's, then options'.
      const labels =
        isRecord(patch) && "labels" in p.value
          ? { ...(given.metadata?.labels ?? {}), ...(threadOptions.labels ?? {}) }
          : given.labels;
      return ok(frozenThread({ ...given, threadOptions, labels: { ...labels } }));
    },
    invalidInput("InvalidOptions", "patch"),
  );

/** The same thread with other values for some fields, as a new frozen value (shell use). */
export const updateThread = (thread: Thread, patch: Partial<Thread>): Thread =>
  frozenThread({ ...thread, ...patch });
