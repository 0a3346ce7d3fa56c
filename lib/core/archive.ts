/**
 * Session archives: a thread's history (its rollout file) as a JSON-safe value that moves
 * between machines — whole, or as a delta of what was appended since a point held elsewhere.
 *
 * What the fields mean:
 * - `length` and `digest`: the rollout's byte length and the standard SHA-256 (hex) of its
 *   bytes `[0, length)` once the archive is applied — `sha256sum` of the file gives the same.
 * - `tail`: SHA-256 of the last ≤ {@link TAIL_BYTES} bytes before `length`; a local file is
 *   recognised as holding a point by its length and tail (O(1)), without rehashing it.
 * - `hashState`: the SHA-256 state after `length` bytes (hash-wasm's saved state, base64), so a
 *   later delta's digest is computed from the delta's bytes alone (O(delta)). It holds no more
 *   than the digest plus the last < 64 bytes of the rollout.
 * - `base`: null for a whole rollout; for a delta, the point (length, digest, tail, hash state,
 *   position) it applies to. `bytes` are the rollout bytes `[base.length, length)`.
 *
 * Pure: decoding, the decision behind / equal / ahead / diverged, applying a delta.
 */
import { createHash } from "node:crypto";
import * as t from "io-ts";
import { err, ok, type Result } from "neverthrow";
import { isLeft } from "fp-ts/lib/Either.js";
import { checkedString, closed, decodeAll } from "./decoding/decode.js";
import { invalidArchive, type ArchiveError, type Issue } from "./errors/index.js";
import { DEFAULT_INPUT_LIMITS, NO_INPUT_LIMITS } from "./decoding/bounds.js";
import type { InputLimits } from "./limits.js";

const ARCHIVE_LIMITS = { ...NO_INPUT_LIMITS, maxDepth: DEFAULT_INPUT_LIMITS.maxDepth };
import { NonNegativeInt } from "./continuation.js";
import { ThreadId } from "./thread-id.js";
import { parseRolloutName } from "./rollout.js";
import { parseJson } from "./decoding/unknown.js";

/** The format tag and version written into every archive. */
export const SESSION_ARCHIVE_FORMAT = "codex-fp/session-archive@1";

/** How many bytes before a point its `tail` digest covers. */
export const TAIL_BYTES = 4096;

const Sha256Hex = checkedString<string>("Sha256Hex", (s) =>
  /^[0-9a-f]{64}$/.test(s) ? null : "must be a SHA-256 digest (64 lowercase hex digits)",
);

const Base64 = checkedString<string>("Base64", (s) =>
  s.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(s) ? null : "must be base64",
);

/** The problem with a path relative to `sessions/`, or null: `YYYY/MM/DD/rollout-<ts>-<id>.jsonl`. */
export const relativePathProblem = (s: string): string | null => {
  const m = /^(\d{4})\/(\d{2})\/(\d{2})\/([^/]+)$/.exec(s);
  if (m === null) return "must be YYYY/MM/DD/rollout-<timestamp>-<thread id>.jsonl";
  const name = parseRolloutName(m[4] ?? "");
  if (name === null || name.kind !== "rollout")
    return "must name a plain rollout (rollout-<timestamp>-<thread id>.jsonl)";
  return null;
};

/** Codec of a rollout's path relative to the store's `sessions/` folder. */
export const RelativeRolloutPath = checkedString<string>(
  "RelativeRolloutPath",
  relativePathProblem,
);

/** Codec of a position in a thread, as the rollout tells it. */
export const ArchivePosition = closed(
  "ArchivePosition",
  {
    /** Root turns completed (see SessionSummary.completedTurns). */
    completedTurns: NonNegativeInt,
    lastTurnId: t.union([t.string, t.null]),
  },
  {},
);
/** A position in a thread. */
export type ArchivePosition = t.TypeOf<typeof ArchivePosition>;

/** Codec of a point in a rollout: where an archive ends, or where a delta starts. */
export const ArchivePoint = closed(
  "ArchivePoint",
  {
    length: NonNegativeInt,
    digest: Sha256Hex,
    tail: Sha256Hex,
    /** The SHA-256 state after `length` bytes; null when unknown (the next delta rehashes). */
    hashState: t.union([Base64, t.null]),
    position: ArchivePosition,
  },
  {},
);
/** A point in a rollout. */
export type ArchivePoint = t.TypeOf<typeof ArchivePoint>;

