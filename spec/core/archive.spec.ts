/**
 * The pure side of session archives: the codec, `applyDelta` (a delta only onto its exact
 * base) and `relate` (behind / equal / ahead / diverged / missing_base), over arbitrary bytes.
 */
import fc from "fast-check";
import { assertProperty } from "../support/property.js";

import {
  SESSION_ARCHIVE_FORMAT,
  SessionArchive,
  applyDelta,
  decodeArchive,
  relate,
  type ArchivePoint,
} from "../../lib/sessions/index.js";
import { sha256Hex, tailDigest } from "../../lib/core/archive.js";

const ID = "01a20fb5-345b-7f51-b6d3-8f2a9ee94142";
const REL = `2026/05/01/rollout-2026-05-01T10-00-00-${ID}.jsonl`;
const POS = { completedTurns: 0, lastTurnId: null };

const pointOf = (bytes: Uint8Array): ArchivePoint => ({
  length: bytes.length,
  digest: sha256Hex(bytes),
  tail: tailDigest(bytes),
  hashState: null,
  position: POS,
});

/** The archive of `all` from `from` (0: whole). */
const archiveOf = (all: Uint8Array, from: number): SessionArchive => ({
  format: SESSION_ARCHIVE_FORMAT,
  threadId: ID as SessionArchive["threadId"],
  relativePath: REL,
  position: POS,
  length: all.length,
  digest: sha256Hex(all),
  tail: tailDigest(all),
  hashState: null,
  base: from === 0 ? null : pointOf(all.subarray(0, from)),
  encoding: "base64",
  bytes: Buffer.from(all.subarray(from)).toString("base64"),
});

/** What the shell would read of a local file holding `local`, around the archive's range. */
const view = (local: Uint8Array | null, a: SessionArchive) => {
  const b = a.base?.length ?? 0;
  const bytes = local ?? new Uint8Array(0);
  return {
    exists: local !== null,
    length: bytes.length,
    tailAtBase: bytes.length >= b ? tailDigest(bytes.subarray(0, b)) : null,
    overlap:
      bytes.length >= b ? bytes.subarray(b, Math.min(bytes.length, a.length)) : new Uint8Array(0),
  };
};

const bytesAndCut = fc
  .uint8Array({ minLength: 1, maxLength: 9000 })
  .chain((all) => fc.tuple(fc.constant(all), fc.integer({ min: 0, max: all.length })));

describe("SessionArchive", () => {
  it("decodes what it encodes, through JSON", () =>
    assertProperty(
      fc.property(bytesAndCut, ([all, cut]) => {
        const a = archiveOf(all, cut);
        expect(decodeArchive(JSON.stringify(SessionArchive.encode(a)))._unsafeUnwrap()).toEqual(a);
      }),
      { numRuns: 50 },
    ));

  it("refuses paths outside sessions/, another thread's file, a base past the end", () => {
    const a = archiveOf(new Uint8Array([1, 2, 10]), 0);
    for (const bad of [
      { ...a, relativePath: "../rollout-2026-05-01T10-00-00-x.jsonl" },
      { ...a, relativePath: `2026/05/01/rollout-2026-05-01T10-00-00-${ID}.jsonl.zst` },
      { ...a, relativePath: REL.replace(ID, "thread_other") },
      { ...a, base: { ...pointOf(new Uint8Array(9)), length: 9 } },
      { ...a, bytes: "not base64!" },
      { ...a, extra: 1 },
    ])
      expect(decodeArchive(bad)._unsafeUnwrapErr()._tag).toBe("InvalidArchive");
  });
});

describe("applyDelta", () => {
  it("rebuilds the bytes from their exact base, and refuses any other base", () =>
    assertProperty(
      fc.property(bytesAndCut, fc.uint8Array({ maxLength: 64 }), ([all, cut], other) => {
        const a = archiveOf(all, cut);
        const delta = all.subarray(cut);
        expect(Buffer.from(applyDelta(a, delta, all.subarray(0, cut))._unsafeUnwrap())).toEqual(
          Buffer.from(all),
        );
        const wrong = Buffer.concat([all.subarray(0, cut), other]);
        if (other.length > 0) expect(applyDelta(a, delta, wrong).isErr()).toBe(true);
      }),
      { numRuns: 100 },
    ));
});

describe("relate", () => {
  it("tells behind, equal, ahead from any prefix or extension of the same bytes", () =>
    assertProperty(
      fc.property(
        bytesAndCut,
        fc.nat(),
        fc.uint8Array({ minLength: 1, maxLength: 50 }),
        ([all, cut], at, more) => {
          const a = archiveOf(all, cut);
          const delta = all.subarray(cut);
          const n = cut + (at % (all.length - cut + 1));
          const expected = n === all.length ? "equal" : "behind";
          expect(relate(a, delta, view(all.subarray(0, n), a))._unsafeUnwrap()).toBe(expected);
          expect(relate(a, delta, view(Buffer.concat([all, more]), a))._unsafeUnwrap()).toBe(
            "ahead",
          );
        },
      ),
      { numRuns: 100 },
    ));

  it("finds a changed byte (diverged) and a missing base", () =>
    assertProperty(
      fc.property(bytesAndCut, fc.nat(), ([all, cut], at) => {
        const a = archiveOf(all, cut);
        const delta = all.subarray(cut);
        const changed = Buffer.from(all);
        const i = Math.max(0, cut - 1) + (at % (all.length - Math.max(0, cut - 1)));
        changed.writeUInt8(changed.readUInt8(i) ^ 0xff, i);
        // A change within the last 4 KiB before the base, or after it, is seen.
        expect(relate(a, delta, view(changed, a))._unsafeUnwrap()).toBe("diverged");
        if (cut > 0) {
          expect(relate(a, delta, view(null, a))._unsafeUnwrap()).toBe("missing_base");
          expect(relate(a, delta, view(all.subarray(0, cut - 1), a))._unsafeUnwrap()).toBe(
            "missing_base",
          );
        }
      }),
      { numRuns: 100 },
    ));
});
