/**
 * The serialized thread: a strict, versioned JSON format for storing a thread and resuming it
 * on another machine. Secrets are not part of it: the API key and `env` are left out and can
 * be supplied again when deserializing.
 */
import * as t from "io-ts";
import { err, ok, type Result } from "neverthrow";
import { isLeft } from "fp-ts/lib/Either.js";
import { closed, decodeAll, describe } from "./internal/decode.js";
import { guard } from "./internal/guard.js";
import { decodingError, type ThreadError } from "./errors.js";
import { ConfigObject } from "./config-value.js";
import { CodexOptions, Labels, ThreadOptions } from "./options.js";
import { ThreadId } from "./thread-id.js";
import { ThreadMetadata } from "./metadata.js";
import { ContinuationToken } from "./continuation.js";
import { Usage } from "./usage.js";
import { makeThread, type Thread } from "./thread.js";

/** The format tag and version written into every serialized thread. */
export const SERIALIZED_THREAD_FORMAT = "codex-fp/thread@1";

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

/** A JSON number: finite (JSON.stringify writes Infinity as null, which would not read back). */
const JsonNumber = new t.Type<number, number, unknown>(
  "number",
  (u): u is number => typeof u === "number" && Number.isFinite(u),
  (u, c) =>
    typeof u === "number" && Number.isFinite(u)
      ? t.success(u)
      : t.failure(u, c, `expected a finite number, got ${describe(u)}`),
  (a) => a,
);

/** Codec of usage as stored: exactly the counts Usage knows, each a finite number. */
const StoredUsage = closed(
  "Usage",
  {
    input_tokens: JsonNumber,
    cached_input_tokens: JsonNumber,
    cache_write_input_tokens: JsonNumber,
    output_tokens: JsonNumber,
    reasoning_output_tokens: JsonNumber,
  },
  {},
);

/** Usage reduced to the counts Usage knows (producers may add others). */
const usageCounts = (u: Usage): Usage =>
  Object.fromEntries(Object.keys(Usage.props).map((k) => [k, u[k as keyof Usage]])) as Usage;

/** Codec of a serialized thread (strict: unexpected keys fail fast, at every level). */
export const SerializedThread = closed(
  "SerializedThread",
  {
    format: t.literal(SERIALIZED_THREAD_FORMAT),
    threadId: t.union([ThreadId, t.null]),
    codexOptions: StoredCodexOptions,
    threadOptions: ThreadOptions,
    metadata: t.union([ThreadMetadata, t.null]),
    labels: Labels,
    continuationToken: t.union([ContinuationToken, t.null]),
    cumulativeUsage: t.union([StoredUsage, t.null]),
  },
  {},
);
/** A serialized thread, parsed. */
export type SerializedThread = t.TypeOf<typeof SerializedThread>;

/**
 * The thread as JSON, without secrets (no API key, no env). Returns `"null"` for a value that
 * is not a thread, which `deserializeThread` rejects.
 */
export const serializeThread = (thread: Thread): string => {
  try {
    const { apiKey: _apiKey, env: _env, ...stored } = thread.codexOptions;
    const out: SerializedThread = {
      format: SERIALIZED_THREAD_FORMAT,
      threadId: thread.threadId,
      codexOptions: stored as SerializedThread["codexOptions"],
      threadOptions: thread.threadOptions as ThreadOptions,
      metadata: thread.metadata as ThreadMetadata | null,
      labels: thread.labels,
      continuationToken: thread.continuationToken,
      cumulativeUsage: thread.cumulativeUsage === null ? null : usageCounts(thread.cumulativeUsage),
    };
    return JSON.stringify(out);
  } catch {
    return "null";
  }
};

/** Secrets to put back into a deserialized thread (they are never serialized). */
export interface ThreadSecrets {
  readonly apiKey?: unknown;
  readonly env?: unknown;
}

const invalid = (message: string) =>
  decodingError("InvalidSerializedThread", "thread", "invalid serialized thread", [
    { path: "thread", message },
  ]);

/** Reads a thread back from `serializeThread` output, re-validating every field. */
export const deserializeThread = (
  json: string,
  secrets?: ThreadSecrets,
): Result<Thread, ThreadError> =>
  guard(
    () => {
      if (typeof json !== "string") return err(invalid("expected a JSON string"));
      let u: unknown;
      try {
        u = JSON.parse(json) as unknown;
      } catch {
        return err(invalid("is not valid JSON"));
      }
      const s = decodeAll(SerializedThread, u, "thread");
      if (isLeft(s))
        return err(
          decodingError(
            "InvalidSerializedThread",
            s.left[0]?.path ?? "thread",
            "invalid serialized thread",
            s.left,
          ),
        );
      const { format: _format, ...parts } = s.right;
      const withSecrets = {
        ...parts.codexOptions,
        ...(secrets?.apiKey !== undefined ? { apiKey: secrets.apiKey } : {}),
        ...(secrets?.env !== undefined ? { env: secrets.env } : {}),
      };
      const c = decodeAll(CodexOptions, withSecrets, "codexOptions");
      if (isLeft(c)) {
        const tag = c.left.some((i) => i.path.startsWith("codexOptions.apiKey"))
          ? "InvalidApiKey"
          : "InvalidOptions";
        return err(
          decodingError(tag, c.left[0]?.path ?? "codexOptions", "invalid secrets", c.left),
        );
      }
      return ok(makeThread({ ...parts, codexOptions: c.right }));
    },
    () => invalid("could not be read"),
  );
