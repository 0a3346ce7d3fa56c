/**
 * The options codecs: CodexOptions (per client), ThreadOptions (per thread, overridable per
 * turn) and TurnOptions (per turn). Every option of `@openai/codex-sdk`, same names. Unknown
 * keys are errors and every problem of one input is reported at once.
 */
import * as t from "io-ts";
import {
  argvProblem,
  checkedString,
  closed,
  describe,
  isPlainObject,
  isRecord,
} from "./decoding/decode.js";
import { isRealAbortSignal } from "./decoding/signal.js";
import { parseJson } from "./decoding/unknown.js";
import { ConfigObject } from "./config-value.js";
import { Redacted } from "./redacted.js";
import { hasUrlCredentials, isSecretPath } from "./secrets.js";

/**
 * What a caller may pass for a value the codecs decode to `A`: `A` itself, a secret also as its
 * plain value, an array also readonly. Derived from the decoded type, never written twice.
 */
export type InputOf<A> =
  A extends Redacted<infer X>
    ? X | Redacted<X>
    : A extends readonly (infer E)[]
      ? readonly InputOf<E>[]
      : A;

/** The accepted shape of an options object whose codec is `closed(name, {}, props)`. */
export type OptionsInput<P extends t.Props> = {
  readonly [K in keyof P]?: InputOf<t.TypeOf<P[K]>> | undefined;
};

const ArgString = checkedString<string>("string", argvProblem);

/** A value placed after a CLI flag: not empty, no NUL, and not read as a flag itself. */
const FlagValue = checkedString<string>(
  "string",
  (s) =>
    argvProblem(s) ??
    (s.startsWith("-") ? 'must not start with "-" (the CLI would read a flag)' : null),
);

/** A directory given to the CLI (use `./-name` for a name that starts with "-"). */
const DirectoryPath = checkedString<string>(
  "path",
  (s) => argvProblem(s) ?? (s.startsWith("-") ? 'must not start with "-" (write "./-name")' : null),
);

const HttpUrl = checkedString<string>("URL", (s) => {
  try {
    const u = new URL(s);
    if (u.protocol !== "http:" && u.protocol !== "https:") return "must be an http(s) URL";
    return u.username !== "" || u.password !== "" || hasUrlCredentials(s)
      ? "must not hold a user name or password (user:key@host): pass the key as apiKey"
      : null;
  } catch {
    return "must be an absolute http(s) URL";
  }
});

const secret = <A>(name: string, inner: t.Type<A, unknown, unknown>) =>
  new t.Type<Redacted<A>, Redacted<A>, unknown>(
    name,
    (u): u is Redacted<A> => Redacted.is(u) && inner.is(u.reveal()),
    (u, c) => {
      const raw = Redacted.is(u) ? u.reveal() : u;
      const r = inner.validate(raw, c);
      return r._tag === "Left" ? r : t.success(Redacted.of(r.right));
    },
    (a) => a,
  );

/** The problem with an API key, or null. Its value is never echoed. */
export const apiKeyProblem = (s: string): string | null => {
  if (s.length === 0) return "must not be empty";
  if (/[\s\u0000-\u001f\u007f]/.test(s)) return "must not contain whitespace or control characters";
  return null;
};

/** Codec of an API key: decoded into a Redacted box so it never prints. */
export const ApiKey = secret("ApiKey", checkedString<string>("ApiKey", apiKeyProblem));

/** Codec of the `env` option: variables for the CLI process, kept Redacted (they hold keys). */
export const Env = secret(
  "Env",
  new t.Type<Record<string, string>, unknown, unknown>(
    "Env",
    (u): u is Record<string, string> =>
      isRecord(u) && Object.values(u).every((v) => typeof v === "string"),
    (u, c) => {
      if (!isRecord(u)) return t.failure(u, c, `expected an object of strings, got ${describe(u)}`);
      const errors: t.Errors = [];
      for (const k in u) {
        if (!Object.prototype.hasOwnProperty.call(u, k)) continue;
        const v = u[k];
        const problem =
          k.length === 0
            ? "must not be empty"
            : /[=\u0000]/.test(k)
              ? 'must not contain "=" or NUL'
              : typeof v !== "string"
                ? `expected a string, got ${describe(v)}`
                : v.includes("\u0000")
                  ? "must not contain a NUL character"
                  : null;
        if (problem !== null)
          errors.push({
            value: v,
            context: [...c, { key: k, type: t.string, actual: v }],
            message: problem,
          });
      }
      return errors.length === 0
        ? t.success({ ...(u as Record<string, string>) })
        : t.failures(errors);
    },
    (a) => a,
  ),
);

