/**
 * Regenerate lib/generated/app-server/ from the pinned codex CLI's app-server JSON Schemas.
 *
 *   npm run codegen                       # use node_modules' @openai/codex platform binary
 *   npm run codegen -- --codex /path/to/codex
 *   npm run codegen -- --check            # exit 1 if the committed output is stale
 *   npm run codegen -- --out DIR          # write somewhere else
 */
import * as path from "node:path";
import {
  generateWithCodex,
  OUTPUT_DIR,
  readOutputDir,
  codexBinaryPath,
  writeOutputDir,
} from "./codegen-lib.js";

function argValue(args: readonly string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  if (i === -1) return undefined;
  const v = args[i + 1];
  if (v === undefined || v.startsWith("--")) throw new Error(`${flag} needs a value`);
  return v;
}

async function main(args: readonly string[]): Promise<number> {
  const codex = argValue(args, "--codex") ?? codexBinaryPath();
  const outDir = path.resolve(argValue(args, "--out") ?? OUTPUT_DIR);
  const files = await generateWithCodex(codex);
  if (args.includes("--check")) {
    const current = readOutputDir(outDir);
    const stale = [...new Set([...files.keys(), ...current.keys()])].filter(
      (f) => files.get(f) !== current.get(f),
    );
    if (stale.length > 0) {
      process.stderr.write(
        `stale generated files in ${outDir}: ${stale.join(", ")}\nrun: npm run codegen\n`,
      );
      return 1;
    }
    process.stdout.write(`${outDir} is up to date (${files.size} files)\n`);
    return 0;
  }
  writeOutputDir(outDir, files);
  const lines = [...files.values()].reduce((n, s) => n + s.split("\n").length - 1, 0);
  process.stdout.write(`wrote ${files.size} files, ${lines} lines to ${outDir} (codex ${codex})\n`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
