/**
 * A bounded tail of a child's stderr, redacted when read: the last `maxBytes` characters are
 * kept (plus the longest secret, so a secret the cut falls near is still seen whole and
 * removed), decoded as UTF-8 across chunk boundaries.
 */
import { StringDecoder } from "node:string_decoder";
import { redactTail } from "../internal/redact.js";

/** A growing stderr tail. */
export interface StderrTail {
  /** Adds a chunk. */
  push(chunk: Buffer): void;
  /** The tail so far, redacted (flushes a pending partial character once the stream ended). */
  text(ended?: boolean): string;
}

/** Starts a tail of at most `maxBytes` characters with `secrets` redacted. */
export const createStderrTail = (maxBytes: number, secrets: readonly string[]): StderrTail => {
  const keep = maxBytes + Math.max(0, ...secrets.map((s) => s.length));
  const decoder = new StringDecoder("utf8");
  let kept = "";
  let truncated = false;
  let flushed = false;
  const add = (s: string) => {
    kept += s;
    if (kept.length > keep) {
      kept = kept.slice(-keep);
      truncated = true;
    }
  };
  return {
    push: (chunk) => add(decoder.write(chunk)),
    text: (ended = false) => {
      if (ended && !flushed) {
        flushed = true;
        add(decoder.end());
      }
      return redactTail(kept, secrets, maxBytes, truncated);
    },
  };
};
