/**
 * What crosses Redis, as codecs: a job's data (the serialized thread, the input and the turn
 * options: no secret), its result (the new thread, serialized, and the Turn), a typed failure,
 * a thread's head in the session store, and the connection options. Pure.
 */
import * as t from "io-ts";
import type { Result } from "neverthrow";
import type { ResolvedInputLimits } from "../core/limits.js";
import { checkedString, closed, open } from "../core/decoding/decode.js";
import { NonNegativeInt } from "../core/continuation.js";
import { Input } from "../core/input.js";
import { CyberAccessProgram, JsonObject } from "../core/options.js";
import { Turn } from "../core/turn.js";
import { RelativeRolloutPath } from "../core/archive.js";
import { decodeFailure, FLEET_ERROR_TAGS, type FleetError } from "./errors.js";
import { decodeWith, isTurnErrorTag, type TurnError } from "../core/errors/index.js";
import { parseJson } from "../core/decoding/unknown.js";

/** The format tag of a job's data. */
export const FLEET_JOB_FORMAT = "codex-fp/fleet-job@1";
/** The format tag of a job's result. */
export const FLEET_RESULT_FORMAT = "codex-fp/fleet-result@1";

const TimeoutMs = new t.Type<number, number, unknown>(
  "TimeoutMs",
  (u): u is number => typeof u === "number" && Number.isInteger(u) && u > 0 && u <= 2_147_483_647,
  (u, c) =>
    typeof u === "number" && Number.isInteger(u) && u > 0 && u <= 2_147_483_647
      ? t.success(u)
      : t.failure(u, c, "expected a whole number of milliseconds from 1 to 2147483647"),
  (a) => a,
);

/** Codec of the turn options a job carries: the JSON ones (a signal stays with the submitter). */
export const JobTurnOptions = closed(
  "JobTurnOptions",
  {},
  { outputSchema: JsonObject, timeoutMs: TimeoutMs, cyberAccessProgram: CyberAccessProgram },
);
/** Turn options as a job carries them. */
export type JobTurnOptions = t.TypeOf<typeof JobTurnOptions>;

/** Codec of a job's data. `thread` is `serializeThread` output, parsed, with no client options. */
export const FleetJobData = closed(
  "FleetJobData",
  {
    format: t.literal(FLEET_JOB_FORMAT),
    thread: t.UnknownRecord,
    input: Input,
    turnOptions: JobTurnOptions,
  },
  {},
);
/** A job's data. */
export type FleetJobData = t.TypeOf<typeof FleetJobData>;

/** Codec of a position in a thread. */
export const FleetPosition = closed(
  "FleetPosition",
  { completedTurns: NonNegativeInt, lastTurnId: t.union([t.string, t.null]) },
  {},
);
/** A position in a thread. */
export type FleetPosition = t.TypeOf<typeof FleetPosition>;

/** Codec of a job's result: the new thread (serialized, no client options), the Turn, who ran it. */
export const FleetJobResult = closed(
  "FleetJobResult",
  {
    format: t.literal(FLEET_RESULT_FORMAT),
    thread: t.UnknownRecord,
    turn: Turn,
    workerId: t.string,
    head: FleetPosition,
  },
  {},
);
/** A job's result. */
export type FleetJobResult = t.TypeOf<typeof FleetJobResult>;

/** Codec of a typed failure as a job's failed reason carries it — every tagged error, kept whole. */
export const WireFailure = open(
  "WireFailure",
  { _tag: t.string, path: t.string, message: t.string },
  {},
);

const Digest = checkedString<string>("digest", (s) =>
  /^[0-9a-f]{64}$/.test(s) ? null : "expected 64 lowercase hex digits",
);

/**
 * Codec of a thread's head in the fleet's session store: the committed position, the rollout's
 * length in bytes, its SHA-256, the tail digest and hash state of that point (so the next
 * export costs only the bytes appended: see SessionArchive), how many chunks there are, and
 * where the rollout lives under `sessions/`.
 */
export const StoreHead = closed(
  "StoreHead",
  {
    completedTurns: NonNegativeInt,
    lastTurnId: t.union([t.string, t.null]),
    length: NonNegativeInt,
    digest: Digest,
    tail: Digest,
    hashState: t.union([t.string, t.null]),
    chunks: NonNegativeInt,
    path: RelativeRolloutPath,
  },
  {},
);
/** A thread's head. */
export type StoreHead = t.TypeOf<typeof StoreHead>;

const Port = new t.Type<number, number, unknown>(
  "Port",
  (u): u is number => typeof u === "number" && Number.isInteger(u) && u >= 1 && u <= 65535,
  (u, c) =>
    typeof u === "number" && Number.isInteger(u) && u >= 1 && u <= 65535
      ? t.success(u)
      : t.failure(u, c, "expected a port from 1 to 65535"),
  (a) => a,
);

/** Codec of the Redis connection options (the password is never written anywhere). */
export const FleetConnection = closed(
  "FleetConnection",
  { host: t.string, port: Port },
  { username: t.string, password: t.string, db: NonNegativeInt },
);
/** Where Redis is. */
export type FleetConnection = t.TypeOf<typeof FleetConnection>;

const QueueName = checkedString<string>("queue", (s) =>
  /^[A-Za-z0-9_-]{1,64}$/.test(s) ? null : "may hold 1 to 64 letters, digits, _ and -",
);
/** Codec of a queue name (also the store's key namespace). */
export const FleetQueueName = QueueName;

/** The queue used when none is given. */
export const DEFAULT_QUEUE = "codex-fp-turns";

/** True when `tag` is a fleet error's `_tag`. */
const isFleetErrorTag = (tag: string): boolean => FLEET_ERROR_TAGS.some((t) => t === tag);

/**
 * A tagged error of the library's read back whole: a `_tag` of a TurnError or a FleetError,
 * with a path and a message (the rest of its fields are as the library wrote them).
 */
const isLibraryError = (u: unknown): u is TurnError | FleetError =>
  WireFailure.is(u) && (isTurnErrorTag(u._tag) || isFleetErrorTag(u._tag));

/** Decodes a job's JSON text (as a failed reason carries it) into a typed error, or null. */
export const failureFromText = (text: string): TurnError | FleetError | null => {
  let u: unknown;
  try {
    u = parseJson(text);
  } catch {
    return null;
  }
  return isLibraryError(u) ? u : null;
};

/** True for a fleet error (as opposed to a turn's own error). */
export const isFleetError = (e: { readonly _tag: string }): e is FleetError =>
  isFleetErrorTag(e._tag);

/** Decodes `u` with `codec` into a fleet decoding error of `tag`. */
export const decodeAs = <A>(
  codec: t.Decoder<unknown, A>,
  u: unknown,
  root: string,
  tag: "InvalidFleetOptions" | "InvalidJobData" | "InvalidJobResult",
  what: string,
  limits?: ResolvedInputLimits,
): Result<A, FleetError> =>
  decodeWith(codec, u, root, (issues) => decodeFailure(tag, what, issues), limits);
