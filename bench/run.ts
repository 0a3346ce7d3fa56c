/**
 * `npm run bench`: every benchmark, each as a ratio against a baseline run in the same process.
 * Prints a table (and the raw figures as JSON with `--json`).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { benchArchive } from "./archive.js";
import { benchDecode } from "./decode.js";
import { benchFold } from "./fold.js";
import { benchImport } from "./import.js";
import { benchListSessions } from "./sessions.js";
import { benchStartThread, benchStartThreadTypical } from "./start-thread.js";
import { benchTurns } from "./turns.js";

const out = (s: string) => process.stdout.write(`${s}\n`);
const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));
const rows: string[][] = [];
const raw: Record<string, unknown> = {};
const only = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const want = (name: string) => only.length === 0 || only.includes(name);

if (want("decode")) {
  const r = await benchDecode();
  raw["decode"] = r;
  for (const d of r)
    rows.push([
      d.name,
      `${fmt(d.validatedPerSec / 1e6)} M lines/s vs ${fmt(d.bareJsonPerSec / 1e6)} M`,
      `${fmt(d.ratio)}×`,
      "≥ 0.8×",
    ]);
}
if (want("fold")) {
  const r = await benchFold();
  raw["fold"] = r;
  rows.push([
    r.name,
    `${fmt(r.largeMs, 0)} ms vs ${fmt(r.smallMs, 0)} ms, RSS +${fmt(r.rssGrowthMb, 0)} MB`,
    `${fmt(r.ratio)}×`,
    "< 10×, < 100 MB",
  ]);
}
if (want("start")) {
  for (const r of [await benchStartThreadTypical(), await benchStartThread()]) {
    raw[r.name] = r;
    rows.push([
      r.name,
      `${Math.round(r.opsPerSec / 1000)} k/s (plain object: ${Math.round(r.baselineOpsPerSec / 1e6)} M/s)`,
      `${fmt(r.ratio, 4)}×`,
      "≥ 200 k/s",
    ]);
  }
}
if (want("sessions")) {
  const r = await benchListSessions();
  raw["sessions"] = r;
  rows.push([
    `listSessions over ${r.files} rollouts (1–5 MB bodies)`,
    `${fmt(r.seconds)} s`,
    `${fmt(r.ratioWhenBodies10x)}× with 10× bodies`,
    "< 1 s, ≤ 1.2×",
  ]);
}
if (want("archive")) {
  const r = await benchArchive();
  raw["archive"] = r;
  rows.push([
    `export + import of one turn's delta (${Math.round(r.deltaBytes / 1024)} KB), turn 50 vs turn 1`,
    `${fmt(r.turn50Ms)} ms vs ${fmt(r.turn1Ms)} ms (${Math.round(r.rolloutBytesAt50 / 1024)} KB at 50)`,
    `${fmt(r.ratio)}×`,
    "≤ 1.2×",
  ]);
}
if (want("turns")) {
  const r = await benchTurns();
  raw["turns"] = r;
  rows.push([
    r.name,
    `${fmt(r.codexFpMs, 0)} ms vs ${fmt(r.officialSdkMs, 0)} ms`,
    `${fmt(r.ratio)}×`,
    "≤ 1.02×",
  ]);
  rows.push([
    "time to first event vs @openai/codex-sdk",
    `${fmt(r.firstEventCodexFpMs, 0)} ms vs ${fmt(r.firstEventOfficialSdkMs, 0)} ms`,
    `${fmt(r.firstEventCodexFpMs / r.firstEventOfficialSdkMs)}×`,
    "no later",
  ]);
}
if (want("import")) {
  const r = benchImport();
  raw["import"] = r;
  rows.push([
    r.name,
    `${fmt(r.codexFpMs, 0)} ms vs ${fmt(r.depsMs, 0)} ms (median of ${r.runs}); .d.ts ${fmt(r.dtsBytes / 1e6)} MB`,
    `${fmt(r.ratio)}×`,
    "≤ 1.3×",
  ]);
}
if (want("app-server") && existsSync(join(import.meta.dirname, "app-server.ts"))) {
  const { benchAppServer } = (await import("./app-server.js")) as {
    benchAppServer: () => Promise<{
      name: string;
      appServerMs: number;
      execMs: number;
      officialSdkMs: number;
      ratioToOfficialSdk: number;
    }>;
  };
  const r = await benchAppServer();
  raw["app-server"] = r;
  rows.push([
    r.name,
    `${fmt(r.appServerMs, 0)} ms (exec ${fmt(r.execMs, 0)} ms, official SDK ${fmt(r.officialSdkMs, 0)} ms)`,
    `${fmt(r.ratioToOfficialSdk)}×`,
    "≤ 0.3×",
  ]);
}
if (want("fleet")) {
  const { hasRedisServer } = await import("../spec/support/redis.js");
  if (hasRedisServer()) {
    const { benchFleet, fleetRows } = await import("./fleet.js");
    const r = await benchFleet();
    raw["fleet"] = r;
    rows.push(...fleetRows(r));
  } else out("fleet: skipped (redis-server is not installed: apt-get install -y redis-server)");
}

const header = ["benchmark", "measured", "ratio", "aim"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
out(line(header));
out(line(widths.map((w) => "-".repeat(w))));
for (const r of rows) out(line(r));
if (process.argv.includes("--json")) out(JSON.stringify(raw, null, 2));
