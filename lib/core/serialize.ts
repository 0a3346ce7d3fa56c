/**
 * The serialized thread: a strict, versioned JSON format for storing a thread and resuming it
 * on another machine. Secrets are not part of it: the API key, `env` and every Redacted value
 * of `config` are left out, their paths listed under `secrets`, and must be supplied again
 * when deserializing.
 */
import * as t from "io-ts";
import { err, type Result } from "neverthrow";
import { closed, isRecord } from "./decoding/decode.js";
import { type InputLimits, resolveInputLimits } from "./limits.js";
import { TokenCount } from "./token-count.js";
import { Redacted } from "./redacted.js";
import { guard } from "./internal/guard.js";
import {
  decodingError,
  invalidAt,
  missingSecrets,
  parseWith,
  type ThreadError,
} from "./errors/index.js";
import { ConfigObject } from "./config-value.js";
import { CodexOptions, Labels, ThreadOptions } from "./options.js";
import { ThreadId } from "./thread-id.js";
import { ThreadMetadata } from "./metadata.js";
import { ContinuationToken } from "./continuation.js";
import { Usage } from "./usage.js";
import { makeThread, takeThread, type DeepReadonly, type Thread } from "./thread.js";
import { parseJson } from "./decoding/unknown.js";

/** The format tag and version written into every serialized thread. */
export const SERIALIZED_THREAD_FORMAT = "codex-fp/thread@2";
/** The previous format (no `secrets` list), still read. */
const FORMAT_V1 = "codex-fp/thread@1";

/** Codec of the client options as stored: everything but the secrets. */
const StoredCodexOptions = closed(
  "StoredCodexOptions",
  {},
  {
    codexPathOverride: t.string,
    baseUrl: t.string,
    config: ConfigObject,
    configOverrides: t.array(t.string),
  },
);

/** Codec of usage as stored: exactly the counts Usage knows, each a count of tokens. */
const StoredUsage = closed(
  "Usage",
  {
    input_tokens: TokenCount,
    cached_input_tokens: TokenCount,
    cache_write_input_tokens: TokenCount,
    output_tokens: TokenCount,
    reasoning_output_tokens: TokenCount,
  },
  {},
);

/** Usage reduced to the counts Usage knows (producers may add others). */
const usageCounts = (u: Usage): Usage => ({
  input_tokens: u.input_tokens,
  cached_input_tokens: u.cached_input_tokens,
  cache_write_input_tokens: u.cache_write_input_tokens,
  output_tokens: u.output_tokens,
  reasoning_output_tokens: u.reasoning_output_tokens,
});

/** Codec of a serialized thread (strict: unexpected keys fail fast, at every level). */
export const SerializedThread = closed(
  "SerializedThread",
  {
    format: t.union([t.literal(SERIALIZED_THREAD_FORMAT), t.literal(FORMAT_V1)]),
    threadId: t.union([ThreadId, t.null]),
    codexOptions: StoredCodexOptions,
    threadOptions: ThreadOptions,
    metadata: t.union([ThreadMetadata, t.null]),
    labels: Labels,
    continuationToken: t.union([ContinuationToken, t.null]),
    cumulativeUsage: t.union([StoredUsage, t.null]),
  },
  { secrets: t.array(t.string) },
);
/** A serialized thread, parsed. */
export type SerializedThread = t.TypeOf<typeof SerializedThread>;

/** A copy of `u` without its Redacted values; the dotted path of each one left out. */
const withoutSecrets = (u: unknown, path: string, left: string[]): unknown => {
  if (Redacted.is(u)) {
    left.push(path);
    return undefined;
  }
  if (Array.isArray(u)) return u.map((v: unknown, i) => withoutSecrets(v, `${path}.${i}`, left));
  if (isRecord(u)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(u)) {
      const kept = withoutSecrets(v, `${path}.${k}`, left);
      if (kept !== undefined)
        Object.defineProperty(out, k, {
          value: kept,
          enumerable: true,
          writable: true,
          configurable: true,
        });
    }
    return out;
  }
  return u;
};

/**
 * The thread as JSON, without secrets: no API key, no env, no Redacted config value; the
 * paths left out are listed under `secrets`. The argument is decoded with the `Thread` codec
 * first, so a Thread this library made is always `Ok`; an `InvalidOptions` error ("not a
 * Thread", every issue listed) is only for a value that is not one (a JavaScript caller).
 */
export const serializeThread = (thread: Thread): Result<string, ThreadError> =>
  guard(
    () => takeThread(thread).map(toJson),
    () => invalidThread("could not be read"),
  );

const invalidThread = (message: string): ThreadError =>
  decodingError("NotAThread", "thread", "not a Thread", [{ path: "thread", message }]);

/** The JSON of a decoded thread (plain and finite: JSON.stringify cannot fail on it). */
const toJson = (thread: Thread): string => JSON.stringify(storedThread(thread));

/**
 * A decoded thread in its stored form, the value `serializeThread` writes as JSON (secrets left
 * out, their paths listed). Only for a Thread already decoded; the fleet sends it as job data.
 */
