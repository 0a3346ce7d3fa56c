/**
 * Which values of the `config` option are secrets, and how each one reaches the CLI without
 * being written on its command line (`ps` and /proc/<pid>/cmdline show argv to every user of
 * the machine). Pure: the rules below are the whole policy, documented in docs/secrets.md.
 */
import { Redacted } from "./redacted.js";

/** A key path inside `config`, outermost key first. */
export type ConfigPath = readonly string[];

/** Words that, in a key's name, say its string value is a secret. */
const SECRET_WORDS = new Set([
  "token",
  "secret",
  "password",
  "passwd",
  "passphrase",
  "key",
  "apikey",
  "authorization",
  "credential",
  "credentials",
  "cookie",
]);

/** Words that say a key names or locates a secret rather than holding one (`env_key`). */
const REFERENCE_WORDS = new Set([
  "env",
  "var",
  "vars",
  "file",
  "path",
  "store",
  "url",
  "method",
  "limit",
  "budget",
  "id",
  "name",
  "instructions",
  "helper",
  "scopes",
  "issuer",
  "programs",
]);

/** Tables whose every value is a secret: HTTP headers and the environment of MCP servers. */
const SECRET_TABLES = new Set(["http_headers", "env"]);

/** The words of a key: split on `_`, `-`, `.` and lower-to-upper case changes, lowercased. */
const wordsOf = (name: string): string[] =>
  name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .split(/[_\-.\s]+/)
    .filter((w) => w.length > 0);

/** True when a key's name says it holds a secret (`api_key`, `GITHUB_TOKEN`, `Authorization`). */
export const isSecretName = (name: string): boolean => {
  const words = wordsOf(name);
  return words.some((w) => SECRET_WORDS.has(w)) && !words.some((w) => REFERENCE_WORDS.has(w));
};

/** True when an environment variable's name says it holds a secret (`LLM_API_KEY`, `PGPASSWORD`). */
export const isSecretEnvName = (name: string): boolean =>
  isSecretName(name) || /KEY|TOKEN|SECRET|PASSW|CREDENTIAL|AUTH/i.test(name);

/**
 * True when the string at `path` in `config` is a secret: a key whose name says so, or any
 * value of an `http_headers` or `env` table.
 */
export const isSecretPath = (path: ConfigPath): boolean => {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  return (
    (last !== undefined && isSecretName(last)) ||
    (parent !== undefined && SECRET_TABLES.has(parent))
  );
};

/** The environment variable prefix of secrets moved out of argv (numbered in path order). */
export const SECRET_ENV_PREFIX = "CODEX_FP_SECRET_";

/** How a secret at a path reaches the CLI: the config key to set to an env var's name. */
type Route =
  | { readonly kind: "env_name"; readonly at: ConfigPath } // at = <var name>
  | { readonly kind: "env_vars"; readonly list: ConfigPath; readonly name: string };

/** Names of env vars the CLI itself reads: an MCP server's `env` may not pass them. */
const RESERVED_ENV = /^(CODEX_|OPENAI_|PATH$|HOME$)/;

const routeOf = (path: ConfigPath): Route | null => {
  const [top, owner, key, name, ...rest] = path;
  if (owner === undefined || key === undefined) return null;
  const at = (...k: string[]): ConfigPath => [top!, owner, ...k];
  if (top === "model_providers") {
    if (key === "experimental_bearer_token" && name === undefined)
      return { kind: "env_name", at: at("env_key") };
    if (key === "http_headers" && name !== undefined && rest.length === 0)
      return { kind: "env_name", at: at("env_http_headers", name) };
  }
  if (top === "mcp_servers") {
    if (key === "bearer_token" && name === undefined)
      return { kind: "env_name", at: at("bearer_token_env_var") };
    if (key === "http_headers" && name !== undefined && rest.length === 0)
      return { kind: "env_name", at: at("env_http_headers", name) };
    if (key === "env" && name !== undefined && rest.length === 0 && !RESERVED_ENV.test(name))
      return { kind: "env_vars", list: at("env_vars"), name };
  }
  return null;
};

/**
 * Why the secret at `path` cannot reach the CLI but on its command line, or null when it can.
 * The CLI reads these secrets from its environment: a provider's `experimental_bearer_token`
 * (as `env_key`), `http_headers` of providers and MCP servers (as `env_http_headers`), an MCP
 * server's `bearer_token` (as `bearer_token_env_var`) and `env` (as `env_vars`).
 */
export const secretRouteProblem = (path: ConfigPath): string | null =>
  routeOf(path) !== null
    ? null
    : path[0] === "mcp_servers" && path[2] === "env"
      ? "an MCP server's env may not set CODEX_*, OPENAI_*, PATH or HOME (the CLI reads them)"
      : "a secret here could reach the CLI only on its command line (visible in ps): pass it " +
        "through an environment-based key (env_key, env_http_headers, bearer_token_env_var, " +
        "env_vars) or do not mark it secret";

/** A plain (revealed) config value. */
type Plain = string | number | boolean | readonly Plain[] | { readonly [k: string]: Plain };