/** Codec of how `bytes` are encoded: base64, or raw DEFLATE then base64 (when it pays). */
export const ArchiveEncoding = t.keyof({ base64: null, "deflate-raw+base64": null });
/** How `bytes` are encoded. */
export type ArchiveEncoding = t.TypeOf<typeof ArchiveEncoding>;

const ArchiveShape = closed(
  "SessionArchive",
  {
    format: t.literal(SESSION_ARCHIVE_FORMAT),
    threadId: ThreadId,
    /** Where the rollout lives under `$CODEX_HOME/sessions/`. */
    relativePath: RelativeRolloutPath,
    position: ArchivePosition,
    length: NonNegativeInt,
    digest: Sha256Hex,
    tail: Sha256Hex,
    hashState: t.union([Base64, t.null]),
    /** Null for a whole rollout; the point a delta applies to. */
    base: t.union([ArchivePoint, t.null]),
    encoding: ArchiveEncoding,
    bytes: Base64,
  },
  {},
);

/** The problems between an archive's fields (beyond each field's own shape). */
const archiveProblems = (a: t.TypeOf<typeof ArchiveShape>): Issue[] => {
  const issues: Issue[] = [];
  const name = parseRolloutName(a.relativePath.split("/").pop() ?? "");
  if (name !== null && name.threadId !== a.threadId)
    issues.push({
      path: "archive.relativePath",
      message: `names thread ${name.threadId}, not ${a.threadId}`,
    });
  if (a.base !== null && a.base.length > a.length)
    issues.push({ path: "archive.base.length", message: "is past the archive's length" });
  return issues;
};

/** Codec of a session archive (strict: unknown keys fail, fields must agree). */
export const SessionArchive = new t.Type<
  t.TypeOf<typeof ArchiveShape>,
  t.OutputOf<typeof ArchiveShape>,
  unknown
>(
  "SessionArchive",
  (u): u is t.TypeOf<typeof ArchiveShape> => ArchiveShape.is(u) && archiveProblems(u).length === 0,
  (u, c) => {
    const r = ArchiveShape.validate(u, c);
    if (isLeft(r)) return r;
    const problems = archiveProblems(r.right);
    return problems.length === 0
      ? r
      : t.failures(problems.map((p) => ({ value: u, context: c, message: p.message })));
  },
  ArchiveShape.encode,
);
/** A session archive: a whole rollout, or a delta onto a base point. */
export type SessionArchive = t.TypeOf<typeof SessionArchive>;
/** What a caller passes as an archive: its encoded (JSON) form, ids as plain strings. */
export type SessionArchiveInput = t.OutputOf<typeof SessionArchive>;

/** Codec of what `exportSession`'s `since` accepts: an archive, a point, or a length (and digest). */
export const ArchiveSince = t.union([
  SessionArchive,
  ArchivePoint,
  closed("ArchiveLength", { length: NonNegativeInt }, { digest: Sha256Hex }),
]);
/** A point held elsewhere: an archive (its end), a point, or a bare length (digest optional). */
export type ArchiveSince = t.TypeOf<typeof ArchiveSince>;

// ---------------------------------------------------------------------------------------------
// Relations and decoding (the errors are in ./errors/)
// ---------------------------------------------------------------------------------------------

/** How a local rollout relates to an archive (or to a point held elsewhere). */
export type ArchiveRelation = "behind" | "equal" | "ahead" | "diverged";

/** Decodes an archive (a value or its JSON text). Never throws. */
export const decodeArchive = (u: unknown): Result<SessionArchive, ArchiveError> =>
  decodeArchiveWithin(u, {});

/**
 * `decodeArchive` under the bounds a caller set (`within`, already checked), laid over the
 * archive's own: an archive holds a whole rollout (as text), so by default only its nesting
 * is bounded.
 */
