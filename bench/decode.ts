/**
 * Validated decoding of the recorded transcripts vs bare `JSON.parse` of the same lines (what
 * the official SDK does with each line it reads). Same process, same data, warmed up, rounds
 * interleaved; the best round of each counts.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { decodeEventLine, decodeTranscript } from "../lib/codecs/index.js";

/** Every recorded transcript in golden/ (CLI turns and legacy fixtures), as JSONL text. */
export const recordedTranscripts = (root = "golden"): string[] => {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/^turn\d+\.jsonl$|^thread_.*\.jsonl$/.test(e.name))
        out.push(readFileSync(p, "utf8"));
    }
  };
  walk(root);
  return out.filter((t) => t.trim() !== "");
};

const linesOf = (t: string) => t.split("\n").filter((l) => l.trim() !== "");

const perSecond = (
  transcripts: readonly string[],
  f: (t: string) => unknown,
  ms: number,
): number => {
  const lines = transcripts.reduce((n, t) => n + linesOf(t).length, 0);
  let rounds = 0;
  let sink = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    for (const t of transcripts) if (f(t) !== undefined) sink++;
    rounds++;
  }
  return sink >= 0 ? (rounds * lines) / (ms / 1000) : 0;
};

/** A decode measurement: lines per second, validated and bare, and their ratio (aim ≥ 0.8). */
export interface DecodeBench {
  readonly name: string;
  readonly lines: number;
  readonly validatedPerSec: number;
  readonly bareJsonPerSec: number;
  readonly ratio: number;
}

/** Measures both APIs: a transcript at once (`decodeTranscript`) and line by line. */
export async function benchDecode(): Promise<DecodeBench[]> {
  const transcripts = recordedTranscripts();
  const lines = transcripts.reduce((n, t) => n + linesOf(t).length, 0);
  const bare = (t: string) => linesOf(t).map((l) => JSON.parse(l) as unknown);
  const whole = (t: string) => decodeTranscript(t);
  const byLine = (t: string) => linesOf(t).map((l) => decodeEventLine(l));
  const fs = [bare, whole, byLine];
  for (const f of fs) perSecond(transcripts, f, 300);
  const best = [0, 0, 0];
  for (let round = 0; round < 5; round++)
    fs.forEach((f, i) => {
      best[i] = Math.max(best[i] ?? 0, perSecond(transcripts, f, 250));
    });
  const [b = 0, w = 0, l = 0] = best;
  return [
    {
      name: "decodeTranscript vs JSON.parse",
      lines,
      validatedPerSec: w,
      bareJsonPerSec: b,
      ratio: w / b,
    },
    {
      name: "decodeEventLine vs JSON.parse",
      lines,
      validatedPerSec: l,
      bareJsonPerSec: b,
      ratio: l / b,
    },
  ];
}
