/**
 * Session archives over real files: a rollout recording (golden/codex-cli-0.169.0/resume) grown
 * on home A in arbitrary pieces, exported as a base and deltas, imported on home B.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { assertProperty } from "../support/property.js";

import { exportSession, importSession, runTurn } from "../../lib/index.js";
import { decodeArchive, type SessionArchive } from "../../lib/sessions/index.js";
import { resumeThread } from "../../lib/core/thread.js";
import { hostile } from "../support/arbitraries.js";

const ROLLOUT = join(process.cwd(), "golden/codex-cli-0.169.0/resume/rollout.jsonl");
const ID = "01a20fb5-345b-7f51-b6d3-8f2a9ee94142";
const REL = `2026/05/01/rollout-2026-05-01T10-00-00-${ID}.jsonl`;

let root = "";
let full: Buffer = Buffer.alloc(0);
let n = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "codex-fp-archive-"));
  full = await readFile(ROLLOUT);
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** A fresh CODEX_HOME, holding `bytes` as the thread's rollout when given. */
const home = async (bytes?: Buffer): Promise<string> => {
  const h = join(root, `h${n++}`);
  await mkdir(join(h, "sessions/2026/05/01"), { recursive: true });
  if (bytes !== undefined) await writeFile(join(h, "sessions", REL), bytes);
  return h;
};
const rolloutOf = (h: string) => readFile(join(h, "sessions", REL));

