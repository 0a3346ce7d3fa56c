/**
 * Where the session store is and how it is read: the read limits, the options every session
 * function takes (including the `signal` that stops a read), the store's location as the CLI
 * finds it, file-system error mapping and a bounded pool.
 */
import { homedir, userInfo } from "node:os";
import { join, resolve } from "node:path";
import { err, ok, type Result } from "neverthrow";
import { isRecord } from "../../core/decoding/decode.js";
import { isRealAbortSignal } from "../../core/decoding/signal.js";
import { UNREADABLE_INPUT } from "../../core/decoding/copy.js";
import { snapshot, snapshotOptions } from "../../core/decoding/snapshot.js";
import type { SessionSummary } from "../../core/rollout.js";
import {
  decodingError,
  sessionUnreadable,
  storeUnreadable as folderUnreadable,
  type DecodingError,
  type Issue,
  type SessionProblem,
} from "../../core/errors/index.js";
import {
  resolveInputLimits,
  type InputLimits,
  type ResolvedInputLimits,
} from "../../core/limits.js";

/** The bounds of every read. */
export const SESSION_READ_LIMITS = {
  /** The longest first line (`session_meta`) accepted. */
  headBytes: 1024 * 1024,
  /** A file whose rest (after the first line) is at most this is read whole, and counted exactly. */
  smallRestBytes: 256 * 1024,
  /** The first tail window; each further one is four times larger. */
  tailFirstBytes: 16 * 1024,
  /** The largest tail window a listing reads. */
  tailBytes: 2 * 1024 * 1024,
  /** In a full scan, lines longer than this are skipped (only their start is read, for the ordinal). */
  lineBytes: 16 * 1024 * 1024,
  /** Files read at once by default. */
  concurrency: 16,
} as const;

/** Where the store is: an explicit `codexHome`, else the environment the CLI will run with. */
export interface SessionStoreOptions {
  /** The `CODEX_HOME` to read; wins over everything else. */
  readonly codexHome?: string;
  /**
   * The environment the CLI runs with — a thread's `codexOptions.env`. As with the CLI, when it
   * is given it is the whole environment: `CODEX_HOME` from it, else `$HOME/.codex` from it,
   * else the user's home; `process.env` is not consulted. When it is not given, `process.env`.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Files read at once (default {@link SESSION_READ_LIMITS}.concurrency). */
  readonly concurrency?: number;
  /** Stops the read: the call settles `Aborted` at once and no further file is opened. */
  readonly signal?: AbortSignal;
  /**
   * Bounds on the call's arguments (this options object, the thread id or path), checked
   * before they are read further (see InputLimits; default: the defaults). Bad limits, or an
   * argument over one, are `InvalidOptions` at its path.
   */
  readonly limits?: InputLimits;
}

/** How much of a single rollout to read: `full` streams it to count turns, `tail` does not. */
export interface SessionReadOptions {
  readonly scan?: "full" | "tail";
}

/** The sessions of a store, newest first, and the entries that could not be listed. */
export interface SessionListing {
  readonly sessions: readonly SessionSummary[];
  readonly problems: readonly SessionProblem[];
}

/** A string with something in it. */
export const nonEmpty = (s: string | undefined): s is string => typeof s === "string" && s !== "";

const userHome = (): string => {
  try {
    return userInfo().homedir;
  } catch {
    return homedir();
  }
};

/**
 * The `CODEX_HOME` the CLI would use: `codexHome`; else `CODEX_HOME` of `env` (when given) or of
 * `process.env`; else `<home>/.codex`. An empty value counts as unset; relative paths are
 * resolved against the current directory.
 */
export const resolveCodexHome = (opts: SessionStoreOptions = {}): string => {
  if (nonEmpty(opts.codexHome)) return resolve(opts.codexHome);
  const env = opts.env ?? process.env;
  const fromEnv = env["CODEX_HOME"];
  if (nonEmpty(fromEnv)) return resolve(fromEnv);
  const home = opts.env === undefined ? homedir() : (opts.env["HOME"] ?? "");
  return join(nonEmpty(home) ? home : userHome(), ".codex");
};