export const decodeArchiveWithin = (
  u: unknown,
  within: InputLimits,
): Result<SessionArchive, ArchiveError> => {
  let value = u;
  if (typeof u === "string") {
    try {
      value = parseJson(u);
    } catch {
      return err(invalidArchive([{ path: "archive", message: "is not JSON" }]));
    }
  }
  const r = decodeAll(SessionArchive, value, "archive", { ...ARCHIVE_LIMITS, ...within });
  return isLeft(r) ? err(invalidArchive(r.left)) : ok(r.right);
};

// ---------------------------------------------------------------------------------------------
// Pure decisions
// ---------------------------------------------------------------------------------------------

/** SHA-256 (hex) of some bytes. */
export const sha256Hex = (bytes: Uint8Array): string =>
  createHash("sha256").update(bytes).digest("hex");

/** The tail digest of a point, given the bytes just before it (only the last TAIL_BYTES count). */
export const tailDigest = (before: Uint8Array): string =>
  sha256Hex(before.subarray(Math.max(0, before.length - TAIL_BYTES)));

/** The point a delta starts from: the base, or the empty rollout's for a whole one. */
export const baseOf = (a: SessionArchive): ArchivePoint =>
  a.base ?? {
    length: 0,
    digest: sha256Hex(new Uint8Array(0)),
    tail: sha256Hex(new Uint8Array(0)),
    hashState: null,
    position: { completedTurns: 0, lastTurnId: null },
  };

/** The point where an archive ends (what a later delta's `since` is). */
export const endOf = (a: SessionArchive): ArchivePoint => ({
  length: a.length,
  digest: a.digest,
  tail: a.tail,
  hashState: a.hashState,
  position: a.position,
});

/** What is known of a local rollout around an archive's range, read by the shell. */
export interface LocalView {
  /** The local file's length; 0 when there is none. */
  readonly length: number;
  /** Whether a local file exists. */
  readonly exists: boolean;
  /** The tail digest of the local bytes before the archive's base length (null when shorter). */
  readonly tailAtBase: string | null;
  /** The local bytes `[base.length, min(length, archive.length))`. */
  readonly overlap: Uint8Array;
}

/**
 * How a local rollout relates to an archive whose decoded delta bytes are `delta`: `behind`
 * (a strict prefix of the archive's result, at or after its base), `equal`, `ahead` (the
 * archive's result is a strict prefix of it), `diverged`, or `missing_base` (shorter than the
 * base a delta needs, or no file). A whole archive's base is the empty file (every file holds it).
 */
export const relate = (
  archive: { readonly base: ArchivePoint | null; readonly length: number },
  delta: Uint8Array,
  local: LocalView,
): ArchiveRelation | "missing_base" => {
  const base = archive.base;
  if (base !== null) {
    if (!local.exists || local.length < base.length) return "missing_base";
    if (local.tailAtBase !== base.tail) return "diverged";
  }
  const b = base?.length ?? 0;
  const o = local.overlap;
  const want = Math.min(local.length, archive.length) - b;
  if (want < 0 || o.length !== want) return "diverged";
  for (let i = 0; i < o.length; i++) if (o[i] !== delta[i]) return "diverged";
  if (local.length < archive.length) return "behind";
  return local.length === archive.length ? "equal" : "ahead";
};

/**
 * Applies an archive's delta bytes onto base bytes: the base must be exactly `base.length`
 * bytes with the base's digest. Returns the whole rollout. Pure; O(base + delta).
 */
export const applyDelta = (
  archive: SessionArchive,
  delta: Uint8Array,
  base: Uint8Array,
): Result<Uint8Array, ArchiveError> => {
  const point = baseOf(archive);
  if (base.length !== point.length || sha256Hex(base) !== point.digest)
    return err(
      invalidArchive([
        {
          path: "archive.base",
          message: `the delta applies to ${point.length} bytes with digest ${point.digest.slice(0, 12)}…, not to these`,
        },
      ]),
    );
  if (point.length + delta.length !== archive.length)
    return err(
      invalidArchive([
        { path: "archive.bytes", message: "do not span from the base to the archive's length" },
      ]),
    );
  const out = new Uint8Array(archive.length);
  out.set(base, 0);
  out.set(delta, point.length);
  if (sha256Hex(out) !== archive.digest)
    return err(invalidArchive([{ path: "archive.digest", message: "does not verify" }]));
  return ok(out);
};
