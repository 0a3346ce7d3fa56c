/** Moved to `../errors/decode.ts` (the one decode-to-error path); kept for old imports. */
import type * as t from "io-ts";
import type { Result } from "neverthrow";
import { parseWith as parse } from "../errors/decode.js";
import type { DecodingErrorTag, ThreadError } from "../errors/thread.js";

/** `parseWith` of errors/decode.ts, with the wide error type old callers expect. */
export const parseWith = <A>(
  codec: t.Decoder<unknown, A>,
  u: unknown,
  root: string,
  tag: DecodingErrorTag,
  what: string,
): Result<A, ThreadError> => parse(codec, u, root, tag, what);
