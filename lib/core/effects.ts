/**
 * The one shape of the effects every entry point takes — `runTurn` / `runStreamed`, the
 * lifecycle calls, `openAppServer`, the resume validator: where telemetry goes, the clock, the
 * codex binary, the environment it inherits, and the continuation-token secret and policy.
 * Each entry point's deps pick the fields they use from here, so each is named and documented
 * once and means the same everywhere.
 */
import type { TokenPolicy } from "./continuation.js";
import type { InputLimits } from "./limits.js";
import type { TelemetrySink } from "./telemetry.js";

/** The effects an entry point may be given, all optional. */
export interface Effects extends TokenPolicy {
  /** Where telemetry goes (default: nowhere); a sink that throws is ignored. */
  readonly sink?: TelemetrySink;
  /** The clock for telemetry timestamps (default: the system clock). */
  readonly now?: () => Date;
  /** The codex binary (loses to the options' `codexPathOverride`). */
  readonly codexPath?: string;
  /** The environment inherited when the options have no `env` (default: process.env). */
  readonly processEnv?: Readonly<Record<string, string | undefined>>;
  /** Signs and verifies continuation tokens: a non-empty string (checked before anything runs). */
  readonly secret?: string;
  /**
   * With a `secret`, also accept legacy (opaque, unsigned) tokens of a legacy producer. Off by
   * default: with a secret, only tokens signed with it pass.
   */
  readonly acceptLegacyTokens?: boolean;
  /** Refuse to resume a thread that carries no continuation token. */
  readonly requireToken?: boolean;
  /**
   * Bounds on the caller's values (lengths, sizes, depth), checked before they are read; each
   * one left out keeps its default (see InputLimits). Bad limits are `InvalidOptions`.
   */
  readonly limits?: InputLimits;
}

/** The continuation-token part of the effects: the secret and the policy. */
export type TokenEffects = Pick<Effects, "secret" | "acceptLegacyTokens" | "requireToken">;

/** What a signing secret must be, when one is given (the message of every refusal). */
export const SECRET_RULE = "must be a non-empty string when given";

/** True for a usable signing secret or none at all: a non-empty string, or `undefined`. */
export const isSecretOrNone = (u: unknown): u is string | undefined =>
  u === undefined || (typeof u === "string" && u.length > 0);
