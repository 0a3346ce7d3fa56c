/**
 * The one path from a decode failure to an error value. `parseWith` decodes with `decodeAll`
 * and hands every issue to `issuesError`, which also holds the rules that make the same input
 * error get the same tag from every entry point: a bad API key is `InvalidApiKey` wherever the
 * client options are read, and a value that is not a Thread is `NotAThread`.
 */
import type * as t from "io-ts";
import { err, ok, type Result } from "neverthrow";
import { isLeft } from "fp-ts/lib/Either.js";
import { decodeAll } from "../decoding/decode.js";
import type { ResolvedInputLimits } from "../limits.js";
import type { DecodingError, DecodingErrorTag, Issue } from "./thread.js";
import { decodingError } from "./make.js";

/** The path of the API key: in client options, or in a Thread's client options. */
const API_KEY = /^(thread\.)?codexOptions\.apiKey(\.|$)/;

/** The first issue about an API key, if any. */
const apiKeyIssue = (issues: readonly Issue[]): Issue | undefined =>
  issues.find((i) => API_KEY.test(i.path));

/**
 * The error for `issues` found decoding an input under `root` as `tag`, saying `what`. When an
 * options or Thread argument has an issue about the API key (`codexOptions.apiKey`, or
 * `thread.codexOptions.apiKey`) it is `InvalidApiKey` at that path instead, with every issue
 * (the secret is never shown: issues hold paths and rules only).
 */
export const issuesError = <Tag extends DecodingErrorTag>(
  tag: Tag,
  root: string,
  what: string,
  issues: readonly Issue[],
): DecodingError<Tag | "InvalidApiKey"> => {
  const key = tag === "InvalidOptions" || tag === "NotAThread" ? apiKeyIssue(issues) : undefined;
  const keyPath = key?.path.slice(0, key.path.search(/apiKey/) + "apiKey".length);
  return keyPath !== undefined
    ? decodingError("InvalidApiKey", keyPath, "invalid API key", issues)
    : decodingError(tag, issues[0]?.path ?? root, what, issues);
};

/**
 * Decodes `u` with `codec` under `root` (bounded by `limits`, default: the defaults); on
 * failure the error `toError` makes of every issue found. The one path from a decode to an
 * error: `parseWith` (the core's decoding errors) and the archive and fleet errors use it.
 */
export const decodeWith = <A, E>(
  codec: t.Decoder<unknown, A>,
  u: unknown,
  root: string,
  toError: (issues: readonly Issue[]) => E,
  limits?: ResolvedInputLimits,
): Result<A, E> => {
  const r = decodeAll(codec, u, root, limits);
  return isLeft(r) ? err(toError(r.left)) : ok(r.right);
};

/**
 * Decodes `u` with `codec` under `root` (bounded by `limits`, default: the defaults); on
 * failure a `tag` error saying `what` (see issuesError).
 */
export const parseWith = <A, Tag extends DecodingErrorTag>(
  codec: t.Decoder<unknown, A>,
  u: unknown,
  root: string,
  tag: Tag,
  what: string,
  limits?: ResolvedInputLimits,
): Result<A, DecodingError<Tag | "InvalidApiKey">> =>
  decodeWith(codec, u, root, (issues) => issuesError(tag, root, what, issues), limits);
