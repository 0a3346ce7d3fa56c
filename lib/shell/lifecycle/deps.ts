/**
 * A lifecycle call's `deps`, read once: every field read exactly once, up front, into a
 * snapshot (a getter or a Proxy cannot answer the check one thing and the use another), and
 * only the snapshot used from then on — by the route, the CLI, the telemetry.
 */
import { err, ok, type Result } from "neverthrow";
import { isRecord } from "../../core/decoding/decode.js";
import { UNREADABLE_INPUT } from "../../core/decoding/copy.js";
import type { TransportError } from "../../core/errors/index.js";
import { DEFAULT_INPUT_LIMITS } from "../../core/limits.js";
import { badDeps, checkEffects, readFields, type CheckedEffects } from "../deps.js";
import type { Link } from "../app-server/link.js";
import type { Transport } from "../transport.js";
import type { LifecycleDeps, LifecycleError } from "./types.js";

/** The longest a CLI call may take by default, in ms. */
export const DEFAULT_TIMEOUT_MS = 60_000;
const MAX_TIMEOUT_MS = 2 ** 31 - 1; // the longest setTimeout can wait

/** An app-server's connection, as read once from a lifecycle capability. */
export type LinkOf = () => Result<Link, TransportError>;

/** A lifecycle call's deps as read once: what every later step uses instead of `deps`. */
export interface TakenDeps extends CheckedEffects {
  /** `deps.server` was given: its app-server's connection, or null when it is not an AppServer. */
  readonly server?: { readonly link: LinkOf | null };
  /** `deps.transport` was given: its kind and the app-server connection it carries, if any. */
  readonly transport?: { readonly kind: string; readonly link: LinkOf | null };
  /** The client options given, as read (decoded once, by the route). */
  readonly codexOptions?: unknown;
  /** The longest a CLI call may take, in ms. */
  readonly timeoutMs: number;
}

/** No deps: the defaults. */
export const NO_DEPS: TakenDeps = {
  timeoutMs: DEFAULT_TIMEOUT_MS,
  limits: DEFAULT_INPUT_LIMITS,
  acceptLegacyTokens: false,
  requireToken: false,
};

/** The connection of the app-server a transport carries (its `lifecycle`), read once; or null. */
const linkOf = (transport: Transport | undefined): LinkOf | null => {
  if (!isRecord(transport)) return null;
  const cap = transport.lifecycle;
  if (!isRecord(cap)) return null;
  const link = cap.link;
  return typeof link === "function" ? () => link.call(cap) : null;
};

/** What a lifecycle call reads of `deps`, in this order. */
const LIFECYCLE_KEYS = [
  "sink",
  "now",
  "codexPath",
  "processEnv",
  "secret",
  "acceptLegacyTokens",
  "requireToken",
  "limits",
  "server",
  "transport",
  "codexOptions",
  "timeoutMs",
] as const satisfies readonly (keyof LifecycleDeps)[];

/** The lifecycle fields, read once by `readFields`, checked (the shared ones by `checkEffects`). */
const check = (given: Partial<LifecycleDeps>): Result<TakenDeps, LifecycleError> => {
  const { server: serverArg, transport, codexOptions, timeoutMs: ms, ...shared } = given;
  const effects = checkEffects(shared);
  if (effects.isErr()) return err(effects.error);
  const e = effects.value;
  const timeoutMs: unknown = ms ?? DEFAULT_TIMEOUT_MS;
  if (
    typeof timeoutMs !== "number" ||
    !Number.isInteger(timeoutMs) ||
    timeoutMs <= 0 ||
    timeoutMs > MAX_TIMEOUT_MS
  )
    return err(
      badDeps("deps.timeoutMs", `must be a whole number of ms from 1 to ${MAX_TIMEOUT_MS}`),
    );
  // An AppServer: its transport and its sink, each read once.
  const server = isRecord(serverArg)
    ? { transport: serverArg.transport, sink: serverArg.sink }
    : null;
  const kind: unknown = isRecord(transport) ? transport.kind : undefined;
  const serverSink = server?.sink;
  const sink = e.sink ?? (typeof serverSink === "function" ? serverSink : undefined);
  return ok({
    ...e,
    timeoutMs,
    ...(sink !== undefined ? { sink } : {}),
    ...(serverArg !== undefined ? { server: { link: linkOf(server?.transport) } } : {}),
    ...(transport !== undefined
      ? {
          transport: {
            kind: typeof kind === "string" ? kind : "unknown",
            link: linkOf(transport),
          },
        }
      : {}),
    ...(codexOptions !== undefined ? { codexOptions } : {}),
  });
};

/**
 * `deps` read once and checked: `undefined` and `null` are no deps; anything else must be an
 * object whose fields can be read (a getter or a Proxy that throws is `InvalidOptions` at
 * `deps`), with the shared fields as `checkEffects` wants them, a whole positive `timeoutMs`
 * and an environment of strings when given. Never throws.
 */
export const takeLifecycleDeps = (
  deps: LifecycleDeps | null | undefined,
): Result<TakenDeps, LifecycleError> => {
  if (deps === undefined || deps === null) return ok(NO_DEPS);
  try {
    return readFields(deps, LIFECYCLE_KEYS).andThen(check);
  } catch {
    // A server or transport whose fields throw while they are read.
    return err(badDeps("deps", UNREADABLE_INPUT));
  }
};
