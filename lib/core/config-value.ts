/**
 * ConfigObject: the nested `config` option, later flattened into the CLI's `--config key=value`
 * overrides. Validated up front, so flattening cannot fail: no null, finite numbers only,
 * keys on the dotted path are TOML bare keys (the CLI splits the path on dots unquoted).
 */
import * as t from "io-ts";
import { describe, isRecord } from "./internal/decode.js";

/** A TOML value the CLI accepts in an override. */
export type ConfigValue =
  string | number | boolean | readonly ConfigValue[] | { readonly [key: string]: ConfigValue };

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
  if (typeof u === "string" || typeof u === "boolean") return;
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
    const proto = Object.getPrototypeOf(u) as unknown;
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

/** Codec of the `config` option: a plain object of TOML-representable values. */
export const ConfigObject = new t.Type<ConfigObject, ConfigObject, unknown>(
  "ConfigObject",
  (u): u is ConfigObject => isRecord(u) && ConfigObject.validate(u, [])._tag === "Right",
  (u, c) => {
    if (!isRecord(u)) return t.failure(u, c, `expected an object, got ${describe(u)}`);
    const errors: t.Errors = [];
    check(u, c, [], true, errors);
    return errors.length === 0 ? t.success(u as ConfigObject) : t.failures(errors);
  },
  (a) => a,
);
