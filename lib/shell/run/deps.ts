/** Reading a turn's arguments: `deps` once, field by field, and the arguments decoded by codecs. */
import type * as t from "io-ts";
import { err, ok, type Result } from "neverthrow";
import { isRecord } from "../../core/decoding/decode.js";
import { parseWith, type TurnError } from "../../core/errors/index.js";
import { DEFAULT_INPUT_LIMITS, type ResolvedInputLimits } from "../../core/limits.js";
import { badDeps, checkEffects, readFields, type CheckedEffects } from "../deps.js";
import type { Transport } from "../transport.js";
import type { ObserveSession, RunDeps } from "./types.js";

/** A turn's deps as read once and checked: what every later step uses instead of `deps`. */
export interface TakenRunDeps extends Omit<CheckedEffects, "processEnv"> {
  readonly transport?: Transport;
  readonly maxLineBytes?: number;
  readonly observe?: ObserveSession | false;
}

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
 * by `checkEffects`, `transport` an object with a string `kind` and a `startTurn` function,
 * `maxLineBytes` a positive whole number and `observe` a function or `false`, each when given.
 * A bad value is `InvalidOptions` at its path, before anything runs. Never throws.
 */
export const takeRunDeps = (deps: RunDeps | null | undefined): Result<TakenRunDeps, TurnError> =>
  readFields(deps, RUN_KEYS).andThen((given) => {
    const { transport, maxLineBytes, observe, ...shared } = given;
    const effects = checkEffects(shared);
    if (effects.isErr()) return err(effects.error);
    if (
      transport !== undefined &&
      !(
        isRecord(transport) &&
        typeof transport.kind === "string" &&
        typeof transport.startTurn === "function"
      )
    )
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
      ...(transport !== undefined ? { transport } : {}),
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
