/** Replaces every occurrence of each secret in `text` with `[redacted]`. */
export const redact = (text: string, secrets: readonly string[]): string =>
  secrets.filter((s) => s.length >= 4).reduce((acc, s) => acc.split(s).join("[redacted]"), text);

/**
 * The last `max` characters of a stream, redacted. `kept` is the end of the stream that was
 * kept; when `truncated` (something came before it), the cut may have fallen inside a secret,
 * so a piece of one (a proper suffix of it) at the very start is dropped too.
 */
export const redactTail = (
  kept: string,
  secrets: readonly string[],
  max: number,
  truncated: boolean,
): string => {
  let text = redact(kept, secrets);
  if (truncated)
    for (const s of secrets.filter((x) => x.length >= 4))
      for (let k = s.length - 1; k > 0; k--)
        if (text.startsWith(s.slice(-k))) {
          text = text.slice(k);
          break;
        }
  return text.slice(-max);
};
