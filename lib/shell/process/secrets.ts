/**
 * The values redacted from a CLI child's output: the API key, the secret values of `config`,
 * and the environment variables that hold secrets (see core/secrets.ts for the policy). One
 * definition for every transport and command; the runner only applies the list it is given.
 */
import type { CodexOptions } from "../../core/options.js";
import { secretValues } from "../../core/secrets.js";

/** The secrets of a child started with `env` for a client with `options`. */
export const secretsOf = (
  env: Readonly<Record<string, string>>,
  options: Pick<CodexOptions, "apiKey" | "config">,
): string[] => secretValues(options.apiKey?.reveal(), options.config, env);
