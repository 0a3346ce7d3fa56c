/**
 * `npm run golden:update`: replays every golden scenario and rewrites golden/expected/, then
 * shows what changed (a diff per changed file). Review the diff before committing it.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { allScenarios, expectedPath, formatOutputs, replayScenario } from "./golden-lib.js";

const out = (s: string) => process.stdout.write(`${s}\n`);
let changed = 0;
const scratch = mkdtempSync(join(tmpdir(), "golden-old-"));
for (const s of allScenarios()) {
  const path = expectedPath(s);
  const next = formatOutputs(await replayScenario(s));
  const prev = existsSync(path) ? readFileSync(path, "utf8") : null;
  if (prev === next) continue;
  changed++;
  mkdirSync(dirname(path), { recursive: true });
  const old = join(scratch, `${changed}.json`);
  writeFileSync(old, prev ?? "");
  writeFileSync(path, next);
  out(prev === null ? `new      ${s.name}` : `changed  ${s.name}`);
  if (prev !== null)
    spawnSync("git", ["--no-pager", "diff", "--no-index", "--color=never", old, path], {
      stdio: "inherit",
    });
}
out(changed === 0 ? "golden outputs unchanged" : `${changed} golden output file(s) written`);