export const storedThread = (thread: Thread): DeepReadonly<SerializedThread> => {
  const { apiKey, env, config, ...rest } = thread.codexOptions;
  const left: string[] = [];
  if (apiKey !== undefined) left.push("codexOptions.apiKey");
  if (env !== undefined) left.push("codexOptions.env");
  const stored =
    config === undefined
      ? rest
      : { ...rest, config: withoutSecrets(config, "codexOptions.config", left) };
  const out: DeepReadonly<SerializedThread> = {
    format: SERIALIZED_THREAD_FORMAT,
    secrets: left.sort(),
    threadId: thread.threadId,
    // (the config with its secrets left out: `withoutSecrets` keeps the shape, not the type)
    codexOptions: stored as DeepReadonly<SerializedThread["codexOptions"]>,
    threadOptions: thread.threadOptions,
    metadata: thread.metadata,
    labels: thread.labels,
    continuationToken: thread.continuationToken,
    cumulativeUsage: thread.cumulativeUsage === null ? null : usageCounts(thread.cumulativeUsage),
  };
  return out;
};

/**
 * Secrets to put back into a deserialized thread (they are never serialized): the API key,
 * env, and `config`, a nested object holding the values of the config paths the serialized
 * thread lists under `secrets` (plain or Redacted; they come back Redacted). Every listed
 * secret must be supplied; `apiKey: null` or `env: null` says to go on without it (the CLI
 * then uses what it inherits).
 */
export interface ThreadSecrets {
  readonly apiKey?: unknown;
  readonly env?: unknown;
  readonly config?: unknown;
}

const OPTION_SECRETS = { "codexOptions.apiKey": "apiKey", "codexOptions.env": "env" } as const;

const valueAt = (root: unknown, keys: readonly string[]): unknown =>
  keys.reduce<unknown>((n, k) => (isRecord(n) && !Redacted.is(n) ? n[k] : undefined), root);

/** `config` with `value` placed at `keys` (copying the tables on the way). */
const placeAt = (root: unknown, keys: readonly string[], value: unknown): unknown => {
  const [k, ...rest] = keys;
  if (k === undefined) return value;
  const table: Record<string, unknown> = isRecord(root) ? { ...root } : {};
  Object.defineProperty(table, k, {
    value: placeAt(table[k], rest, value),
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return table;
};

/** The config with the supplied secrets put back; the paths with no value supplied. */
const restoreSecrets = (
  wanted: readonly string[],
  config: unknown,
  secrets: ThreadSecrets | undefined,
): { config: unknown; missing: string[] } => {
  const missing: string[] = [];
  let out = config;
  for (const path of wanted) {
    if (path === "codexOptions.apiKey" || path === "codexOptions.env") {
      if (secrets?.[OPTION_SECRETS[path]] === undefined) missing.push(path);
      continue;
    }
    const keys = path.split(".").slice(2);
    const value = path.startsWith("codexOptions.config.")
      ? valueAt(secrets?.config, keys)
      : undefined;
    if (value === undefined) missing.push(path);
    else out = placeAt(out, keys, Redacted.is(value) ? value : Redacted.of(value));
  }
  return { config: out, missing };
};

const invalid = (message: string) =>
  invalidAt("InvalidSerializedThread", "thread", "invalid serialized thread", message);

/**
 * Reads a thread back from `serializeThread` output, re-validating every field. `limits`
 * bounds the text's length and the parsed value's sizes (see `InputLimits`).
 */
export const deserializeThread = (
  json: string,
  secrets?: ThreadSecrets,
  limits?: InputLimits,
): Result<Thread, ThreadError> =>
  guard<Thread, ThreadError>(
    () => {
      const lim = resolveInputLimits(limits, "limits");
      if (lim.isErr()) return err(lim.error);
      if (typeof json !== "string") return err(invalid("expected a JSON string"));
      if (json.length > lim.value.maxStringLength)
        return err(
          invalid(`longer than ${lim.value.maxStringLength} characters (limits.maxStringLength)`),
        );
      let u: unknown;
      try {
        u = parseJson(json);
      } catch {
        return err(invalid("is not valid JSON"));
      }
      const s = parseWith(
        SerializedThread,
        u,
        "thread",
        "InvalidSerializedThread",
        "invalid serialized thread",
        lim.value,
      );
      if (s.isErr()) return err(s.error);
      const { format: _format, secrets: wanted, ...parts } = s.value;
      const restored = restoreSecrets(wanted ?? [], parts.codexOptions.config, secrets);
      if (restored.missing.length > 0) return err(missingSecrets(restored.missing));
      const withSecrets = {
        ...parts.codexOptions,
        ...(restored.config !== undefined ? { config: restored.config } : {}),
        ...(secrets?.apiKey != null ? { apiKey: secrets.apiKey } : {}),
        ...(secrets?.env != null ? { env: secrets.env } : {}),
      };
      return parseWith(
        CodexOptions,
        withSecrets,
        "codexOptions",
        "InvalidOptions",
        "invalid secrets",
        lim.value,
      ).map((codexOptions) => makeThread({ ...parts, codexOptions }));
    },
    () => invalid("could not be read"),
  );