/** The problem of a raw override, which goes on the command line as it is: no secrets. */
const overrideProblem = (s: string): string | null => {
  const eq = s.indexOf("=");
  if (eq <= 0) return 'must have the form "key=value"';
  const keys = s.slice(0, eq).trim().split(".");
  if (
    isSecretPath(keys) ||
    hasUrlCredentials(
      s
        .slice(eq + 1)
        .trim()
        .replace(/^["']/, ""),
    )
  )
    return (
      "looks like a secret: raw overrides go on the command line (visible in ps), so " +
      "put secrets in `config`, which passes them through the environment"
    );
  return null;
};

const ConfigOverride = checkedString<string>(
  "key=value",
  (s) => argvProblem(s) ?? overrideProblem(s),
);

/** Codec of the options that hold for every thread of a client (the SDK's `new Codex(...)`). */
const codexOptionProps = {
  codexPathOverride: ArgString,
  baseUrl: HttpUrl,
  apiKey: ApiKey,
  config: ConfigObject,
  configOverrides: t.array(ConfigOverride),
  env: Env,
};

/** Codec of the options that hold for every thread of a client (the SDK's `new Codex(...)`). Unknown keys are errors. */
export const CodexOptions = closed("CodexOptions", {}, codexOptionProps);
/** Client options, decoded (the API key and env are Redacted). */
export type CodexOptions = t.TypeOf<typeof CodexOptions>;
/** Client options as a caller writes them (a secret as a plain value or a Redacted box). */
export type CodexOptionsInput = OptionsInput<typeof codexOptionProps>;

/** Codec of the sandbox policy for model-generated commands. */
export const SandboxMode = t.keyof({
  "read-only": null,
  "workspace-write": null,
  "danger-full-access": null,
});
/** The sandbox policy for model-generated commands. */
export type SandboxMode = t.TypeOf<typeof SandboxMode>;

/** Codec of the reasoning effort levels. */
export const ModelReasoningEffort = t.keyof({
  minimal: null,
  low: null,
  medium: null,
  high: null,
  xhigh: null,
  max: null,
  ultra: null,
  persistent: null,
});
/** A reasoning effort level. */
export type ModelReasoningEffort = t.TypeOf<typeof ModelReasoningEffort>;

/** Codec of the web search modes. */
export const WebSearchMode = t.keyof({ disabled: null, cached: null, live: null });
/** A web search mode. */
export type WebSearchMode = t.TypeOf<typeof WebSearchMode>;

/** Codec of the approval policies. */
export const ApprovalPolicy = t.keyof({
  never: null,
  "on-request": null,
  "on-failure": null,
  untrusted: null,
});
/** An approval policy. */
export type ApprovalPolicy = t.TypeOf<typeof ApprovalPolicy>;

const StringRecord = t.record(t.string, t.string, "Labels");
/**
 * Codec of thread labels: string keys to string values, ours (never sent to the CLI). A class
 * instance (a Date, a Redacted box …) is not a record of labels: it would be kept as it is,
 * unfrozen, and serialize as something else.
 */
export const Labels: t.RecordC<t.StringC, t.StringC> = new t.DictionaryType(
  "Labels",
  (u): u is Record<string, string> => StringRecord.is(u) && isPlainObject(u),
  (u, c) =>
    isRecord(u) && !isPlainObject(u)
      ? t.failure(u, c, "expected Labels (a plain object), got a class instance")
      : StringRecord.validate(u, c),
  StringRecord.encode,
  t.string,
  t.string,
);
/** Thread labels. */
export type Labels = t.TypeOf<typeof Labels>;

/** Codec of the per-thread options (the SDK's `startThread(options)`), plus labels. */
const threadOptionProps = {
  model: FlagValue,
  threadSource: FlagValue,
  sandboxMode: SandboxMode,
  workingDirectory: DirectoryPath,
  skipGitRepoCheck: t.boolean,
  modelReasoningEffort: ModelReasoningEffort,
  networkAccessEnabled: t.boolean,
  webSearchMode: WebSearchMode,
  webSearchEnabled: t.boolean,
  approvalPolicy: ApprovalPolicy,
  additionalDirectories: t.array(DirectoryPath),
  ephemeral: t.boolean,
  labels: Labels,
};

/** Codec of the per-thread options (the SDK's `startThread(options)`), plus labels. Unknown keys are errors. */
export const ThreadOptions = closed("ThreadOptions", {}, threadOptionProps);
/** Per-thread options, decoded. */
export type ThreadOptions = t.TypeOf<typeof ThreadOptions>;
/** Per-thread options as a caller writes them. */
export type ThreadOptionsInput = OptionsInput<typeof threadOptionProps>;

/** Codec of a JSON object (the output schema). */
export const JsonObject = new t.Type<Record<string, unknown>, Record<string, unknown>, unknown>(
  "JsonObject",
  isRecord,
  (u, c) => {
    if (!isRecord(u)) return t.failure(u, c, `expected a JSON object, got ${describe(u)}`);
    try {
      // The JSON itself is what is kept: written once (a `toJSON` or a getter runs once) and
      // read back as plain data, so the schema sent later is the one validated here.
      const text = JSON.stringify(u);
      if (text === undefined) return t.failure(u, c, "must be JSON-serializable");
      const json: unknown = parseJson(text);
      return isRecord(json)
        ? t.success(json)
        : t.failure(u, c, `expected a JSON object, got ${describe(json)} once written as JSON`);
    } catch {
      return t.failure(u, c, "must be JSON-serializable (no cycles, no BigInt)");
    }
  },
  (a) => a,
);

const TimeoutMs = new t.Type<number, number, unknown>(
  "TimeoutMs",
  (u): u is number => typeof u === "number" && Number.isInteger(u) && u > 0 && u <= 2_147_483_647,
  (u, c) =>
    typeof u === "number" && Number.isInteger(u) && u > 0 && u <= 2_147_483_647
      ? t.success(u)
      : t.failure(
          u,
          c,
          `expected a whole number of milliseconds from 1 to 2147483647, got ${describe(u)}`,
        ),
  (a) => a,
);

/** Codec of a real AbortSignal (not a look-alike: see `isRealAbortSignal`), kept as it is. */
const AbortSignalCodec = new t.Type<AbortSignal, AbortSignal, unknown>(
  "AbortSignal",
  isRealAbortSignal,
  (u, c) =>
    isRealAbortSignal(u)
      ? t.success(u)
      : t.failure(u, c, `expected an AbortSignal, got ${describe(u)}`),
  (a) => a,
);

/** Codec of the experimental Cyber access programs (OpenAI provider only). */
export const CyberAccessProgram = t.keyof({
  standard: null,
  daybreak_blue: null,
  daybreak_red: null,
});

/** Codec of the per-turn options. */
const turnOptionProps = {
  outputSchema: JsonObject,
  timeoutMs: TimeoutMs,
  signal: AbortSignalCodec,
  cyberAccessProgram: CyberAccessProgram,
};

/** Codec of the per-turn options. Unknown keys are errors. */
export const TurnOptions = closed("TurnOptions", {}, turnOptionProps);
/** Per-turn options, decoded. */
export type TurnOptions = t.TypeOf<typeof TurnOptions>;
/** Per-turn options as a caller writes them. */
export type TurnOptionsInput = OptionsInput<typeof turnOptionProps>;
