/**
 * A lifecycle call's `deps`, read once: every field read exactly once, up front, into a
 * snapshot (a getter or a Proxy cannot answer the check one thing and the use another), and
 * only the snapshot used from then on — by the route, the CLI, the telemetry.
 */
import { err, ok, type Result } from "neverthrow";
import { snapshot } from "../../core/decoding/snapshot.js";
import { isSecretOrNone, SECRET_RULE } from "../../core/effects.js";
import { isRecord } from "../../core/decoding/decode.js";
import { decodingError, invalidAt, type TransportError } from "../../core/errors/index.js";
import {
  DEFAULT_INPUT_LIMITS,
  resolveInputLimits,
  type ResolvedInputLimits,
} from "../../core/limits.js";
import type { TelemetrySink } from "../../core/telemetry.js";
import type { Link } from "../app-server/link.js";
import type { Transport } from "../transport.js";
import type { LifecycleDeps, LifecycleError } from "./types.js";

/** The longest a CLI call may take by default, in ms. */
export const DEFAULT_TIMEOUT_MS = 60_000;
const MAX_TIMEOUT_MS = 2 ** 31 - 1; // the longest setTimeout can wait

/** An app-server's connection, as read once from a lifecycle capability. */
export type LinkOf = () => Result<Link, TransportError>;

/** A lifecycle call's deps as read once: what every later step uses instead of `deps`. */
export interface TakenDeps {
  /** The call's sink, else its server's. */
  readonly sink?: TelemetrySink;
  /** The clock for telemetry timestamps. */
  readonly now?: () => Date;
  /** The codex binary (loses to the options' `codexPathOverride`). */
  readonly codexPath?: string;
  /** A copy of the environment given. */
  readonly processEnv?: Readonly<Record<string, string | undefined>>;
  /** `deps.server` was given: its app-server's connection, or null when it is not an AppServer. */
  readonly server?: { readonly link: LinkOf | null };
  /** `deps.transport` was given: its kind and the app-server connection it carries, if any. */
  readonly transport?: { readonly kind: string; readonly link: LinkOf | null };
  /** The client options given, as read (decoded once, by the route). */
  readonly codexOptions?: unknown;
  /** The longest a CLI call may take, in ms. */
  readonly timeoutMs: number;
  /** What the fork's token is signed with. */
  readonly secret?: string;
  /** The bounds of the call's inputs. */
  readonly limits: ResolvedInputLimits;
}

/** No deps: the defaults. */
export const NO_DEPS: TakenDeps = { timeoutMs: DEFAULT_TIMEOUT_MS, limits: DEFAULT_INPUT_LIMITS };

const bad = (path: string, message: string): LifecycleError =>
  invalidAt("InvalidOptions", path, "invalid lifecycle deps", message);

/** The connection of the app-server a transport carries (its `lifecycle`), read once; or null. */
const linkOf = (transport: Transport | undefined): LinkOf | null => {
  if (!isRecord(transport)) return null;
  const cap = transport.lifecycle;
  if (!isRecord(cap)) return null;
  const link = cap.link;
  return typeof link === "function" ? () => link.call(cap) : null;
};

/** The environment given, copied once: an object of strings. */
const envOf = (
  u: unknown,
  limits: ResolvedInputLimits,
): Result<Record<string, string | undefined>, LifecycleError> => {
  const env = snapshot(u, "deps.processEnv", limits);
  if (env.isErr())
    return err(
      decodingError("InvalidOptions", env.error.path, "invalid lifecycle deps", [env.error]),
    );
  const copy = env.value;
  if (!isRecord(copy)) return err(bad("deps.processEnv", "must be an object of strings"));
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(copy)) {
    if (v !== undefined && typeof v !== "string")
      return err(bad(`deps.processEnv.${k}`, "must be a string"));
    out[k] = v;
  }
  return ok(out);
};

/** `deps` read once (see takeLifecycleDeps), throwing when a getter or a Proxy does. */
const take = (deps: LifecycleDeps): Result<TakenDeps, LifecycleError> => {
  // Each field exactly once, in this order; nothing below reads `deps` again.
  const given = {
    sink: deps.sink,
    now: deps.now,
    codexPath: deps.codexPath,
    processEnv: deps.processEnv,
    server: deps.server,
    transport: deps.transport,
    codexOptions: deps.codexOptions,
    timeoutMs: deps.timeoutMs,
    secret: deps.secret,
    limits: deps.limits,
  };
  const limits = resolveInputLimits(given.limits, "deps.limits");
  if (limits.isErr()) return err(limits.error);
  const secret: unknown = given.secret;
  if (!isSecretOrNone(secret)) return err(bad("deps.secret", SECRET_RULE));
  const timeoutMs: unknown = given.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (
    typeof timeoutMs !== "number" ||
    !Number.isInteger(timeoutMs) ||
    timeoutMs <= 0 ||
    timeoutMs > MAX_TIMEOUT_MS
  )
    return err(bad("deps.timeoutMs", `must be a whole number of ms from 1 to ${MAX_TIMEOUT_MS}`));
  const codexPath: unknown = given.codexPath;
  if (codexPath !== undefined && typeof codexPath !== "string")
    return err(bad("deps.codexPath", "must be a string when given"));
  const env = given.processEnv === undefined ? undefined : envOf(given.processEnv, limits.value);
  if (env?.isErr() === true) return err(env.error);
  // An AppServer: its transport and its sink, each read once.
  const server = isRecord(given.server)
    ? { transport: given.server.transport, sink: given.server.sink }
    : null;
  const transport = given.transport;
  const kind: unknown = isRecord(transport) ? transport.kind : undefined;
  const sink =
    typeof given.sink === "function"
      ? given.sink
      : typeof server?.sink === "function"
        ? server.sink
        : undefined;
  const now = typeof given.now === "function" ? given.now : undefined;
  return ok({
    timeoutMs,
    limits: limits.value,
    ...(sink !== undefined ? { sink } : {}),
    ...(now !== undefined ? { now } : {}),
    ...(codexPath !== undefined ? { codexPath } : {}),
    ...(env?.isOk() === true ? { processEnv: env.value } : {}),
    ...(given.server !== undefined ? { server: { link: linkOf(server?.transport) } } : {}),
    ...(transport !== undefined
      ? {
          transport: {
            kind: typeof kind === "string" ? kind : "unknown",
            link: linkOf(transport),
          },
        }
      : {}),
    ...(given.codexOptions !== undefined ? { codexOptions: given.codexOptions } : {}),
    ...(typeof secret === "string" ? { secret } : {}),
  });
};

/**
 * `deps` read once and checked: `undefined` and `null` are no deps; anything else must be an
 * object whose fields can be read (a getter or a Proxy that throws is `InvalidOptions` at
 * `deps`), with a non-empty `secret`, valid `limits`, a whole positive `timeoutMs`, a string
 * `codexPath` and an environment of strings when given. Never throws.
 */
export const takeLifecycleDeps = (
  deps: LifecycleDeps | null | undefined,
): Result<TakenDeps, LifecycleError> => {
  if (deps === undefined || deps === null) return ok(NO_DEPS);
  if (typeof deps !== "object" || Array.isArray(deps)) return err(bad("deps", "must be an object"));
  try {
    return take(deps);
  } catch {
    return err(bad("deps", "could not be read (a getter or a Proxy threw)"));
  }
};
