/**
 * Decoding into the library's error values: `decodeAll`, with every issue wrapped in one
 * tagged decoding error (the first issue's path as the error's path).
 */
import * as t from "io-ts";
import { err, ok, type Result } from "neverthrow";
import { isLeft } from "fp-ts/lib/Either.js";
import { decodingError, type DecodingErrorTag, type ThreadError } from "../errors.js";
import { decodeAll } from "./decode.js";

/** Decodes `u` with `codec`; on failure a `tag` error saying `what`, with every issue. */
export const parseWith = <A>(
  codec: t.Decoder<unknown, A>,
  u: unknown,
  root: string,
  tag: DecodingErrorTag,
  what: string,
): Result<A, ThreadError> => {
  const r = decodeAll(codec, u, root);
  return isLeft(r) ? err(decodingError(tag, r.left[0]?.path ?? root, what, r.left)) : ok(r.right);
};
