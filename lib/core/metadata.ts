/**
 * ThreadMetadata: what is known about a thread beyond its id, hydrated from the two shapes we
 * meet — the CLI rollout's `session_meta` line (read tolerantly: the CLI adds fields every
 * release, so unknown keys are kept in `extra` and listed in `unknownKeys`) and the legacy
 * `{ labels, created_at }` object of the parity fixtures.
 */
import { UNREADABLE_INPUT } from "./decoding/copy.js";
import * as t from "io-ts";
import { err, ok, type Result } from "neverthrow";
import { closed, isRecord, takeSnapshot } from "./decoding/decode.js";
import { resolveInputLimits, type InputLimits, type ResolvedInputLimits } from "./limits.js";
import { guard } from "./internal/guard.js";
import { isLeft } from "fp-ts/lib/Either.js";
import { invalidAt, issuesError, parseWith, type ThreadError } from "./errors/index.js";
import { Labels } from "./options.js";
import { NonNegativeInt } from "./continuation.js";
import { parseJson } from "./decoding/unknown.js";

const nullableString = t.union([t.string, t.null]);

/** Codec of git facts some producers attach (legacy `metadata.git`, rollout `git`). */
export const GitInfo = t.partial(
  { branch: t.string, commit_hash: t.string, dirty: t.boolean, repository_url: t.string },
  "GitInfo",
);

/** Git facts reduced to the fields GitInfo knows (producers add others; they are dropped). */
const gitFacts = (g: GitInfo): GitInfo =>
  Object.fromEntries(
    Object.entries(g).filter(([k]) => Object.prototype.hasOwnProperty.call(GitInfo.props, k)),
  );

/** Codec of normalized thread metadata (strict: it is part of our serialized format). */
export const ThreadMetadata = closed(
  "ThreadMetadata",
  {
    origin: t.keyof({ rollout: null, legacy: null }),
    threadId: nullableString,
    createdAt: nullableString,
    cwd: nullableString,
    originator: nullableString,
    cliVersion: nullableString,
    source: nullableString,
    modelProvider: nullableString,
    labels: Labels,
    unknownKeys: t.array(t.string),
    extra: t.UnknownRecord,
  },
  // A count (a finite number: JSON writes Infinity as null, which would not read back).
  { git: closed("GitInfo", {}, GitInfo.props), baseInstructionsChars: NonNegativeInt },
);
/** Normalized thread metadata. */
export type ThreadMetadata = t.TypeOf<typeof ThreadMetadata>;

/** Git facts. */
export type GitInfo = t.TypeOf<typeof GitInfo>;

/** Codec of the fields we type in a rollout's `session_meta` payload (others are kept as-is). */
const SessionMetaPayload = t.intersection([
  t.type({ id: t.string }),
  t.partial({
    session_id: t.string,
    timestamp: t.string,
    cwd: t.string,
    originator: t.string,
    cli_version: t.string,
    source: t.unknown,
    thread_source: t.unknown,
    model_provider: nullableString,
    base_instructions: t.union([t.partial({ text: t.string }), t.null]),
    git: t.union([GitInfo, t.null]),
    instructions: t.unknown,
    runtime_workspace_roots: t.array(t.string),
    account_scoped: t.boolean,
    history_mode: t.unknown,
    context_window: t.unknown,
  }),
]);
// The keys the codec knows, derived from it: a key added to the codec is known at once.
const SESSION_META_KNOWN = new Set(
  SessionMetaPayload.types.flatMap((part) => Object.keys(part.props)),
);
// Known but not copied: the base instructions are tens of KB and live in the rollout.
const SESSION_META_DROPPED = new Set(["base_instructions", "instructions"]);
const SESSION_META_TYPED = new Set([
  "id",
  "timestamp",
  "cwd",
  "originator",
  "cli_version",
  "source",
  "model_provider",
  "git",
]);

/** Codec of the legacy metadata object (`thread.started.metadata` in the parity fixtures). */
const LegacyMetadata = t.partial({
  labels: Labels,
  created_at: t.string,
  git: GitInfo,
});
const LEGACY_KNOWN = new Set(["labels", "created_at", "git"]);

const stringOrNull = (u: unknown): string | null => (typeof u === "string" ? u : null);

/**
 * The unknown keys kept in `extra`, as JSON data: a caller's object may hold a Date or a class
 * instance (which the frozen Thread would share with the caller) or a BigInt (which no JSON
 * can hold). Keys whose values cannot be written as JSON make the metadata invalid.
 */
