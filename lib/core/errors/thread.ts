/**
 * The errors of the pure core: bad input (decoding errors, each with every issue found) and the
 * verdicts on a thread's continuation. Types only; the constructors are in `make.ts`, and the
 * one path from a decode failure to an error is `decode.ts`.
 */
import * as t from "io-ts";

/** One problem found while decoding an input: where it is and what is wrong. */
export interface Issue {
  readonly path: string;
  readonly message: string;
}

/** Codec of why a continuation token does not match the thread or the observed session. */
export const MismatchReason = t.keyof({
  thread_id: null,
  stale: null,
  forked: null,
  signature: null,
  malformed: null,
  version: null,
  missing: null,
  unreadable: null,
});
/** Why a continuation token does not match the thread or the observed session. */
export type MismatchReason = t.TypeOf<typeof MismatchReason>;

/** Codec of a position in a thread: how many turns completed and the id of the last one. */
export const Position = t.type({
  completedTurns: t.union([t.number, t.null]),
  lastTurnId: t.union([t.string, t.null]),
});
/** A position in a thread: how many turns completed and the id of the last one. */
export type Position = Readonly<t.TypeOf<typeof Position>>;

/** The `_tag`s of errors that come from decoding an input. */
export type DecodingErrorTag =
  | "InvalidOptions"
  | "InvalidThreadId"
  | "InvalidApiKey"
  | "InvalidMetadata"
  | "InvalidContinuationToken"
  | "InvalidSerializedThread"
  | "NotAThread";

/** An input that did not decode: every issue found, the first one's path as `path`. */
export interface DecodingError<Tag extends DecodingErrorTag = DecodingErrorTag> {
  readonly _tag: Tag;
  readonly path: string;
  readonly message: string;
  readonly issues: readonly Issue[];
}

/** `ContinuationMismatch`: the token does not fit the thread or the observed session. */
export interface ContinuationMismatch {
  readonly _tag: "ContinuationMismatch";
  readonly path: string;
  readonly message: string;
  readonly reason: MismatchReason;
  readonly threadId: string | null;
  readonly expected: Position | null;
  readonly observed: Position | null;
}

/** `SessionMissing`: a token-bearing thread whose session is not in the store the CLI will read. */
export interface SessionMissing {
  readonly _tag: "SessionMissing";
  readonly path: string;
  readonly message: string;
  readonly threadId: string | null;
  /** The store searched (`$CODEX_HOME/sessions`). */
  readonly store: string;
  readonly expected: Position | null;
}

/** `MissingSecrets`: a serialized thread lists secrets (`apiKey`, `env`, `config.…`) nobody supplied. */
export interface MissingSecrets {
  readonly _tag: "MissingSecrets";
  readonly path: string;
  readonly message: string;
  /** The paths of the secrets still missing. */
  readonly paths: readonly string[];
}

/** What the resume validator refuses a thread with. */
export type ResumeError = ContinuationMismatch | SessionMissing;

/** Errors of the pure core: constructing, decoding and validating threads. */
export type ThreadError =
  | { [Tag in DecodingErrorTag]: DecodingError<Tag> }[DecodingErrorTag]
  | ContinuationMismatch
  | SessionMissing
  | MissingSecrets;
