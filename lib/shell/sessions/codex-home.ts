/**
 * The public form of `resolveCodexHome`: the options are read once (a snapshot) and checked, so
 * a hostile value is an `InvalidOptions` error, never a throw. The library itself calls the
 * plain form with options it has already read.
 */
import { err, ok, type Result } from "neverthrow";
import { snapshotOptions } from "../../core/decoding/snapshot.js";
import { invalidAt, type DecodingError } from "../../core/errors/index.js";
import { resolveCodexHome as resolveFrom, type SessionStoreOptions } from "./store.js";

const bad = (path: string, message: string): DecodingError<"InvalidOptions"> =>
  invalidAt("InvalidOptions", path, "invalid options", message);

/**
 * The `CODEX_HOME` the CLI would use (see the plain `resolveCodexHome`): `codexHome`, else
 * `CODEX_HOME` of `env` (when given) or of `process.env`, else `<home>/.codex`.
 */
export const resolveCodexHome = (
  opts?: SessionStoreOptions,
): Result<string, DecodingError<"InvalidOptions">> => {
  const taken = snapshotOptions<SessionStoreOptions>(opts, "opts");
  if (taken.isErr()) return err(taken.error);
  const o = taken.value;
  if (o.codexHome !== undefined && typeof o.codexHome !== "string")
    return err(bad("opts.codexHome", "expected a string"));
  const env: unknown = o.env;
  if (env !== undefined) {
    if (typeof env !== "object" || env === null || Array.isArray(env))
      return err(bad("opts.env", "expected an object of strings"));
    for (const [k, v] of Object.entries(env))
      if (v !== undefined && typeof v !== "string")
        return err(bad(`opts.env.${k}`, "expected a string"));
  }
  try {
    return ok(resolveFrom(o));
  } catch {
    return err(bad("opts", "could not be read"));
  }
};
