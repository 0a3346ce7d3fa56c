/**
 * The pure argv/env builder: the `codex exec` command line and environment for a turn. The
 * same flags, in the same order, as `@openai/codex-sdk` for the same options; `config` is
 * flattened into TOML `--config` overrides; the thread id goes after `resume` only as a
 * validated ThreadId; the API key and every secret of `config` travel in the environment,
 * never in argv (lib/core/secrets.ts says how each secret reaches the CLI).
 */
import type { Result } from "neverthrow";
import type { ConfigObject, ConfigValue } from "./config-value.js";
import { ConfigObject as ConfigObjectCodec, TOML_BARE_KEY } from "./config-value.js";
import { parseWith, type DecodingError } from "./errors/index.js";
import { isRecord } from "./decoding/decode.js";
import { routeSecrets } from "./secrets.js";
import type { CodexOptions, ThreadOptions, TurnOptions } from "./options.js";
import type { NormalizedInput } from "./input.js";
import type { DeepReadonly } from "./thread.js";

/** The environment variable the SDK sets to name the calling client. */
export const ORIGINATOR_ENV = "CODEX_INTERNAL_ORIGINATOR_OVERRIDE";
/** The originator we report: the official SDK's, so the CLI treats us the same. */
export const ORIGINATOR = "codex_sdk_ts";

const SHORT_ESCAPES: Record<string, string> = {
  "\b": "\\b",
  "\t": "\\t",
  "\n": "\\n",
  "\f": "\\f",
  "\r": "\\r",
  '"': '\\"',
  "\\": "\\\\",
};

/**
 * A TOML basic string: `"` and `\` escaped, every control character (U+0000–U+001F and
 * U+007F, which TOML forbids raw) as an escape. The string must hold no lone surrogate.
 */
const tomlString = (s: string): string =>
  `"${s.replace(
    /["\\\u0000-\u001f\u007f]/g,
    (ch) => SHORT_ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`,
  )}"`;

/** A valid config value as a TOML literal (secrets must have been routed out before). */
const tomlValue = (v: unknown): string => {
  if (typeof v === "string") return tomlString(v);
  if (typeof v === "number") return `${v}`;
  if (typeof v === "boolean") return v ? "true" : "false";
  if (Array.isArray(v)) return `[${v.map(tomlValue).join(", ")}]`;
  const parts = Object.entries(isRecord(v) ? v : {})
    .filter(([, c]) => c !== undefined)
    .map(([k, c]) => `${TOML_BARE_KEY.test(k) ? k : tomlString(k)} = ${tomlValue(c)}`);
  return `{${parts.join(", ")}}`;
};

/** A valid (routed) config as `key.path=value` overrides, depth first, in key order. */
const flattenValid = (config: unknown): string[] => {
  const out: string[] = [];
  const walk = (value: unknown, prefix: string): void => {
    if (!isRecord(value)) {
      out.push(`${prefix}=${tomlValue(value)}`);
      return;
    }
    const entries = Object.entries(value);
    if (prefix !== "" && entries.length === 0) {
      out.push(`${prefix}={}`);
      return;
    }
    for (const [k, child] of entries) {
      if (child === undefined) continue;
      walk(child, prefix === "" ? k : `${prefix}.${k}`);
    }
  };
  walk(config, "");
  return out;
};

/**
 * Why a config could not be written as TOML: each issue at its path under `config`. (The tag is
 * `InvalidOptions`: `InvalidApiKey` is in the type because `parseWith` may give it to client
 * options, but a config's paths are never the API key's.)
 */
export type ConfigTomlError = DecodingError<"InvalidOptions" | "InvalidApiKey">;

const invalidConfig = (u: unknown, path: string): Result<ConfigObject, ConfigTomlError> =>
  parseWith(ConfigObjectCodec, u, path, "InvalidOptions", "invalid config");

/**
 * A config value as a TOML literal (strings as basic strings with every control character
 * escaped, arrays and inline tables). A value TOML cannot hold (a lone surrogate, a
 * non-finite number …) or a secret (it never goes on a command line) is an `InvalidOptions`
 * error at its path.
 */
export const toTomlValue = (v: ConfigValue): Result<string, ConfigTomlError> =>
  // In an array, keys are inline-table keys (any string), not a --config path.
  invalidConfig({ value: [v] }, "toml").map((c) => {
    const value = c["value"];
    return tomlValue(Array.isArray(value) ? value[0] : undefined);
  });

/**
 * The config object as `key.path=value` overrides, depth first, in key order. Secrets are
 * replaced by the names of the environment variables that carry them (see `buildEnv`). An
 * invalid config is an `InvalidOptions` error listing each problem at its path.
 */
