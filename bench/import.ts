/**
 * The cost of `import("codex-fp")` (the built package, dist/) as a ratio to importing its own
 * runtime dependencies (io-ts, the fp-ts modules it uses, neverthrow). Each figure is the time
 * the import takes inside a fresh node process (process start-up excluded), runs interleaved,
 * the median of each counts. Also reports the size of the shipped `.d.ts`. Builds dist/ first
 * when it is older than lib/.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..");

/** The entry points codex-fp itself imports from its dependencies. */
const DEPS = ["io-ts", "fp-ts/lib/Either.js", "fp-ts/lib/TaskEither.js", "neverthrow"];

/** Files under `dir` (recursively) whose names end with `suffix`. */
const filesIn = (dir: string, suffix: string): string[] =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(suffix))
    .map((e) => join(e.parentPath, e.name));

const newest = (files: readonly string[]): number =>
  Math.max(0, ...files.map((f) => statSync(f).mtimeMs));

/** Runs `npm run build` unless dist/ is newer than every source file and the bundler script. */
const ensureBuilt = (): void => {
  let built = 0;
  try {
    built = statSync(join(ROOT, "dist", "index.js")).mtimeMs;
  } catch {
    built = 0;
  }
  const sources = [...filesIn(join(ROOT, "lib"), ".ts"), join(ROOT, "scripts", "bundle.ts")];
  if (built > newest(sources)) return;
  execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "ignore" });
};

/** Milliseconds `specifiers` take to import, in a fresh node process. */
const importMs = (specifiers: readonly string[]): number => {
  const script = [
    "const t0 = performance.now();",
    ...specifiers.map((s) => `await import(${JSON.stringify(s)});`),
    "process.stdout.write(String(performance.now() - t0));",
  ].join("\n");
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`import of ${specifiers.join(", ")} failed: ${r.stderr}`);
  return Number(r.stdout);
};

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1
    ? (s[mid] as number)
    : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

/** What `benchImport` measured. */
export interface ImportBench {
  readonly name: string;
  readonly runs: number;
  /** Median ms to import codex-fp's root. */
  readonly codexFpMs: number;
  /** Median ms to import its runtime dependencies. */
  readonly depsMs: number;
  /** codexFpMs / depsMs. */
  readonly ratio: number;
  /** Bytes of `.d.ts` in dist/. */
  readonly dtsBytes: number;
}

/** Import cost of the root entry vs its dependencies, over `runs` fresh processes each. */
export function benchImport(runs = 11): ImportBench {
  ensureBuilt();
  importMs(DEPS); // warm the file cache
  importMs(["codex-fp"]);
  const deps: number[] = [];
  const fp: number[] = [];
  for (let i = 0; i < runs; i++) {
    deps.push(importMs(DEPS));
    fp.push(importMs(["codex-fp"]));
  }
  const dtsBytes = filesIn(join(ROOT, "dist"), ".d.ts").reduce((n, f) => n + statSync(f).size, 0);
  const codexFpMs = median(fp);
  const depsMs = median(deps);
  return {
    name: 'import("codex-fp") vs importing io-ts, fp-ts, neverthrow',
    runs,
    codexFpMs,
    depsMs,
    ratio: codexFpMs / depsMs,
    dtsBytes,
  };
}
