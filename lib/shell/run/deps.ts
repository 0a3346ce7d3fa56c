/** Reading a turn's arguments: `deps` once, field by field, and snapshots decoded by codecs. */
import { isSecretOrNone, SECRET_RULE } from "../../core/effects.js";
import type * as t from "io-ts";
import { err, ok, type Result } from "neverthrow";
import { invalidAt, type TurnError } from "../../core/errors/index.js";
import { parseWith } from "../../core/errors/index.js";
import type { RunDeps } from "./types.js";
import { resolveInputLimits, type ResolvedInputLimits } from "../../core/limits.js";

/** The run's policy read from `deps` once, or the error of a bad value (never echoed). */
export const readDeps = (
  deps: RunDeps,
): Result<
  {
    secret?: string;
    acceptLegacyTokens: boolean;
    requireToken: boolean;
    limits: ResolvedInputLimits;
  },
  TurnError
> => {
  const bad = (path: string, what: string): Result<never, TurnError> =>
    err(invalidAt("InvalidOptions", path, "invalid run deps", what));
  try {
    const secret: unknown = deps.secret;
    const legacy: unknown = deps.acceptLegacyTokens;
    const require: unknown = deps.requireToken;
    if (!isSecretOrNone(secret)) return bad("deps.secret", SECRET_RULE);
    if (legacy !== undefined && typeof legacy !== "boolean")
      return bad("deps.acceptLegacyTokens", "must be a boolean when given");
    if (require !== undefined && typeof require !== "boolean")
      return bad("deps.requireToken", "must be a boolean when given");
    const limits = resolveInputLimits(deps.limits, "deps.limits");
    if (limits.isErr()) return err(limits.error);
    return ok({
      limits: limits.value,
      ...(secret !== undefined ? { secret } : {}),
      acceptLegacyTokens: legacy === true,
      requireToken: require === true,
    });
  } catch {
    return bad("deps", "could not be read");
  }
};

/** `deps` read once, each field exactly once (a getter or a Proxy cannot answer twice). */
export const takeDeps = (deps: RunDeps): Result<RunDeps, TurnError> => {
  if (deps === null || (typeof deps !== "object" && typeof deps !== "function")) return ok({});
  try {
    // Each field exactly once, in this order; nothing reads `deps` again.
    const sink = deps.sink;
    const codexPath = deps.codexPath;
    const transport = deps.transport;
    const now = deps.now;
    const secret = deps.secret;
    const acceptLegacyTokens = deps.acceptLegacyTokens;
    const requireToken = deps.requireToken;
    const maxLineBytes = deps.maxLineBytes;
    const observe = deps.observe;
    const limits = deps.limits;
    return ok({
      ...(sink !== undefined ? { sink } : {}),
      ...(codexPath !== undefined ? { codexPath } : {}),
      ...(transport !== undefined ? { transport } : {}),
      ...(now !== undefined ? { now } : {}),
      ...(secret !== undefined ? { secret } : {}),
      ...(acceptLegacyTokens !== undefined ? { acceptLegacyTokens } : {}),
      ...(requireToken !== undefined ? { requireToken } : {}),
      ...(maxLineBytes !== undefined ? { maxLineBytes } : {}),
      ...(observe !== undefined ? { observe } : {}),
      ...(limits !== undefined ? { limits } : {}),
    });
  } catch {
    return err(
      invalidAt(
        "InvalidOptions",
        "deps",
        "invalid run deps",
        "could not be read (a getter or a Proxy threw)",
      ),
    );
  }
};

/** `u` decoded with `codec` from one copy of it (see `copyWithin`): the one value used from then on. */
export const decodeSnapshot = <A>(
  codec: t.Decoder<unknown, A>,
  u: unknown,
  root: string,
  what: string,
  tag: "InvalidOptions" | "NotAThread" = "InvalidOptions",
  limits?: ResolvedInputLimits,
): Result<A, TurnError> => parseWith(codec, u, root, tag, what, limits);