export const flattenConfig = (config: ConfigObject): Result<string[], ConfigTomlError> =>
  invalidConfig(config, "config").map((c) => flattenValid(routeSecrets(c).config));

/** What one turn's command needs besides the thread. */
export interface CommandRequest {
  readonly codexOptions: DeepReadonly<CodexOptions>;
  readonly threadOptions: DeepReadonly<ThreadOptions>;
  readonly threadId: string | null;
  readonly input: NormalizedInput;
  readonly turnOptions: Pick<TurnOptions, "cyberAccessProgram">;
  /** The output schema file written by the shell, if the turn has a schema. */
  readonly outputSchemaFile: string | null;
  /** The environment to inherit when `codexOptions.env` is not given. */
  readonly processEnv: Readonly<Record<string, string | undefined>>;
  /** Directories to put first on PATH (the CLI package's helper binaries). */
  readonly pathDirs: readonly string[];
  /** The subcommand: a turn (`exec`) or nothing but the global flags (`app-server`). */
  readonly mode?: "exec" | "app-server";
}

/** A command line and its environment. */
export interface Command {
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

/** The global `--config` overrides: structured config, raw overrides, then the base URL. */
export const configArgs = (o: DeepReadonly<CodexOptions>): string[] => {
  const args: string[] = [];
  for (const c of o.config ? flattenValid(routeSecrets(o.config).config) : [])
    args.push("--config", c);
  for (const c of o.configOverrides ?? []) args.push("--config", c);
  if (o.baseUrl) args.push("--config", `openai_base_url=${tomlString(o.baseUrl)}`);
  return args;
};

/** The process environment for the CLI: `env` alone when given, else the inherited one. */
export const buildEnv = (
  o: DeepReadonly<CodexOptions>,
  processEnv: Readonly<Record<string, string | undefined>>,
  pathDirs: readonly string[],
): Record<string, string> => {
  const env: Record<string, string> = {};
  if (o.env !== undefined) Object.assign(env, o.env.reveal());
  else for (const [k, v] of Object.entries(processEnv)) if (v !== undefined) env[k] = v;
  if (!env[ORIGINATOR_ENV]) env[ORIGINATOR_ENV] = ORIGINATOR;
  if (o.apiKey !== undefined) env["CODEX_API_KEY"] = o.apiKey.reveal();
  if (o.config !== undefined) Object.assign(env, routeSecrets(o.config).env);
  if (pathDirs.length > 0) {
    const rest = (env["PATH"] ?? "")
      .split(":")
      .filter((e) => e.length > 0 && !pathDirs.includes(e));
    env["PATH"] = [...pathDirs, ...rest].join(":");
  }
  return env;
};

/** The `codex exec` command for one turn. Pure. */
export const buildExecCommand = (r: CommandRequest): Command => {
  const o = r.threadOptions;
  const args: string[] = ["exec", "--experimental-json", ...configArgs(r.codexOptions)];
  if (o.model) args.push("--model", o.model);
  if (o.threadSource !== undefined && !r.threadId) args.push("--thread-source", o.threadSource);
  if (o.sandboxMode) args.push("--sandbox", o.sandboxMode);
  if (o.workingDirectory) args.push("--cd", o.workingDirectory);
  for (const dir of o.additionalDirectories ?? []) args.push("--add-dir", dir);
  if (o.skipGitRepoCheck) args.push("--skip-git-repo-check");
  if (r.outputSchemaFile) args.push("--output-schema", r.outputSchemaFile);
  if (r.turnOptions.cyberAccessProgram !== undefined)
    args.push("--cyber-access-program", r.turnOptions.cyberAccessProgram);
  if (o.modelReasoningEffort)
    args.push("--config", `model_reasoning_effort="${o.modelReasoningEffort}"`);
  if (o.networkAccessEnabled !== undefined)
    args.push("--config", `sandbox_workspace_write.network_access=${o.networkAccessEnabled}`);
  if (o.webSearchMode) args.push("--config", `web_search="${o.webSearchMode}"`);
  else if (o.webSearchEnabled === true) args.push("--config", `web_search="live"`);
  else if (o.webSearchEnabled === false) args.push("--config", `web_search="disabled"`);
  if (o.approvalPolicy) args.push("--config", `approval_policy="${o.approvalPolicy}"`);
  if (o.ephemeral) args.push("--ephemeral");
  if (r.threadId) args.push("resume", r.threadId);
  for (const image of r.input.images) args.push("--image", image);
  return { args, env: buildEnv(r.codexOptions, r.processEnv, r.pathDirs) };
};
