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

/** A JSON value with every secret in every string (keys included) replaced by `[redacted]`. */
export const redactJson = (u: unknown, secrets: readonly string[]): unknown => {
  if (typeof u === "string") return redact(u, secrets);
  if (Array.isArray(u)) return u.map((v) => redactJson(v, secrets));
  if (typeof u === "object" && u !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(u)) {
      const key = redact(k, secrets);
      if (key === "__proto__")
        Object.defineProperty(out, key, {
          value: redactJson(v, secrets),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else out[key] = redactJson(v, secrets);
    }
    return out;
  }
  return u;
};
