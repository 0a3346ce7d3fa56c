/**
 * SHA-256 that can be saved and resumed (hash-wasm): an archive carries the state after its last
 * byte, so the next delta's digest is computed from the delta alone.
 */
import type { IHasher } from "hash-wasm";

/**
 * A new SHA-256 hasher. hash-wasm (its WebAssembly and the module itself) loads at the first
 * call, not with `import("codex-fp")`: only archives need it.
 */
export const createSHA256 = async (): Promise<IHasher> =>
  (await import("hash-wasm")).createSHA256();
import { readRange } from "./io.js";

/** A SHA-256 hasher resumed from a saved state, or null when the state cannot be loaded. */
export const resumed = async (state: string | null): Promise<IHasher | null> => {
  if (state === null) return null;
  const h = await createSHA256();
  try {
    h.load(Buffer.from(state, "base64"));
    return h;
  } catch {
    return null;
  }
};

/** Hashes `[0, length)` of a file in chunks: the hasher after it. */
export const hashPrefix = async (path: string, length: number): Promise<IHasher> => {
  const h = await createSHA256();
  h.init();
  const chunk = 1024 * 1024;
  for (let at = 0; at < length; at += chunk)
    h.update(await readRange(path, at, Math.min(length, at + chunk)));
  return h;
};

/** Saves the state, then finishes: the state (base64) and the digest (hex). */
export const finish = (h: IHasher): { hashState: string; digest: string } => {
  const hashState = Buffer.from(h.save()).toString("base64");
  return { hashState, digest: h.digest("hex") };
};
