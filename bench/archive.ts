/**
 * Benchmark of moving one turn between stores: `exportSession` of the turn's delta (since the
 * previous archive) plus `importSession` of it onto the other store, at turn 50 against turn 1.
 * A rollout is append-only, so the cost should follow the bytes the turn added, not the
 * thread's length (aim: ratio ≤ 1.2).
 *
 * The rollouts are built from a recording (golden/codex-cli-0.169.0/resume): its first turn as
 * it is, then its second turn's lines repeated once per further turn (~6 KB a turn). Each
 * measurement: store A holds the thread at turn k, store B at turn k − 1 (truncated back to it
 * between runs, untimed); the timed part exports turn k's delta from A and imports it on B.
 * Median of many runs, after warm-up.
 */
import { mkdir, mkdtemp, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportSession, importSession } from "../lib/shell/archive.js";
import type { SessionArchive } from "../lib/core/archive.js";

const GOLDEN = join(process.cwd(), "golden/codex-cli-0.169.0/resume");
const ID = "01a20fb5-345b-7f51-b6d3-8f2a9ee94142";
const REL = ["2026", "05", "01", `rollout-2026-05-01T10-00-00-${ID}.jsonl`];
const RUNS = 40;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

/** The median ms of exporting turn `k`'s delta and importing it, with bytes at turn k. */
const atTurn = async (root: string, k: number, first: Buffer, turn: Buffer) => {
  const before = Buffer.concat([first, ...Array.from({ length: k - 1 }, () => turn)]);
  const after = Buffer.concat([before, turn]);
  const a = join(root, `a${k}`);
  const b = join(root, `b${k}`);
  for (const h of [a, b]) await mkdir(join(h, "sessions", ...REL.slice(0, 3)), { recursive: true });
  const fileA = join(a, "sessions", ...REL);
  const fileB = join(b, "sessions", ...REL);
  await writeFile(fileA, before);
  await writeFile(fileB, before);
  const since = (await exportSession(ID, { codexHome: a }))._unsafeUnwrap();
  await writeFile(fileA, after);
  const times: number[] = [];
  let last: SessionArchive | null = null;
  for (let i = 0; i < RUNS + 5; i++) {
    await truncate(fileB, before.length);
    const t0 = performance.now();
    const delta = (await exportSession(ID, { codexHome: a, since }))._unsafeUnwrap();
    (await importSession(JSON.stringify(delta), { codexHome: b }))._unsafeUnwrap();
    const ms = performance.now() - t0;
    if (i >= 5) times.push(ms);
    last = delta;
  }
  const check = await readFile(fileB);
  if (!check.equals(after)) throw new Error("the import did not reproduce the rollout");
  return { ms: median(times), bytes: after.length, deltaBytes: after.length - before.length, last };
};

/** Runs the benchmark: the time at turn 1 and at turn 50, and their ratio. */
export const benchArchive = async (): Promise<{
  turn1Ms: number;
  turn50Ms: number;
  ratio: number;
  rolloutBytesAt50: number;
  deltaBytes: number;
}> => {
  const root = await mkdtemp(join(tmpdir(), "codex-fp-bench-archive-"));
  try {
    const first = await readFile(join(GOLDEN, "rollout-after-turn1.jsonl"));
    const full = await readFile(join(GOLDEN, "rollout.jsonl"));
    // Turn 2's lines: what the second run appended (turn 3's are the same shape).
    const afterTwo = full.indexOf(0x0a, first.length + (full.length - first.length) / 2) + 1;
    const turn = full.subarray(first.length, afterTwo);
    // Interleave to spread the machine's noise over both figures.
    const one: number[] = [];
    const fifty: number[] = [];
    let bytes = 0;
    let deltaBytes = 0;
    for (let round = 0; round < 3; round++) {
      one.push((await atTurn(join(root, `r${round}`), 1, first, turn)).ms);
      const f = await atTurn(join(root, `r${round}`), 50, first, turn);
      fifty.push(f.ms);
      bytes = f.bytes;
      deltaBytes = f.deltaBytes;
    }
    const turn1Ms = median(one);
    const turn50Ms = median(fifty);
    return { turn1Ms, turn50Ms, ratio: turn50Ms / turn1Ms, rolloutBytesAt50: bytes, deltaBytes };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
};
