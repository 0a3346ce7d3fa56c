/**
 * An archive's `bytes`: base64, or raw DEFLATE then base64 when that saves at least a quarter
 * (a recorded rollout shrinks about 3×); decoding is bounded by the archive's declared range.
 * Pure.
 */
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { err, ok, type Result } from "neverthrow";
import { type SessionArchive } from "./archive.js";
import { invalidArchive, type ArchiveError } from "./errors/index.js";

/** Below this many bytes, compression is not tried. */
const COMPRESS_FROM = 1024;

/** Encodes delta bytes: compressed when asked, or (`"auto"`) when it saves at least a quarter. */
export const encodeBytes = (
  bytes: Buffer,
  compress: "auto" | boolean,
): { encoding: SessionArchive["encoding"]; bytes: string } => {
  if (compress === false || (compress === "auto" && bytes.length < COMPRESS_FROM))
    return { encoding: "base64", bytes: bytes.toString("base64") };
  const z = deflateRawSync(bytes, { level: 1 });
  return compress === true || z.length <= bytes.length * 0.75
    ? { encoding: "deflate-raw+base64", bytes: z.toString("base64") }
    : { encoding: "base64", bytes: bytes.toString("base64") };
};

/** The archive's delta bytes, decoded and bounded by its declared range. */
export const decodeBytes = (a: SessionArchive): Result<Buffer, ArchiveError> => {
  const want = a.length - (a.base?.length ?? 0);
  const raw = Buffer.from(a.bytes, "base64");
  let bytes: Buffer;
  if (a.encoding === "base64") bytes = raw;
  else
    try {
      bytes = inflateRawSync(raw, { maxOutputLength: Math.max(1, want) });
    } catch {
      return err(
        invalidArchive([{ path: "archive.bytes", message: `do not inflate to ${want} bytes` }]),
      );
    }
  return bytes.length === want
    ? ok(bytes)
    : err(
        invalidArchive([
          { path: "archive.bytes", message: `hold ${bytes.length} bytes, not ${want}` },
        ]),
      );
};
