/**
 * Layout of the generated modules: prettier (pinned exactly in package.json, so the output and
 * `codegen --check` do not drift) with the project's settings given here rather than looked up,
 * so the output does not depend on where it runs. prettier runs in a child node process: its
 * CommonJS entry loads its core with a dynamic `import()`, which jest's module runtime refuses.
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import * as path from "node:path";

/** The project's .prettierrc.json, as CLI flags. */
const FLAGS = [
  "--no-config",
  "--no-editorconfig",
  "--parser",
  "typescript",
  "--print-width",
  "100",
];

/** `source` laid out by prettier. */
export const formatModule = async (source: string): Promise<string> => {
  const req = createRequire(path.join(process.cwd(), "package.json"));
  const bin = path.join(path.dirname(req.resolve("prettier/package.json")), "bin", "prettier.cjs");
  const r = spawnSync(process.execPath, [bin, ...FLAGS], {
    input: source,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`prettier failed on generated code: ${r.stderr}`);
  return r.stdout;
};
