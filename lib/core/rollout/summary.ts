/**
 * A rollout's summary (the codec every listing returns) and what the resume validator observes of
 * it. See `../rollout.ts` for what is read and why.
 */
import * as t from "io-ts";
import { isLeft } from "fp-ts/lib/Either.js";
import { err, ok, type Result } from "neverthrow";
import { invalidRollout, type InvalidRolloutError } from "../errors/index.js";
import { closed } from "../decoding/decode.js";
import type { ObservedSession } from "../resume-validator.js";
import { ThreadId } from "../thread-id.js";
import { Usage } from "../usage.js";
import { nullableString } from "./codecs.js";
import { parseRolloutLine, parseSessionMeta, type SessionMeta } from "./line.js";
import { scanLine, startScan, type RolloutScan } from "./scan.js";

// ---------------------------------------------------------------------------------------------
// The summary
// ---------------------------------------------------------------------------------------------

const nullableUsageOut = t.union([Usage, t.null]);
const nullableCount = t.union([t.number, t.null]);

/** Codec of what is known of one session (one rollout file). */
export const SessionSummary = closed(
  "SessionSummary",
  {
    threadId: ThreadId,
    /** `session_meta.payload.timestamp`. */
    createdAt: nullableString,
    cwd: nullableString,
    cliVersion: nullableString,
    originator: nullableString,
    modelProvider: nullableString,
    /** The thread this one was forked from (`session_meta.forked_from_id`), or null. */
    forkedFromId: nullableString,
    /** Root turns ended by `task_complete` (failed ones included), less rolled-back ones; null when only a tail was read. */
    completedTurns: nullableCount,
    /** Of those, the ones that failed; null when only a tail was read. */
    failedTurns: nullableCount,
    lastTurnId: nullableString,
    lastAgentMessage: nullableString,
    /** The last turn's error, when it failed. */
    lastTurnError: nullableString,
    /** The last turn's own usage. */
    lastTurnUsage: nullableUsageOut,
    /** The thread's cumulative usage when the last turn ended. */
    cumulativeUsage: nullableUsageOut,
    /** A root turn started after the last completed one and has not ended (in the lines read). */
    turnInProgress: t.boolean,
    /** Two writers' lines interleave (see `forkEvidence`). */
    forked: t.boolean,
    forkEvidence: nullableString,
    path: t.string,
    size: t.number,
    /** The file's modification time (ISO 8601), when known. */
    modifiedAt: nullableString,
    /** The file does not end with a newline; the incomplete last line was ignored. */
    truncated: t.boolean,
    /** Lines read that were not JSON, or known lines of the wrong shape (ignored). */
    unreadableLines: t.number,
  },
  {},
);
/** What is known of one session (one rollout file). */
export type SessionSummary = t.TypeOf<typeof SessionSummary>;

/** Facts about the file, from outside its lines. */
export interface RolloutFacts {
  readonly path: string;
  readonly size: number;
  readonly modifiedAt: string | null;
  /** The lines folded were every line after the first (else a tail window). */
  readonly complete: boolean;
  /** The file does not end with a newline. */
  readonly truncated: boolean;
}

/** Builds the summary from the first line's facts, the fold, and the file's facts. */
export const summarize = (
  meta: SessionMeta,
  scan: RolloutScan,
  facts: RolloutFacts,
): SessionSummary => {
  const last = scan.lastTurn;
  return {
    threadId: meta.threadId,
    createdAt: meta.createdAt,
    cwd: meta.cwd,
    cliVersion: meta.cliVersion,
    originator: meta.originator,
    modelProvider: meta.modelProvider,
    forkedFromId: meta.forkedFromId,
    completedTurns: facts.complete ? scan.completedTurns : null,
    failedTurns: facts.complete ? scan.failedTurns : null,
    lastTurnId: last?.turnId ?? null,
    lastAgentMessage: last?.lastAgentMessage ?? null,
    lastTurnError: last?.error ?? null,
    lastTurnUsage: last?.usage ?? null,
    cumulativeUsage: last?.cumulative ?? null,
    turnInProgress: scan.openTurn !== null,
    forked: scan.forkEvidence !== null,
    forkEvidence: scan.forkEvidence,
    path: facts.path,
    size: facts.size,
    modifiedAt: facts.modifiedAt,
    truncated: facts.truncated,
    unreadableLines: scan.unreadableLines,
  };
};

/**
 * Summarizes a rollout held whole as text (tests, small files): the first line must be
 * `session_meta`; an incomplete last line (no newline) is ignored and flagged `truncated`.
 * `facts` default to the text's own size and no modification time. An unreadable first line
 * is an `InvalidRollout` error at `facts.path`, listing every issue. Never throws.
 */
export const summarizeRollout = (
  text: string,
  facts: { readonly path: string; readonly size?: number; readonly modifiedAt?: string | null },
): Result<SessionSummary, InvalidRolloutError> => {
  try {
    return summarizeText(text, facts);
  } catch {
    // Not a string, or facts that cannot be read (a JavaScript caller): an error, not a throw.
    return err(invalidRollout("rollout", [{ path: "rollout", message: "could not be read" }]));
  }
};

const summarizeText = (
  text: string,
  facts: { readonly path: string; readonly size?: number; readonly modifiedAt?: string | null },
): Result<SessionSummary, InvalidRolloutError> => {
  const lines = text.split("\n");
  if (lines.length < 2)
    return err(
      invalidRollout(facts.path, [{ path: "line", message: "the first line is incomplete" }]),
    );
  const truncated = lines[lines.length - 1] !== "";
  const rest = lines.slice(1, -1);
  const meta = parseSessionMeta(lines[0] ?? "");
  if (isLeft(meta)) return err(invalidRollout(facts.path, meta.left));
  const scan = rest.reduce(
    (s, l) => scanLine(s, parseRolloutLine(l)),
    startScan(true, meta.right.ordinal),
  );
  return ok(
    summarize(meta.right, scan, {
      path: facts.path,
      size: facts.size ?? Buffer.byteLength(text, "utf8"),
      modifiedAt: facts.modifiedAt ?? null,
      complete: true,
      truncated,
    }),
  );
};

/**
 * What was observed of a session, for the resume validator: its forked flag, and the position
 * as far as it is known (a count only from a complete read; a last turn id only when one was
 * found, or when there are certainly no turns).
 */
export const observedFrom = (s: SessionSummary): ObservedSession => ({
  forked: s.forked,
  ...(s.completedTurns !== null ? { completedTurns: s.completedTurns } : {}),
  ...(s.lastTurnId !== null || s.completedTurns === 0 ? { lastTurnId: s.lastTurnId } : {}),
});
