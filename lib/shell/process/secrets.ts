/**
 * The values redacted from a CLI child's output: the API key, and the values of environment
 * variables whose names say they are secret. One definition for every transport and command;
 * the runner only applies the list it is given.
 */

/** The secrets of a child started with `env` and `apiKey`. */
export const secretsOf = (
  env: Readonly<Record<string, string>>,
  apiKey: string | undefined,
): string[] => [
  ...(apiKey === undefined ? [] : [apiKey]),
  ...Object.entries(env)
    .filter(([k]) => /KEY|TOKEN|SECRET|PASSWORD/i.test(k))
    .map(([, v]) => v),
];
