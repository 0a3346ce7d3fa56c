/** Replaces every occurrence of each secret in `text` with `[redacted]`. */
export const redact = (text: string, secrets: readonly string[]): string =>
  secrets.filter((s) => s.length >= 4).reduce((acc, s) => acc.split(s).join("[redacted]"), text);
