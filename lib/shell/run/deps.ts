/** Reading a turn's arguments: `deps` once, field by field, and the arguments decoded by codecs. */
import type * as t from "io-ts";
import { err, ok, type Result } from "neverthrow";
import { isRecord } from "../../core/decoding/decode.js";
import { parseWith, type TurnError } from "../../core/errors/index.js";
import { DEFAULT_INPUT_LIMITS, type ResolvedInputLimits } from "../../core/limits.js";
import { badDeps, checkEffects, readFields, type CheckedEffects } from "../deps.js";
import type { Transport, TransportTurnRequest } from "../transport.js";
import type { ObserveSession, RunDeps } from "./types.js";

/** A turn's deps as read once and checked: what every later step uses instead of `deps`. */
export interface TakenRunDeps extends Omit<CheckedEffects, "processEnv"> {
  readonly transport?: Transport;
  readonly maxLineBytes?: number;
  readonly observe?: ObserveSession | false;
}

/**
 * A caller's transport read once: its `kind` and its `startTurn` (called on the transport), so a
 * getter cannot answer "exec" to the check and "replay" to the preflight. Null when it is not a
 * Transport or cannot be read.
 */
const takeTransport = (u: unknown): Transport | null => {
  try {
    if (!isRecord(u)) return null;
    const kind: unknown = u.kind;
    const startTurn: unknown = u.startTurn;
    if (typeof kind !== "string" || typeof startTurn !== "function") return null;
    const start = startTurn as Transport["startTurn"];
    return Object.freeze({ kind, startTurn: (r: TransportTurnRequest) => start.call(u, r) });
  } catch {
    return null;
  }
};

/** No deps: the defaults. */
export const NO_RUN_DEPS: TakenRunDeps = {
  limits: DEFAULT_INPUT_LIMITS,
  acceptLegacyTokens: false,
  requireToken: false,
};

/** What a turn reads of `deps`: the shared fields but `processEnv` (a turn uses the options' env). */
const RUN_KEYS = [
  "sink",
  "now",
  "codexPath",
  "secret",
  "acceptLegacyTokens",
  "requireToken",
  "limits",
  "transport",
  "maxLineBytes",
  "observe",
] as const satisfies readonly (keyof RunDeps)[];

/**
 * `deps` read once (every field exactly once, see `readFields`) and checked: the shared fields
 * by `checkEffects`, `transport` an object with a string `kind` and a `startTurn` function
 * (taken once: see `takeTransport`),
 * `maxLineBytes` a positive whole number and `observe` a function or `false`, each when given.
 * A bad value is `InvalidOptions` at its path, before anything runs. Never throws.
 */
export const takeRunDeps = (deps: RunDeps | null | undefined): Result<TakenRunDeps, TurnError> =>
  readFields(deps, RUN_KEYS).andThen((given) => {
    const { transport, maxLineBytes, observe, ...shared } = given;
    const effects = checkEffects(shared);
    if (effects.isErr()) return err(effects.error);
    const taken = transport === undefined ? undefined : takeTransport(transport);
    if (taken === null)
      return err(badDeps("deps.transport", "must be a Transport (a kind and startTurn)"));
    const lineBytes: unknown = maxLineBytes;
    if (
      lineBytes !== undefined &&
      !(typeof lineBytes === "number" && Number.isSafeInteger(lineBytes) && lineBytes > 0)
    )
      return err(badDeps("deps.maxLineBytes", "must be a positive whole number when given"));
    const observer: unknown = observe;
    if (observer !== undefined && observer !== false && typeof observer !== "function")
      return err(badDeps("deps.observe", "must be a function or false when given"));
    return ok({
      ...effects.value,
      ...(taken !== undefined ? { transport: taken } : {}),
      ...(maxLineBytes !== undefined ? { maxLineBytes } : {}),
      ...(observe !== undefined ? { observe } : {}),
    });
  });

/** `u` decoded with `codec` from one copy of it (see `copyWithin`): the one value used from then on. */
export const decodeSnapshot = <A>(
  codec: t.Decoder<unknown, A>,
  u: unknown,
  root: string,
  what: string,
  tag: "InvalidOptions" | "NotAThread" = "InvalidOptions",
  limits?: ResolvedInputLimits,
): Result<A, TurnError> => parseWith(codec, u, root, tag, what, limits);