describe("exportSession / importSession", () => {
  it("moves a whole rollout byte for byte, through JSON, with its position", async () => {
    const a = await home(full);
    const b = await home();
    const arc = (await exportSession(ID, { codexHome: a }))._unsafeUnwrap();
    expect(arc).toMatchObject({ relativePath: REL, length: full.length, base: null });
    expect(arc.position.completedTurns).toBe(3);
    const s = (await importSession(JSON.stringify(arc), { codexHome: b }))._unsafeUnwrap();
    expect(s).toMatchObject({ threadId: ID, completedTurns: 3, size: full.length });
    expect((await rolloutOf(b)).equals(full)).toBe(true);
  });

  it("compresses only when it pays, and either encoding reads back", async () => {
    const a = await home(full);
    const packed = (await exportSession(ID, { codexHome: a }))._unsafeUnwrap();
    const plain = (await exportSession(ID, { codexHome: a, compress: false }))._unsafeUnwrap();
    expect(packed.encoding).toBe("deflate-raw+base64");
    expect(packed.bytes.length).toBeLessThan(plain.bytes.length * 0.75);
    expect(plain.encoding).toBe("base64");
    for (const arc of [packed, plain]) {
      const b = await home();
      (await importSession(arc, { codexHome: b }))._unsafeUnwrap();
      expect((await rolloutOf(b)).equals(full)).toBe(true);
    }
  });

  it("imports any split of a rollout into a base and deltas to the same bytes", () =>
    assertProperty(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 1, max: full.length - 1 }), { maxLength: 5 }),
        fc.boolean(),
        async (cuts, compress) => {
          const a = await home();
          const b = await home();
          let since: SessionArchive | undefined;
          for (const cut of [...cuts.sort((x, y) => x - y), full.length]) {
            // A grows to `cut` bytes (maybe mid-line: only whole lines are exported).
            await writeFile(join(a, "sessions", REL), full.subarray(0, cut));
            const r = await exportSession(ID, {
              codexHome: a,
              compress,
              ...(since ? { since } : {}),
            });
            if (r.isErr()) {
              // The first cut may fall inside the first line: nothing to read yet.
              expect(since).toBeUndefined();
              continue;
            }
            const arc = r.value;
            expect(full.subarray(arc.length - 1, arc.length)[0]).toBe(0x0a);
            (await importSession(JSON.stringify(arc), { codexHome: b }))._unsafeUnwrap();
            since = arc;
          }
          expect((await rolloutOf(b)).equals(full)).toBe(true);
          expect(since?.position.completedTurns).toBe(3);
        },
      ),
      { numRuns: 15 },
    ));

  it("refuses a delta on the wrong base, tampered bytes, and an ahead or diverged local copy", async () => {
    const lines = full.toString("utf8").split("\n");
    const cut = Buffer.byteLength(lines.slice(0, 10).join("\n") + "\n");
    const a = await home(full.subarray(0, cut));
    const base = (await exportSession(ID, { codexHome: a }))._unsafeUnwrap();
    await writeFile(join(a, "sessions", REL), full);
    const delta = (await exportSession(ID, { codexHome: a, since: base }))._unsafeUnwrap();

    // No local base at all.
    const empty = await home();
    expect((await importSession(delta, { codexHome: empty }))._unsafeUnwrapErr()).toMatchObject({
      _tag: "ArchiveConflict",
      reason: "missing_base",
    });
    // A local rollout of the same length but other bytes before the base: diverged.
    const other = Buffer.from(full.subarray(0, cut));
    other[cut - 5] = other[cut - 5] === 0x61 ? 0x62 : 0x61;
    const wrong = await home(other);
    expect((await importSession(delta, { codexHome: wrong }))._unsafeUnwrapErr()).toMatchObject({
      _tag: "ArchiveConflict",
      reason: "diverged",
    });
    expect((await rolloutOf(wrong)).equals(other)).toBe(true); // left alone
    // Tampered bytes fail the digest.
    const right = await home(full.subarray(0, cut));
    const raw = Buffer.from(
      (await exportSession(ID, { codexHome: a, since: base, compress: false }))._unsafeUnwrap()
        .bytes,
      "base64",
    );
    raw.writeUInt8(raw.readUInt8(raw.length - 3) ^ 1, raw.length - 3);
    const tampered = {
      ...delta,
      encoding: "base64" as const,
      bytes: raw.toString("base64"),
    };
    expect((await importSession(tampered, { codexHome: right }))._unsafeUnwrapErr()).toMatchObject({
      _tag: "InvalidArchive",
    });
    expect((await rolloutOf(right)).length).toBe(cut);
    // The right base takes it; then the same delta is equal (a no-op), the base archive stale.
    (await importSession(delta, { codexHome: right }))._unsafeUnwrap();
    expect((await rolloutOf(right)).equals(full)).toBe(true);
    (await importSession(delta, { codexHome: right }))._unsafeUnwrap();
    expect((await importSession(base, { codexHome: right }))._unsafeUnwrapErr()).toMatchObject({
      _tag: "ArchiveConflict",
      reason: "ahead",
    });
    // A local copy behind the archive (mid-way through the delta) is brought forward.
    const behind = await home(full.subarray(0, cut + 100));
    (await importSession(delta, { codexHome: behind }))._unsafeUnwrap();
    expect((await rolloutOf(behind)).equals(full)).toBe(true);
  });

  it("refuses to export since a point the local rollout does not hold", async () => {
    const a = await home(full);
    const arc = (await exportSession(ID, { codexHome: a }))._unsafeUnwrap();
    const short = await home(full.subarray(0, 1000));
    expect(
      (await exportSession(ID, { codexHome: short, since: arc }))._unsafeUnwrapErr(),
    ).toMatchObject({ _tag: "ArchiveConflict", reason: "behind" });
    const changed = Buffer.from(full);
    changed.writeUInt8(changed.readUInt8(full.length - 10) ^ 1, full.length - 10);
    const c = await home(changed);
    expect(
      (await exportSession(ID, { codexHome: c, since: arc }))._unsafeUnwrapErr(),
    ).toMatchObject({ _tag: "ArchiveConflict", reason: "diverged" });
    // A bare length (and digest) works too, at the cost of hashing the prefix.
    const d = (await exportSession(ID, { codexHome: a, since: { length: 0 } }))._unsafeUnwrap();
    expect(d.digest).toBe(arc.digest);
  });

  it("rejects what is not an archive with InvalidArchive, never a throw", async () => {
    for (const bad of [null, "{", {}, { format: "codex-fp/session-archive@1" }, 5]) {
      const r = await importSession(bad, { codexHome: await home() });
      expect(r._unsafeUnwrapErr()._tag).toBe("InvalidArchive");
    }
    expect(decodeArchive({})._unsafeUnwrapErr()._tag).toBe("InvalidArchive");
    const a = await home(full);
    const arc = (await exportSession(ID, { codexHome: a }))._unsafeUnwrap();
    const escaping = { ...arc, relativePath: `../../x/rollout-2026-05-01T10-00-00-${ID}.jsonl` };
    expect(decodeArchive(escaping).isErr()).toBe(true);
    const otherThread = { ...arc, threadId: "thread_other" };
    expect(decodeArchive(otherThread).isErr()).toBe(true);
    expect((await exportSession("--flag"))._unsafeUnwrapErr()._tag).toBe("InvalidThreadId");
  });
});

describe("exportSession / importSession with hostile arguments", () => {
  it("return a typed Err in every argument slot: no throw, no rejection", () =>
    assertProperty(
      fc.asyncProperty(hostile, fc.nat(3), async (input, slot) => {
        const h = await home(full);
        const calls = [
          () => exportSession(input.make() as string, { codexHome: h }),
          () => exportSession(ID, input.make() as object),
          () => importSession(input.make(), { codexHome: h }),
          () => exportSession(ID, { codexHome: h, since: input.make() as never }),
        ];
        const r = await (calls[slot] ?? calls[0])!();
        expect(r.isErr() || slot === 1).toBe(true);
        if (r.isErr()) expect(typeof r.error._tag).toBe("string");
      }),
      { numRuns: 60 },
    ));
});

describe("runTurn's token policy, before anything runs", () => {
  it("refuses a non-string or empty deps.secret with a typed error, without echoing it", async () => {
    const thread = resumeThread(ID, {}, {})._unsafeUnwrap();
    for (const secret of [5, "", { s: "x" }]) {
      const r = await runTurn(
        thread,
        "hi",
        {},
        {
          secret: secret as string,
          transport: {
            kind: "exec",
            startTurn: () => {
              throw new Error("must not start");
            },
          },
        },
      );
      expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: "InvalidOptions", path: "deps.secret" });
    }
  });
});
