/**
 * Reading an entry point's `deps`: the one reader every shell call uses (runTurn / runStreamed,
 * the lifecycle calls, openAppServer). `deps` is read field by field, each field exactly once,
 * and the fields every entry point shares (`Effects`) are checked by one set of rules, so the
 * same bad value is the same `InvalidOptions` error wherever it is given.
 */
import { err, ok, type Result } from "neverthrow";
import { isRecord } from "../core/decoding/decode.js";
import { snapshot } from "../core/decoding/snapshot.js";
import { UNREADABLE_INPUT } from "../core/decoding/copy.js";
import { isSecretOrNone, SECRET_RULE, type Effects } from "../core/effects.js";
import { decodingError, invalidAt, type DecodingError } from "../core/errors/index.js";
import { resolveInputLimits, type ResolvedInputLimits } from "../core/limits.js";
import type { TelemetrySink } from "../core/telemetry.js";

/** A refusal of one field of `deps` (its value is never echoed). */
export type DepsError = DecodingError<"InvalidOptions" | "InvalidApiKey">;

/** An `InvalidOptions` error at `path` (a field of `deps`), saying `rule`. */
export const badDeps = (path: string, rule: string): DepsError =>
  invalidAt("InvalidOptions", path, "invalid deps", rule);

/**
 * The fields `keys` of `deps`, each read exactly once, in order. `undefined` and `null` are no
 * deps (every field undefined); anything else must be an object whose fields can be read: a
 * number, an array, or a getter or a Proxy that throws is `InvalidOptions` at `deps`. The
 * values keep their declared types and are checked at run time by the caller (`checkEffects`
 * for the shared ones).
 */
export const readFields = <D extends object, K extends keyof D & string>(
  deps: D | null | undefined,
  keys: readonly K[],
  root = "deps",
): Result<Partial<Pick<D, K>>, DepsError> => {
  const out: Partial<Pick<D, K>> = {};
  if (deps === undefined || deps === null) return ok(out);
  try {
    // Inside the try: `Array.isArray` throws on a revoked Proxy.
    if (typeof deps !== "object" || Array.isArray(deps))
      return err(badDeps(root, "must be an object when given"));
    for (const k of keys) {
      const v = deps[k];
      if (v !== undefined) out[k] = v;
    }
  } catch {
    return err(badDeps(root, UNREADABLE_INPUT));
  }
  return ok(out);
};

/** The shared fields of `deps` (see `Effects`). */
export const EFFECT_KEYS = [
  "sink",
  "now",
  "codexPath",
  "processEnv",
  "secret",
  "acceptLegacyTokens",
  "requireToken",
  "limits",
] as const satisfies readonly (keyof Effects)[];

/** The shared fields of `deps`, checked: what every later step uses instead of `deps`. */
export interface CheckedEffects {
  readonly sink?: TelemetrySink;
  readonly now?: () => Date;
  readonly codexPath?: string;
  /** A copy of the environment given. */
  readonly processEnv?: Readonly<Record<string, string | undefined>>;
  readonly secret?: string;
  readonly acceptLegacyTokens: boolean;
  readonly requireToken: boolean;
  /** The bounds of the call's inputs: the defaults with `deps.limits` laid over them. */
  readonly limits: ResolvedInputLimits;
}

/** The environment given, copied once under `limits`: an object of strings. */
const envOf = (
  u: unknown,
  limits: ResolvedInputLimits,
  root: string,
): Result<Record<string, string | undefined>, DepsError> => {
  const env = snapshot(u, `${root}.processEnv`, limits);
  if (env.isErr())
    return err(decodingError("InvalidOptions", env.error.path, "invalid deps", [env.error]));
  const copy = env.value;
  if (!isRecord(copy)) return err(badDeps(`${root}.processEnv`, "must be an object of strings"));
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(copy)) {
    if (v !== undefined && typeof v !== "string")
      return err(badDeps(`${root}.processEnv.${k}`, "must be a string"));
    out[k] = v;
  }
  return ok(out);
};

const functionOrNone = (u: unknown): boolean => u === undefined || typeof u === "function";
const booleanOrNone = (u: unknown): boolean => u === undefined || typeof u === "boolean";

/**
 * The shared fields, as `readFields` read them, checked by one set of rules (a JavaScript
 * caller can pass anything): `sink` and `now` functions, `codexPath` a non-empty string,
 * `processEnv` an object of strings (copied), `secret` a non-empty string, the token policy
 * booleans and valid `limits`, each when given. Paths are under `root` (`deps.sink` …).
 */
export const checkEffects = (
  given: Partial<Effects>,
  root = "deps",
): Result<CheckedEffects, DepsError> => {
  const limits = resolveInputLimits(given.limits, `${root}.limits`);
  if (limits.isErr()) return err(limits.error);
  const { sink, now, codexPath, secret, acceptLegacyTokens, requireToken } = given;
  if (!functionOrNone(sink)) return err(badDeps(`${root}.sink`, "must be a function when given"));
  if (!functionOrNone(now)) return err(badDeps(`${root}.now`, "must be a function when given"));
  const path: unknown = codexPath;
  if (path !== undefined && (typeof path !== "string" || path.length === 0))
    return err(badDeps(`${root}.codexPath`, "must be a non-empty string when given"));
  const key: unknown = secret;
  if (!isSecretOrNone(key)) return err(badDeps(`${root}.secret`, SECRET_RULE));
  if (!booleanOrNone(acceptLegacyTokens))
    return err(badDeps(`${root}.acceptLegacyTokens`, "must be a boolean when given"));
  if (!booleanOrNone(requireToken))
    return err(badDeps(`${root}.requireToken`, "must be a boolean when given"));
  const env =
    given.processEnv === undefined ? undefined : envOf(given.processEnv, limits.value, root);
  if (env?.isErr() === true) return err(env.error);
  return ok({
    limits: limits.value,
    acceptLegacyTokens: acceptLegacyTokens === true,
    requireToken: requireToken === true,
    ...(sink !== undefined ? { sink } : {}),
    ...(now !== undefined ? { now } : {}),
    ...(typeof path === "string" ? { codexPath: path } : {}),
    ...(env?.isOk() === true ? { processEnv: env.value } : {}),
    ...(typeof key === "string" ? { secret: key } : {}),
  });
};