const extraOf = (
  p: Record<string, unknown>,
  keys: readonly string[],
): Result<Record<string, unknown>, ThreadError> => {
  try {
    const text = JSON.stringify(Object.fromEntries(keys.map((k) => [k, p[k]])));
    return ok(JSON.parse(text) as Record<string, unknown>);
  } catch {
    return err(
      invalidAt(
        "InvalidMetadata",
        "metadata",
        "invalid metadata",
        "unknown keys must hold JSON data (no BigInt, no cycle)",
      ),
    );
  }
};

const fromSessionMeta = (
  p: Record<string, unknown>,
  limits: ResolvedInputLimits,
): Result<ThreadMetadata, ThreadError> => {
  const r = parseWith(
    SessionMetaPayload,
    p,
    "metadata",
    "InvalidMetadata",
    "invalid session_meta",
    limits,
  );
  if (r.isErr()) return err(r.error);
  const m = r.value;
  const keep = Object.keys(p).filter(
    (k) => !SESSION_META_TYPED.has(k) && !SESSION_META_DROPPED.has(k),
  );
  const unknownKeys = Object.keys(p)
    .filter((k) => !SESSION_META_KNOWN.has(k))
    .sort();
  const text = m.base_instructions?.text;
  return extraOf(p, keep.sort()).map((extra) => ({
    origin: "rollout",
    threadId: m.id,
    createdAt: m.timestamp ?? null,
    cwd: m.cwd ?? null,
    originator: m.originator ?? null,
    cliVersion: m.cli_version ?? null,
    source: stringOrNull(m.source),
    modelProvider: m.model_provider ?? null,
    labels: {},
    unknownKeys,
    extra,
    ...(m.git ? { git: gitFacts(m.git) } : {}),
    ...(text !== undefined ? { baseInstructionsChars: text.length } : {}),
  }));
};

const fromLegacy = (
  p: Record<string, unknown>,
  limits: ResolvedInputLimits,
): Result<ThreadMetadata, ThreadError> => {
  const r = parseWith(LegacyMetadata, p, "metadata", "InvalidMetadata", "invalid metadata", limits);
  if (r.isErr()) return err(r.error);
  const unknownKeys = Object.keys(p)
    .filter((k) => !LEGACY_KNOWN.has(k))
    .sort();
  return extraOf(p, unknownKeys).map((extra) => ({
    origin: "legacy",
    threadId: null,
    createdAt: r.value.created_at ?? null,
    cwd: null,
    originator: null,
    cliVersion: null,
    source: null,
    modelProvider: null,
    labels: { ...(r.value.labels ?? {}) },
    unknownKeys,
    extra,
    ...(r.value.git ? { git: gitFacts(r.value.git) } : {}),
  }));
};

const fromJson = (
  json: unknown,
  limits: ResolvedInputLimits,
): Result<ThreadMetadata, ThreadError> => {
  // A copy: `extra` keeps values of the input, which must not alias (or freeze) the caller's.
  // Its sizes are bounded before it is read, and again once a JSON string is parsed.
  const bounded = (v: unknown): Result<unknown, ThreadError> => {
    const s = takeSnapshot(v, "metadata", limits);
    return isLeft(s)
      ? err(issuesError("InvalidMetadata", "metadata", "invalid metadata", s.left))
      : ok(s.right);
  };
  const taken = bounded(json);
  if (taken.isErr()) return err(taken.error);
  let u = taken.value;
  if (typeof u === "string") {
    try {
      u = parseJson(u);
    } catch {
      return err(
        invalidAt(
          "InvalidMetadata",
          "metadata",
          "invalid metadata",
          "is a string but not valid JSON",
        ),
      );
    }
    const parsed = bounded(u);
    if (parsed.isErr()) return err(parsed.error);
    u = parsed.value;
  }
  if (!isRecord(u))
    return err(invalidAt("InvalidMetadata", "metadata", "invalid metadata", "expected an object"));
  if (u["type"] === "session_meta") {
    const payload = u["payload"];
    return isRecord(payload)
      ? fromSessionMeta(payload, limits)
      : err(
          invalidAt(
            "InvalidMetadata",
            "metadata.payload",
            "invalid session_meta",
            "expected an object",
          ),
        );
  }
  const looksLikeRollout = ["id", "session_id", "cli_version", "originator"].some((k) => k in u);
  return looksLikeRollout ? fromSessionMeta(u, limits) : fromLegacy(u, limits);
};

/**
 * Hydrates typed metadata from a rollout `session_meta` line (whole or its payload), a legacy
 * `{ labels, created_at }` object, or either as a JSON string. Never throws.
 */
export const metadataFromJson = (
  json: unknown,
  limits?: InputLimits,
): Result<ThreadMetadata, ThreadError> =>
  guard(
    () => resolveInputLimits(limits, "limits").andThen((lim) => fromJson(json, lim)),
    () => invalidAt("InvalidMetadata", "metadata", "invalid metadata", UNREADABLE_INPUT),
  );