/** The store's `sessions` folder. */
export const sessionsDir = (opts: SessionStoreOptions): string =>
  join(resolveCodexHome(opts), "sessions");

/** The number of files read at once. */
export const concurrencyOf = (opts: SessionStoreOptions): number =>
  typeof opts.concurrency === "number" && opts.concurrency >= 1
    ? opts.concurrency
    : SESSION_READ_LIMITS.concurrency;

/** The system error code of `e`, if any. */
export const codeOf = (e: unknown): string | null => {
  const code = isRecord(e) ? e["code"] : undefined;
  return typeof code === "string" ? code : null;
};

/** A file-system error as text: its code and message. */
export const describeFsError = (e: unknown): string => {
  const code = codeOf(e);
  const text = e instanceof Error ? e.message : "unknown error";
  return code === null ? text : `${code}: ${text}`;
};

/** A rollout that could not be opened or read. */
export const unreadable = (path: string, e: unknown): SessionProblem =>
  sessionUnreadable(path, `cannot read the rollout (${describeFsError(e)})`, codeOf(e));

/** A folder of the store that could not be read. */
export const storeUnreadable = (path: string, e: unknown): SessionProblem =>
  folderUnreadable(path, `cannot read the session folder (${describeFsError(e)})`, codeOf(e));

/**
 * Runs `f` on every item with at most `limit` in flight; results in item order. Once `signal`
 * aborts no further item is started (the results of those are missing).
 */
export const mapPool = async <A, B>(
  items: readonly A[],
  limit: number,
  f: (a: A, worker: number) => Promise<B>,
  signal?: AbortSignal,
): Promise<B[]> => {
  const out = new Array<B>(items.length);
  let next = 0;
  const work = async (w: number): Promise<void> => {
    while (next < items.length && signal?.aborted !== true) {
      const i = next++;
      out[i] = await f(items[i] as A, w);
    }
  };
  const n = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  await Promise.all(Array.from({ length: n }, (_, w) => work(w)));
  return out;
};

/** Arguments read once, and the limits they were checked against. */
export interface Taken<O> {
  readonly options: Partial<O>;
  readonly limits: ResolvedInputLimits;
}

/**
 * An options argument read once (a snapshot: see `snapshotOptions`) under its own `limits`
 * (read first, by one guarded get, and resolved: bad ones are `InvalidOptions` at
 * `<root>.limits`), and `also` (the call's other arguments, each `[value, path]`) checked
 * against them, so a caller can raise a bound as well as lower it. Never throws.
 */
export const takeOptions = <O extends object>(
  u: unknown,
  root: string,
  also: ReadonlyArray<readonly [unknown, string]> = [],
): Result<Taken<O>, DecodingError<"InvalidOptions">> => {
  const bad = (path: string, issues: readonly Issue[]) =>
    err(decodingError("InvalidOptions", path, "invalid options", issues));
  let given: unknown;
  try {
    given = isRecord(u) ? Reflect.get(u, "limits") : undefined;
  } catch {
    return bad(root, [{ path: root, message: UNREADABLE_INPUT }]);
  }
  // The limits are plain numbers: a copy of them reads nothing of the caller's again.
  const limitsCopy = snapshot(given, `${root}.limits`);
  if (limitsCopy.isErr()) return bad(limitsCopy.error.path, [limitsCopy.error]);
  const limits = resolveInputLimits(limitsCopy.value, `${root}.limits`);
  if (limits.isErr()) return bad(limits.error.path, limits.error.issues);
  const taken = snapshotOptions<O & { readonly limits?: unknown }>(u, root, limits.value);
  if (taken.isErr()) return err(taken.error);
  // The copy keeps a signal as it is: it must be a real one (a look-alike throws when read).
  const signal: unknown = Reflect.get(taken.value, "signal");
  if (signal !== undefined && !isRealAbortSignal(signal))
    return bad(`${root}.signal`, [
      { path: `${root}.signal`, message: "must be an AbortSignal when given" },
    ]);
  for (const [value, path] of also) {
    const bounded = snapshot(value, path, limits.value);
    if (bounded.isErr()) return bad(bounded.error.path, [bounded.error]);
  }
  return ok({ options: taken.value, limits: limits.value });
};
