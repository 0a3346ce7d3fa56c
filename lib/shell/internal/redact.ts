import { parseJson } from "../../core/decoding/unknown.js";
/**
 * Redaction of secrets from what a child prints, the same code for every transport (exec,
 * app-server, lifecycle commands). A secret is searched in each form a program may print it
 * in: as it is, JSON-escaped (a key holding `"` or `\`), and percent-encoded (a URL). Every
 * secret is redacted; one shorter than {@link SHORT_SECRET} characters only where it stands
 * alone (not inside a longer run of letters and digits), so that a 3-character key is hidden
 * without erasing every word that contains its letters, and only if it holds a letter or digit.
 */

/** Secrets shorter than this are matched only where they stand alone. */
export const SHORT_SECRET = 4;

/** What a secret is replaced with. */
export const REDACTED = "[redacted]";

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The forms of one secret a program may print, longest first, each once. */
export const secretForms = (secret: string): string[] => {
  const forms = [secret, JSON.stringify(secret).slice(1, -1)];
  try {
    forms.push(encodeURIComponent(secret));
  } catch {
    // a lone surrogate has no percent-encoded form
  }
  return [...new Set(forms)].filter((f) => f.length > 0);
};

const cache = new WeakMap<readonly string[], string[]>();

/**
 * True for a secret worth searching — one of {@link SHORT_SECRET} characters or more, and a
 * shorter one holding a letter or digit (a key like `:` would erase the syntax of every line).
 */
const searchable = (s: string): boolean =>
  s.length >= SHORT_SECRET || (s.length > 0 && /[\p{L}\p{N}]/u.test(s));

/** Every form of every secret, longest first (a longer secret may contain a shorter one). */
const formsOf = (secrets: readonly string[]): string[] => {
  let forms = cache.get(secrets);
  if (forms === undefined) {
    forms = [...new Set(secrets.filter(searchable).flatMap(secretForms))].sort(
      (a, b) => b.length - a.length,
    );
    cache.set(secrets, forms);
  }
  return forms;
};

const replaceForm = (text: string, form: string): string =>
  form.length >= SHORT_SECRET
    ? text.split(form).join(REDACTED)
    : text.replace(
        new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(form)}(?![A-Za-z0-9])`, "g"),
        REDACTED,
      );

/** Replaces every occurrence of each secret (in each of its forms) in `text` with `[redacted]`. */
export const redact = (text: string, secrets: readonly string[]): string =>
  formsOf(secrets).reduce(replaceForm, text);

/** True when `text` may hold one of the secrets (in any form): worth parsing and redacting. */
export const mayHoldSecret = (text: string, secrets: readonly string[]): boolean =>
  formsOf(secrets).some((f) => text.includes(f));

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
    for (const s of formsOf(secrets))
      for (let k = s.length - 1; k > 0; k--)
        if (text.startsWith(s.slice(-k))) {
          text = text.slice(k);
          break;
        }
  return text.slice(-max);
};

/**
 * A JSON value with every secret in every string replaced by `[redacted]`. Object keys are
 * redacted too, but only of secrets of {@link SHORT_SECRET} characters or more: keys are the
 * protocol's structure, and a short secret equal to one would break decoding.
 */
export const redactJson = (u: unknown, secrets: readonly string[]): unknown => {
  const long = secrets.filter((s) => s.length >= SHORT_SECRET);
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return redact(v, secrets);
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === "object" && v !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        const key = long.length === 0 ? k : redact(k, long);
        Object.defineProperty(out, key, {
          value: walk(x),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    return v;
  };
  return walk(u);
};

/**
 * One line of a child's JSON output, parsed, with secrets redacted when it may hold one;
 * `undefined` when the line is not JSON.
 */
export const parseRedacted = (line: string, secrets: readonly string[]): unknown => {
  let value: unknown;
  try {
    value = parseJson(line);
  } catch {
    return undefined;
  }
  return secrets.length > 0 && mayHoldSecret(line, secrets) ? redactJson(value, secrets) : value;
};
