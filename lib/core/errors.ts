/**
 * Every error codex-fp returns, as tagged unions: each has a `_tag`, the failing `path` and a
 * human `message`; decoding failures also carry the full `issues` list. The `_tag` sets are
 * documented in one place: here (and the error reference in docs/thread-lifecycle.md).
 */

/** One problem found while decoding an input: where it is and what is wrong. */
export interface Issue {
  readonly path: string;
  readonly message: string;
}

/** Why a continuation token does not match the thread or the observed session. */
export type MismatchReason =
  "thread_id" | "stale" | "forked" | "signature" | "malformed" | "version" | "missing";

/** A position in a thread: how many turns completed and the id of the last one. */
export interface Position {
  readonly completedTurns: number | null;
  readonly lastTurnId: string | null;
}

/** The `_tag`s of errors that come from decoding an input. */
export type DecodingErrorTag =
  | "InvalidOptions"
  | "InvalidThreadId"
  | "InvalidApiKey"
  | "InvalidMetadata"
  | "InvalidContinuationToken"
  | "InvalidSerializedThread";

/** An input that did not decode: every issue found, the first one's path as `path`. */
export interface DecodingError<Tag extends DecodingErrorTag = DecodingErrorTag> {
  readonly _tag: Tag;
  readonly path: string;
  readonly message: string;
  readonly issues: readonly Issue[];
}

/** Errors of the pure core: constructing, decoding and validating threads. */
export type ThreadError =
  | { [Tag in DecodingErrorTag]: DecodingError<Tag> }[DecodingErrorTag]
  | {
      readonly _tag: "ContinuationMismatch";
      readonly path: string;
      readonly message: string;
      readonly reason: MismatchReason;
      readonly threadId: string | null;
      readonly expected: Position | null;
      readonly observed: Position | null;
    }
  | {
      /** A token-bearing thread whose session is not in the store the CLI will read. */
      readonly _tag: "SessionMissing";
      readonly path: string;
      readonly message: string;
      readonly threadId: string | null;
      /** The store searched (`$CODEX_HOME/sessions`). */
      readonly store: string;
      readonly expected: Position | null;
    }
  | {
      /** A serialized thread lists secrets (`apiKey`, `env`, `config.…`) nobody supplied. */
      readonly _tag: "MissingSecrets";
      readonly path: string;
      readonly message: string;
      /** The paths of the secrets still missing. */
      readonly paths: readonly string[];
    };

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

/** How an event stream broke the protocol. */
export type ViolationKind =
  | "missing_thread_started"
  | "thread_id_changed"
  | "out_of_order"
  | "after_completion"
  | "incomplete"
  | "invalid_usage";

/** Errors of a turn that the pure fold decides, from the events alone. */
export type FoldError =
  | {
      readonly _tag: "TurnFailed";
      readonly path: string;
      readonly message: string;
      /** The error as the producer gave it (legacy producers add type, code, status …). */
      readonly error: Readonly<Record<string, unknown>>;
    }
  | {
      readonly _tag: "ProtocolViolation";
      readonly path: string;
      readonly message: string;
      readonly violation: ViolationKind;
      readonly expectedThreadId: string | null;
      readonly actualThreadId: string | null;
    }
  | {
      readonly _tag: "InvalidStructuredOutput";
      readonly path: string;
      readonly message: string;
    };

/** Errors of running a turn through a process or server (the shell). */
export type ShellError =
  | { readonly _tag: "CodexNotFound"; readonly path: string; readonly message: string }
  | { readonly _tag: "SpawnFailed"; readonly path: string; readonly message: string }
  | {
      readonly _tag: "ExecFailed";
      readonly path: string;
      readonly message: string;
      readonly exitCode: number | null;
      readonly signal: string | null;
      readonly stderrTail: string;
    }
  | {
      readonly _tag: "ThreadNotFound";
      readonly path: string;
      readonly message: string;
      readonly threadId: string;
    }
  | {
      readonly _tag: "ThreadBusy";
      readonly path: string;
      readonly message: string;
      readonly threadId: string;
      readonly retryable: true;
    }
  | {
      readonly _tag: "ResumeMismatch";
      readonly path: string;
      readonly message: string;
      readonly expectedThreadId: string;
      readonly actualThreadId: string;
    }
  | { readonly _tag: "Aborted"; readonly path: string; readonly message: string }
  | {
      readonly _tag: "TimedOut";
      readonly path: string;
      readonly message: string;
      readonly timeoutMs: number;
    }
  | {
      readonly _tag: "LineTooLong";
      readonly path: string;
      readonly message: string;
      readonly limit: number;
    }
  | { readonly _tag: "TempFileFailed"; readonly path: string; readonly message: string }
  | { readonly _tag: "TransportClosed"; readonly path: string; readonly message: string };

/** Every error a turn can end with: bad input, the fold's verdict, or the shell's. */
export type TurnError = ThreadError | FoldError | ShellError | import("./events.js").DecodeError;
