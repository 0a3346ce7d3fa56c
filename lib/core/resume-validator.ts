/**
 * The resume validator: a separate, pure check of a thread's continuation token against its
 * thread id and, when given, the observed session state. It reads no file and no clock except
 * through `deps`, and reports every call as exactly one telemetry event.
 */
import * as t from "io-ts";
import { err, ok, type Result } from "neverthrow";
import { isLeft } from "fp-ts/lib/Either.js";
import { closed, decodeAll } from "./decoding/decode.js";
import {
  continuationMismatch,
  sessionMissing,
  type MismatchReason,
  type Position,
  type ResumeError,
} from "./errors/index.js";
import { NonNegativeInt, readToken, type TokenPolicy } from "./continuation.js";
import type { Effects, TokenEffects } from "./effects.js";
import { emit, type TelemetrySink } from "./telemetry.js";
import { takeThread, type Thread } from "./thread.js";

/** Codec of what was observed of a session (its rollout): the position it has reached. */
export const ObservedSession = closed(
  "ObservedSession",
  {},
  {
    lastTurnId: t.union([t.string, t.null]),
    completedTurns: NonNegativeInt,
    continuationToken: t.string,
    forked: t.boolean,
    /** The session was looked for in this store (`$CODEX_HOME/sessions`) and is not there. */
    missingFrom: t.string,
    /**
     * The session is in the store but could not be read (a damaged head, not a regular file):
     * where, and why. Its position cannot be checked, so a token is not taken on trust.
     */
    unreadable: t.string,
  },
);
/**
 * What was observed of a session: its position, the latest server-issued token (legacy),
 * whether its history interleaves two writers — or, `missingFrom`, that it is not in the
 * store searched.
 */
export type ObservedSession = t.TypeOf<typeof ObservedSession>;

/**
 * What the validator needs: a sink, and optionally a clock, the token secret and the policy.
 * With a `secret`, only tokens signed with it pass (`acceptLegacyTokens` opts legacy opaque
 * tokens back in); `requireToken` refuses a resumed thread that carries no token (reason
 * `signature`). The validator is pure: without `now` its event's timestamp is null.
 */
export interface ResumeValidatorDeps extends Pick<Effects, "now">, TokenEffects {
  /** Receives the one event of each call (required: every check is reported). */
  readonly sink: TelemetrySink;
}

const positionOf = (o: ObservedSession | undefined): Position | null =>
  o === undefined || (o.completedTurns === undefined && o.lastTurnId === undefined)
    ? null
    : { completedTurns: o.completedTurns ?? null, lastTurnId: o.lastTurnId ?? null };

/** Compares the token's position with the observed one; null when they agree. */
const compare = (expected: Position, observed: ObservedSession): MismatchReason | null => {
  if (observed.forked === true) return "forked";
  const n = observed.completedTurns;
  if (n !== undefined && expected.completedTurns !== null) {
    if (expected.completedTurns < n) return "stale";
    if (expected.completedTurns > n) return "forked";
  }
  if (observed.lastTurnId !== undefined && observed.lastTurnId !== expected.lastTurnId) {
    return n === undefined ? "stale" : "forked";
  }
  return null;
};

const explain: Record<MismatchReason, string> = {
  thread_id: "the continuation token belongs to another thread",
  stale: "the thread has moved on since this continuation token was minted (a stale snapshot)",
  forked: "the session's history diverges from the continuation token (forked)",
  signature: "the continuation token's signature does not verify",
  malformed: "the continuation token cannot be read",
  version: "the continuation token's version is not supported",
  missing: "the thread's session is not in the store the CLI will read",
  unreadable:
    "the thread's session is in the store but cannot be read, so the token's position cannot be checked",
};

type Verdict =
  | {
      readonly ok: true;
      readonly tokenKind: "signed" | "unverified" | "unsigned" | "legacy" | "none";
      readonly expected: Position | null;
    }
  | {
      readonly ok: false;
      readonly reason: MismatchReason;
      readonly expected: Position | null;
      readonly detail?: string;
    };

