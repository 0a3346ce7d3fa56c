/**
 * Every error codex-fp returns, as tagged unions: each has a `_tag`, the failing `path` and a
 * human `message`; decoding failures also carry the full `issues` list. The `_tag` sets are
 * documented in one place: here (and docs/errors.md).
 */

/** One problem found while decoding an input: where it is and what is wrong. */
export interface Issue {
  readonly path: string;
  readonly message: string;
}

/** Why a continuation token does not match the thread or the observed session. */
export type MismatchReason =
  "thread_id" | "stale" | "forked" | "signature" | "malformed" | "version";

/** A position in a thread: how many turns completed and the id of the last one. */
export interface Position {
  readonly completedTurns: number | null;
  readonly lastTurnId: string | null;
}

/** Errors of the pure core: constructing, decoding and validating threads. */
export type ThreadError =
  | {
      readonly _tag: "InvalidOptions";
      readonly path: string;
      readonly message: string;
      readonly issues: readonly Issue[];
    }
  | {
      readonly _tag: "InvalidThreadId";
      readonly path: string;
      readonly message: string;
      readonly issues: readonly Issue[];
    }
  | {
      readonly _tag: "InvalidApiKey";
      readonly path: string;
      readonly message: string;
      readonly issues: readonly Issue[];
    }
  | {
      readonly _tag: "InvalidMetadata";
      readonly path: string;
      readonly message: string;
      readonly issues: readonly Issue[];
    }
  | {
      readonly _tag: "InvalidContinuationToken";
      readonly path: string;
      readonly message: string;
      readonly issues: readonly Issue[];
    }
  | {
      readonly _tag: "InvalidSerializedThread";
      readonly path: string;
      readonly message: string;
      readonly issues: readonly Issue[];
    }
  | {
      readonly _tag: "ContinuationMismatch";
      readonly path: string;
      readonly message: string;
      readonly reason: MismatchReason;
      readonly threadId: string | null;
      readonly expected: Position | null;
      readonly observed: Position | null;
    };

/** The `_tag`s of errors that come from decoding an input. */
export type DecodingErrorTag = Exclude<ThreadError["_tag"], "ContinuationMismatch">;

/** Builds a decoding error from its issues; the message lists every issue. */
export const decodingError = (
  _tag: DecodingErrorTag,
  path: string,
  what: string,
  issues: readonly Issue[],
): ThreadError => ({
  _tag,
  path,
  message: `${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
  issues,
});
