/**
 * Benchmark of `listSessions` over a large store: 10,000 rollouts of realistic shape, then the
 * same store with bodies ten times larger. The listing reads heads and tails only, so its time
 * should not grow with the bodies (aim: under 1 s for 10k files, ratio ≤ 1.2).
 *
 * The files are SPARSE, to spare the disk (10k × 3 MB would be 30 GB): each one is a real
 * `session_meta` line (the recording's, its base instructions padded to ~30 KB), then a hole of
 * 1–5 MB (10–50 MB in the second round) that reads as NUL bytes, closed by a newline, then a
 * real last turn (the `resume` recording's third run, ~6 KB) written at the end. Real disk use
 * is ~40 KB a file (~410 MB in all), removed afterwards. Timings are with a warm page cache
 * (one untimed listing first, then the median of three).
 */
import { mkdir, mkdtemp, open, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listSessions } from "../lib/shell/sessions.js";

const FILES = 10_000;
const PER_DAY = 100;
const HEAD_BYTES = 30 * 1024;
const GOLDEN = join(process.cwd(), "golden/codex-cli-0.169.0");
const GOLDEN_ID = "01a20fb5-345b-7f51-b6d3-8f2a9ee94142";

const hex = (n: number, width: number): string => n.toString(16).padStart(width, "0");
const threadIdOf = (i: number): string =>
  `${hex(0x01a30000 + i, 8)}-0000-7000-8000-${hex(i * 7919, 12)}`;

/** A deterministic body size in [min, max) (a linear congruential sequence). */
const sizes = (count: number, min: number, max: number): number[] => {
  let x = 12345;
  return Array.from({ length: count }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return min + Math.floor((x / 2 ** 31) * (max - min));
  });
};

interface Template {
  readonly head: (id: string, createdAt: string) => Buffer;
  readonly tail: (id: string) => Buffer;
}

const template = async (): Promise<Template> => {
  const lines = (await readFile(join(GOLDEN, "resume/rollout.jsonl"), "utf8")).split("\n");
  const meta = JSON.parse(lines[0] ?? "{}") as {
    payload: Record<string, unknown> & { base_instructions: { text: string } };
  };
  const text = meta.payload.base_instructions.text;
  const grow = Math.max(0, HEAD_BYTES - Buffer.byteLength(lines[0] ?? ""));
  meta.payload.base_instructions.text = text + " ".repeat(grow);
  const headJson = JSON.stringify(meta);
  // The third turn: from the second run's end (ordinal 28) to the last task_complete.
  const tailText = `\n${lines.slice(28, 38).join("\n")}\n`;
  return {
    head: (id, createdAt) =>
      Buffer.from(
        `${headJson
          .split(GOLDEN_ID)
          .join(id)
          .replace(/"timestamp":"[^"]*"/g, `"timestamp":"${createdAt}"`)}\n`,
      ),
    tail: (id) => Buffer.from(tailText.split(GOLDEN_ID).join(id)),
  };
};

/** Writes `FILES` sparse rollouts with bodies in [minBody, maxBody) under `home/sessions`. */
const generate = async (home: string, t: Template, minBody: number, maxBody: number) => {
  const bodies = sizes(FILES, minBody, maxBody);
  const base = Date.UTC(2026, 0, 1);
  const jobs = bodies.map((body, i) => ({ i, body }));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const { i, body } = jobs[next++] as { i: number; body: number };
      const day = new Date(base + Math.floor(i / PER_DAY) * 86_400_000);
      const at = new Date(day.getTime() + (i % PER_DAY) * 60_000);
      const iso = at.toISOString();
      const dir = join(
        home,
        "sessions",
        String(day.getUTCFullYear()),
        String(day.getUTCMonth() + 1).padStart(2, "0"),
        String(day.getUTCDate()).padStart(2, "0"),
      );
      await mkdir(dir, { recursive: true });
      const id = threadIdOf(i);
      const name = `rollout-${iso.slice(0, 19).replace(/:/g, "-")}-${id}.jsonl`;
      const head = t.head(id, iso);
      const tail = t.tail(id);
      const fh = await open(join(dir, name), "w");
      try {
        await fh.write(head, 0, head.length, 0);
        // Everything between is a hole: no disk blocks, read back as NUL bytes.
        await fh.write(tail, 0, tail.length, head.length + body);
      } finally {
        await fh.close();
      }
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
};

const timeListing = async (home: string): Promise<number> => {
  const runs: number[] = [];
  for (let k = 0; k < 4; k++) {
    const started = process.hrtime.bigint();
    const r = await listSessions({ codexHome: home });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (r.isErr()) throw new Error(`listSessions failed: ${r.error._tag}: ${r.error.message}`);
    const { sessions, problems } = r.value;
    if (sessions.length !== FILES || problems.length !== 0)
      throw new Error(`listed ${sessions.length} sessions and ${problems.length} problems`);
    if (sessions.some((s) => s.lastTurnId === null || s.cumulativeUsage === null))
      throw new Error("a listed session lacks its last turn");
    if (k > 0) runs.push(seconds); // the first run warms the caches
  }
  runs.sort((a, b) => a - b);
  return runs[Math.floor(runs.length / 2)] ?? Number.NaN;
};

/**
 * Times `listSessions` over 10,000 sparse rollouts with 1–5 MB bodies, then over the same
 * store with 10–50 MB bodies; returns the first time and the ratio of the second to it.
 */
export async function benchListSessions(): Promise<{
  name: string;
  files: number;
  seconds: number;
  ratioWhenBodies10x: number;
}> {
  const root = await mkdtemp(join(tmpdir(), "codex-fp-bench-sessions-"));
  try {
    const t = await template();
    const small = join(root, "small");
    await generate(small, t, 1024 * 1024, 5 * 1024 * 1024);
    const seconds = await timeListing(small);
    await rm(small, { recursive: true, force: true });
    const large = join(root, "large");
    await generate(large, t, 10 * 1024 * 1024, 50 * 1024 * 1024);
    const seconds10x = await timeListing(large);
    return {
      name: "listSessions (10k rollouts, head+tail)",
      files: FILES,
      seconds,
      ratioWhenBodies10x: seconds10x / seconds,
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
