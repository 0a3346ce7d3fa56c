/**
 * ConfigObject: the nested `config` option, later flattened into the CLI's `--config key=value`
 * overrides. Validated up front, so flattening cannot fail: no null, finite numbers only, no
 * lone surrogates (TOML cannot hold them), keys on the dotted path are TOML bare keys (the CLI
 * splits the path on dots unquoted). Secrets (lib/core/secrets.ts) come out `Redacted`, and
 * each must have a way to the CLI other than its command line.
 */
import * as t from "io-ts";
import { describe, isRecord } from "./decoding/decode.js";
import { Redacted } from "./redacted.js";
import { hasUrlCredentials, isSecretPath, secretRouteProblem } from "./secrets.js";
import { prototypeOf } from "./decoding/unknown.js";

/** A scalar a secret box may hold. */
export type ConfigScalar = string | number | boolean;

/** A TOML value the CLI accepts in an override; a `Redacted` scalar is a secret. */
export type ConfigValue =
  | ConfigScalar
  | Redacted<ConfigScalar>
  | readonly ConfigValue[]
  | { readonly [key: string]: ConfigValue };

/** True when `s` holds a UTF-16 surrogate that is not half of a pair (no TOML form). */
export const hasLoneSurrogate = (s: string): boolean =>
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

/** The problem with a string config value, or null. Its value is never echoed. */
const stringProblem = (s: string): string | null =>
  hasLoneSurrogate(s)
    ? "must not contain a lone surrogate (TOML cannot hold it)"
    : hasUrlCredentials(s)
      ? "a URL must not hold a user name or password (user:key@host): pass the key as apiKey, " +
        "a provider's env_key or http_headers"
      : null;

/** A config object: the root of the `config` option. */
export type ConfigObject = { readonly [key: string]: ConfigValue };

/** Keys the CLI reads on a dotted `--config` path. */
export const TOML_BARE_KEY = /^[A-Za-z0-9_-]+$/;

/** The io-ts context of a value `path` steps below `c` (built only when reporting). */
const contextAt = (c: t.Context, path: readonly string[], value: unknown): t.Context => [
  ...c,
  ...path.map((key, i) => ({
    key,
    type: t.unknown,
    actual: i === path.length - 1 ? value : undefined,
  })),
];

/** Records a problem of the value `u` at `path` (no closure per call: this runs per value). */
const failAt = (
  errors: t.Errors,
  c: t.Context,
  path: readonly string[],
  u: unknown,
  message: string,
): void => {
  errors.push({ value: u, context: contextAt(c, path, u), message });
};

const check = (
  u: unknown,
  c: t.Context,
  path: string[],
  onPath: boolean,
  errors: t.Errors,
): void => {
  if (typeof u === "string") {
    const problem = stringProblem(u);
    if (problem !== null) failAt(errors, c, path, u, problem);
    else if (isSecretPath(path)) {
      const route = secretRouteProblem(path);
      if (route !== null) failAt(errors, c, path, u, route);
    }
    return;
  }
  if (typeof u === "boolean") return;
  if (Redacted.is(u)) {
    const inner = u.reveal();
    if (typeof inner === "string" || typeof inner === "boolean" || typeof inner === "number") {
      check(inner, c, path, false, errors);
      const route = secretRouteProblem(path);
      if (route !== null) failAt(errors, c, path, u, route);
    } else
      failAt(errors, c, path, u, "a Redacted config value must hold a string, number or boolean");
    return;
  }
  if (typeof u === "number") {
    if (!Number.isFinite(u)) failAt(errors, c, path, u, "must be a finite number");
    return;
  }
  if (Array.isArray(u)) {
    for (let i = 0; i < u.length; i++) {
      path.push(String(i));
      check(u[i], c, path, false, errors);
      path.pop();
    }
    return;
  }
  if (isRecord(u)) {
    const proto = prototypeOf(u);
    if (proto !== Object.prototype && proto !== null) {
      // A Date, Map or class instance has no TOML form (and its entries would be lost).
      failAt(errors, c, path, u, "expected a plain object, not a class instance");
      return;
    }
    for (const k in u) {
      if (!Object.prototype.hasOwnProperty.call(u, k)) continue;
      const v = u[k];
      path.push(k);
      if (k.length === 0)
        errors.push({
          value: v,
          context: contextAt(c, path, v),
          message: "keys must not be empty",
        });
      else if (hasLoneSurrogate(k))
        errors.push({
          value: v,
          context: contextAt(c, path, v),
          message: "keys must not contain a lone surrogate (TOML cannot hold it)",
        });
      else if (onPath && !TOML_BARE_KEY.test(k))
        errors.push({
          value: v,
          context: contextAt(c, path, v),
          message: "a key on a --config path may hold only letters, digits, _ and -",
        });
      // undefined entries are skipped, as the official SDK does
      if (v !== undefined) check(v, c, path, onPath, errors);
      path.pop();
    }
    return;
  }
  failAt(
    errors,
    c,
    path,
    u,
    `expected a string, number, boolean, array or object, got ${describe(u)}`,
  );
};

/** A copy of a valid config with every secret string (by its path) in a Redacted box. */
const boxSecrets = (u: unknown, path: string[]): unknown => {
  if (typeof u === "string") return isSecretPath(path) ? Redacted.of(u) : u;
  if (Redacted.is(u)) return u;
  if (Array.isArray(u))
    return u.map((v: unknown, i) => {
      path.push(String(i));
      const out = boxSecrets(v, path);
      path.pop();
      return out;
    });
  if (isRecord(u)) {
    const out: Record<string, unknown> = Object.create(Object.getPrototypeOf(u) as object | null);
    for (const k in u) {
      if (!Object.prototype.hasOwnProperty.call(u, k) || u[k] === undefined) continue;
      path.push(k);
      Object.defineProperty(out, k, {
        value: boxSecrets(u[k], path),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      path.pop();
    }
    return out;
  }
  return u;
};

/** Codec of the `config` option: a plain object of TOML-representable values, secrets boxed. */
export const ConfigObject = new t.Type<ConfigObject, ConfigObject, unknown>(
  "ConfigObject",
  (u): u is ConfigObject => isRecord(u) && ConfigObject.validate(u, [])._tag === "Right",
  (u, c) => {
    if (!isRecord(u)) return t.failure(u, c, `expected an object, got ${describe(u)}`);
    const errors: t.Errors = [];
    check(u, c, [], true, errors);
    return errors.length === 0 ? t.success(boxSecrets(u, []) as ConfigObject) : t.failures(errors);
  },
  (a) => a,
);
