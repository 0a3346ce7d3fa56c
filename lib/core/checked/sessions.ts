/**
 * The public forms of the session helpers the library runs over values it built itself
 * (archives, session summaries). Inside, the library calls the plain forms with decoded values;
 * their parameters are typed as the codecs' encoded forms, and each still decodes its arguments
 * first and returns a Result (a JavaScript caller may hand them anything): a hostile value is a
 * typed error, never a throw.
 */
import { err, ok, type Result } from "neverthrow";
import * as t from "io-ts";
import {
  decodeWith,
  invalidArchive,
  parseWith,
  type ArchiveError,
  type ThreadError,
} from "../errors/index.js";
import {
  ArchivePoint,
  applyDelta as applyDeltaTo,
  baseOf as baseOfArchive,
  endOf as endOfArchive,
  relate as relateTo,
  SessionArchive,
  type ArchiveRelation,
  type LocalView,
  type SessionArchiveInput,
} from "../archive.js";
import { SessionSummary, observedFrom as observedFromSummary } from "../rollout/summary.js";
import type { ObservedSession } from "../resume-validator.js";

const archiveArg = (u: unknown, path: string): Result<SessionArchive, ArchiveError> =>
  decodeWith(SessionArchive, u, path, invalidArchive, { ...NO_BOUNDS });

// An archive holds a whole rollout: its values are not bounded by the input limits here.
const NO_BOUNDS = {
  maxArrayLength: Infinity,
  maxStringLength: Infinity,
  maxKeys: Infinity,
  maxDepth: 64,
  maxValues: Infinity,
};

const bytesArg = (u: unknown, path: string): Result<Uint8Array, ArchiveError> =>
  u instanceof Uint8Array
    ? ok(u)
    : err(invalidArchive([{ path, message: "expected a Uint8Array" }]));

/** The point a delta starts from (see `baseOf`); an `InvalidArchive` error for a non-archive. */
export const baseOf = (archive: SessionArchiveInput): Result<ArchivePoint, ArchiveError> =>
  archiveArg(archive, "archive").map(baseOfArchive);

/** The point where an archive ends (see `endOf`); an `InvalidArchive` error for a non-archive. */
export const endOf = (archive: SessionArchiveInput): Result<ArchivePoint, ArchiveError> =>
  archiveArg(archive, "archive").map(endOfArchive);

/** Applies an archive's delta bytes onto base bytes (see `applyDelta`), every argument checked. */
export const applyDelta = (
  archive: SessionArchiveInput,
  delta: Uint8Array,
  base: Uint8Array,
): Result<Uint8Array, ArchiveError> =>
  archiveArg(archive, "archive").andThen((a) =>
    bytesArg(delta, "delta").andThen((d) =>
      bytesArg(base, "base").andThen((b) => applyDeltaTo(a, d, b)),
    ),
  );

const RelateArchive = t.type({ base: t.union([ArchivePoint, t.null]), length: t.number });
/** What `relate` reads of an archive (an archive, or its base and length), encoded. */
export type RelateArchiveInput = t.OutputOf<typeof RelateArchive>;
/** What a caller passes as a session summary: its encoded form (ids as plain strings). */
export type SessionSummaryInput = t.OutputOf<typeof SessionSummary>;
const LocalViewCodec = t.type({
  length: t.number,
  exists: t.boolean,
  tailAtBase: t.union([t.string, t.null]),
});

/** How a local rollout relates to an archive (see `relate`), every argument checked. */
export const relate = (
  archive: RelateArchiveInput,
  delta: Uint8Array,
  local: LocalView,
): Result<ArchiveRelation | "missing_base", ArchiveError> => {
  const a = decodeWith(RelateArchive, archive, "archive", invalidArchive, { ...NO_BOUNDS });
  if (a.isErr()) return err(a.error);
  const l = decodeWith(LocalViewCodec, local, "local", invalidArchive);
  if (l.isErr()) return err(l.error);
  return bytesArg(delta, "delta").andThen((d) => {
    // The overlap is a Uint8Array: the snapshot keeps class instances as they are.
    const overlap: unknown = Reflect.get(l.value, "overlap");
    return bytesArg(overlap, "local.overlap").map((o) =>
      relateTo(a.value, d, { ...l.value, overlap: o }),
    );
  });
};

/** What was observed of a session (see `observedFrom`); `InvalidOptions` for a non-summary. */
export const observedFrom = (summary: SessionSummaryInput): Result<ObservedSession, ThreadError> =>
  parseWith(SessionSummary, summary, "summary", "InvalidOptions", "not a SessionSummary").map(
    observedFromSummary,
  );