/** A config with its secrets moved out: the overrides to pass, and the env that holds them. */
export interface RoutedConfig {
  readonly config: { readonly [key: string]: Plain };
  readonly env: Readonly<Record<string, string>>;
}

const isTable = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u) && !Redacted.is(u);

const setAt = (root: Record<string, unknown>, path: ConfigPath, value: unknown): void => {
  let node = root;
  for (const k of path.slice(0, -1)) {
    const next = node[k];
    if (isTable(next)) node = next;
    else {
      const table: Record<string, unknown> = {};
      node[k] = table;
      node = table;
    }
  }
  node[path[path.length - 1]!] = value;
};

const getAt = (root: unknown, path: ConfigPath): unknown =>
  path.reduce<unknown>((n, k) => (isTable(n) ? n[k] : undefined), root);

/** The scalar inside a secret box, as the text the CLI's environment holds. */
const envText = (u: unknown): string => (typeof u === "string" ? u : String(u));

/**
 * The config with every Redacted value taken out and replaced by its environment route; the
 * environment variables that carry them. A secret with no route (refused when the options are
 * decoded) is dropped rather than put in argv.
 */
export const routeSecrets = (config: unknown): RoutedConfig => {
  const out: Record<string, unknown> = {};
  const env: Record<string, string> = {};
  const moved: [ConfigPath, Route, string][] = [];
  const walk = (
    u: Record<string, unknown>,
    path: string[],
    into: Record<string, unknown>,
  ): void => {
    for (const [k, v] of Object.entries(u)) {
      if (v === undefined) continue;
      path.push(k);
      if (Redacted.is(v)) moved.push([[...path], routeOf(path)!, envText(v.reveal())]);
      else if (isTable(v)) {
        const child: Record<string, unknown> = {};
        into[k] = child;
        walk(v, path, child);
      } else into[k] = v;
      path.pop();
    }
  };
  if (isTable(config)) walk(config, [], out);
  // Numbered in path order, so the names do not depend on the order keys were inserted in.
  moved.sort(([a], [b]) => (a.join(".") < b.join(".") ? -1 : a.join(".") > b.join(".") ? 1 : 0));
  let n = 0;
  for (const [, route, value] of moved) {
    if (route === null) continue;
    if (route.kind === "env_name") {
      n += 1;
      const name = `${SECRET_ENV_PREFIX}${n}`;
      env[name] = value;
      setAt(out, route.at, name);
    } else {
      env[route.name] = value;
      const list = getAt(out, route.list);
      const names: unknown[] = Array.isArray(list) ? list : [];
      if (!names.includes(route.name)) setAt(out, route.list, [...names, route.name]);
    }
  }
  return { config: out as RoutedConfig["config"], env };
};

/** The secret values held in `config` (revealed), for redacting what the CLI prints. */
export const configSecrets = (config: unknown): string[] => {
  const out: string[] = [];
  const walk = (u: unknown): void => {
    if (Redacted.is(u)) out.push(envText(u.reveal()));
    else if (Array.isArray(u)) u.forEach(walk);
    else if (isTable(u)) Object.values(u).forEach(walk);
  };
  walk(config);
  return out;
};

/** The env var names `config` points the CLI at for secrets (`env_key`, `env_http_headers` …). */
export const secretEnvNames = (config: unknown): string[] => {
  const out: string[] = [];
  const walk = (u: unknown, key: string | null, parent: string | null): void => {
    if (typeof u === "string") {
      if (
        key === "env_key" ||
        key === "bearer_token_env_var" ||
        parent === "env_http_headers" ||
        parent === "env_vars"
      )
        out.push(u);
    } else if (Array.isArray(u)) u.forEach((v) => walk(v, parent === null ? key : key, key));
    else if (isTable(u)) for (const [k, v] of Object.entries(u)) walk(v, k, key);
  };
  walk(config, null, null);
  return out;
};

/** The password and user name of a URL, or [] (for redacting a URL the CLI repeats). */
export const urlCredentials = (s: string): string[] => {
  try {
    const u = new URL(s);
    return [u.password, u.username]
      .filter((x) => x.length > 0)
      .flatMap((x) => [x, decodeURIComponent(x)]);
  } catch {
    return [];
  }
};

/** True when `s` is a URL with a user name or password in it (`http://user:key@host`). */
export const hasUrlCredentials = (s: string): boolean =>
  /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#\s]*@/.test(s);

/**
 * Every secret value the CLI's output may repeat: the API key, the config's secrets, and the
 * values of environment variables that hold secrets (by name, or because the config points
 * the CLI at them). Deduplicated, empty values dropped.
 */
export const secretValues = (
  apiKey: string | undefined,
  config: unknown,
  env: Readonly<Record<string, string>>,
): string[] => {
  const named = new Set(secretEnvNames(config));
  const values = [
    ...(apiKey === undefined ? [] : [apiKey]),
    ...configSecrets(config),
    ...Object.entries(env)
      .filter(([k]) => isSecretEnvName(k) || named.has(k) || k.startsWith(SECRET_ENV_PREFIX))
      .map(([, v]) => v),
  ];
  return [...new Set(values.filter((v) => v.length > 0))];
};