/** The pure decision: does this token fit this thread and what was observed? */
const judge = (
  thread: Thread,
  observed: unknown,
  policy: Policy,
): { verdict: Verdict; seen: Position | null } => {
  const { secret } = policy;
  const o = decodeAll(ObservedSession, observed ?? {}, "observed");
  if (isLeft(o))
    return {
      verdict: {
        ok: false,
        reason: "malformed",
        expected: null,
        detail: o.left.map((i) => `${i.path} ${i.message}`).join("; "),
      },
      seen: null,
    };
  const seen = positionOf(o.right);
  const token: unknown = thread.continuationToken;
  if (policy.secretProblem !== null)
    return {
      verdict: { ok: false, reason: "signature", expected: null, detail: policy.secretProblem },
      seen,
    };
  if (token === null || token === undefined)
    return {
      verdict:
        policy.requireToken && thread.threadId !== null
          ? {
              ok: false,
              reason: "signature",
              expected: null,
              detail: "a continuation token is required (requireToken) and the thread has none",
            }
          : { ok: true, tokenKind: "none", expected: null },
      seen,
    };
  if (typeof token !== "string")
    return { verdict: { ok: false, reason: "malformed", expected: null }, seen };
  const r = readToken(token, secret, policy);
  if (isLeft(r))
    return {
      verdict: { ok: false, reason: r.left.reason, expected: null, detail: r.left.message },
      seen,
    };
  // A token claims a position: a session that cannot be read cannot confirm it (fail closed).
  if (o.right.unreadable !== undefined)
    return {
      verdict: { ok: false, reason: "unreadable", expected: null, detail: o.right.unreadable },
      seen,
    };
  if (r.right.kind === "legacy") {
    // A legacy token claims no position: it is compared with the latest one the server issued.
    const latest = o.right.continuationToken;
    return {
      verdict:
        o.right.missingFrom !== undefined
          ? { ok: false, reason: "missing", expected: null, detail: o.right.missingFrom }
          : o.right.forked === true
            ? { ok: false, reason: "forked", expected: null }
            : latest !== undefined && latest !== r.right.token
              ? { ok: false, reason: "stale", expected: null }
              : { ok: true, tokenKind: "legacy", expected: null },
      seen,
    };
  }
  const { claim } = r.right;
  const expected = { completedTurns: claim.completedTurns, lastTurnId: claim.lastTurnId };
  const reason =
    claim.threadId !== thread.threadId
      ? "thread_id"
      : o.right.missingFrom !== undefined
        ? "missing"
        : compare(expected, o.right);
  return {
    verdict:
      reason === null
        ? { ok: true, tokenKind: r.right.kind, expected }
        : reason === "missing" && o.right.missingFrom !== undefined
          ? { ok: false, reason, expected, detail: o.right.missingFrom }
          : { ok: false, reason, expected },
    seen,
  };
};

/** The secret and policy as read from `deps`, with what is wrong with the secret (or null). */
interface Policy extends TokenPolicy {
  readonly secret: string | undefined;
  readonly secretProblem: string | null;
  readonly requireToken: boolean;
}

/** Reads the secret and the policy from `deps` once; a secret that is not a non-empty string is a problem. */
const readPolicy = (deps: ResumeValidatorDeps): Policy => {
  const secret: unknown = deps.secret;
  const problem =
    secret === undefined || (typeof secret === "string" && secret.length > 0)
      ? null
      : "the configured secret (deps.secret) must be a non-empty string";
  return {
    secret: typeof secret === "string" && problem === null ? secret : undefined,
    secretProblem: problem,
    acceptLegacyTokens: deps.acceptLegacyTokens === true,
    requireToken: deps.requireToken === true,
  };
};

/** The injected clock's time, or null when there is none or it fails (never a reason to fail). */
const readClock = (deps: ResumeValidatorDeps): string | null => {
  try {
    return deps.now ? deps.now().toISOString() : null;
  } catch {
    return null;
  }
};

/** The injected sink, or undefined when `deps` cannot be read. */
const readSink = (deps: ResumeValidatorDeps): TelemetrySink | undefined => {
  try {
    return deps.sink;
  } catch {
    return undefined;
  }
};

/**
 * Checks a thread's continuation token: `validateResume(thread, observed, deps)` returns the
 * thread when its token matches what was observed of its session (`undefined` or `{}`: nothing
 * was observed), or `ContinuationMismatch` with the reason. Data first, deps last; the
 * data-last form for `pipe` is `validateResumeWith(observed, deps)`. Emits exactly one
 * telemetry event per call. Never throws; a sink that throws does not break it.
 */
export const validateResume = (
  thread: Thread,
  observed: ObservedSession | undefined,
  deps: ResumeValidatorDeps,
): Result<Thread, ResumeError> => {
  const sink = readSink(deps);
  const timestamp = readClock(deps);
  let threadId: string | null = null;
  let judged: { verdict: Verdict; seen: Position | null };
  // The thread read once (a Thread this library made is taken as it is): what is checked is
  // what is returned, so a getter cannot answer the check one thing and the caller another.
  const taken = takeThread(thread);
  try {
    if (taken.isErr())
      judged = {
        verdict: {
          ok: false,
          reason: "malformed",
          expected: null,
          detail: `the thread is not a Thread (${taken.error.message})`,
        },
        seen: null,
      };
    else {
      threadId = taken.value.threadId;
      judged = judge(taken.value, observed, readPolicy(deps));
    }
  } catch {
    judged = {
      verdict: {
        ok: false,
        reason: "malformed",
        expected: null,
        detail: "the thread could not be read",
      },
      seen: null,
    };
  }
  const { verdict, seen } = judged;
  if (verdict.ok) {
    emit(sink, {
      name: "codex.thread.resume.validated",
      timestamp,
      threadId,
      tokenKind: verdict.tokenKind,
      expected: verdict.expected,
      observed: seen,
    });
    return ok(taken.isOk() ? taken.value : thread);
  }
  emit(sink, {
    name: "codex.thread.resume.mismatch",
    timestamp,
    threadId,
    reason: verdict.reason,
    expected: verdict.expected,
    observed: seen,
  });
  if (verdict.reason === "missing")
    return err(
      sessionMissing(
        threadId,
        verdict.detail ?? "",
        verdict.expected,
        `the thread's session is not in ${verdict.detail ?? "the store"} (the store the CLI will read); import it there with importSession before resuming`,
      ),
    );
  return err(
    continuationMismatch(
      verdict.reason,
      verdict.detail === undefined
        ? explain[verdict.reason]
        : `${explain[verdict.reason]}: ${verdict.detail}`,
      threadId,
      verdict.expected,
      seen,
    ),
  );
};
