/**
 * The codegen's effects: locate the pinned codex binary, run `generate-json-schema`, read the
 * bundles, read and write the output directory.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { resolveCodexBinary } from "../../lib/shell/codex-binary.js";
import { generateFromBundles } from "./generate.js";
import type { SchemaObject } from "./schema.js";
import { LIBRARY_SELECTION, type Selection } from "./selection.js";

/**
 * Path of the codex binary pinned in node_modules: the library's `resolveCodexBinary`, its
 * error thrown (a script may throw).
 */
export function codexBinaryPath(): string {
  const r = resolveCodexBinary();
  if (r.isErr()) throw new Error(r.error.message);
  return r.value.path;
}

/** "0.169.0" from `codex --version` ("codex-cli 0.169.0"). */
export function codexVersion(codex: string): string {
  const r = spawnSync(codex, ["--version"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${codex} --version failed: ${r.stderr}`);
  const m = /(\d+\.\d+\.\d+\S*)/.exec(r.stdout);
  if (!m || m[1] === undefined) throw new Error(`cannot parse codex version from: ${r.stdout}`);
  return m[1];
}

/** Run `codex app-server generate-json-schema` into `outDir` with an empty CODEX_HOME. */
export function runGenerateJsonSchema(
  codex: string,
  outDir: string,
  flags: readonly string[],
): void {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "codex-home-"));
  try {
    const r = spawnSync(codex, ["app-server", "generate-json-schema", ...flags, "--out", outDir], {
      encoding: "utf8",
      env: { ...process.env, CODEX_HOME: home },
    });
    if (r.status !== 0) throw new Error(`generate-json-schema failed (${r.status}): ${r.stderr}`);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

/** The flags the committed output is generated with. */
export const SCHEMA_FLAGS = ["--experimental"] as const;

/** The bundle file `generate-json-schema --out DIR` writes. */
export const BUNDLE_FILE = "codex_app_server_protocol.schemas.json";
/** Where the generated modules are committed. */
export const OUTPUT_DIR = path.join("lib", "generated", "app-server");

/** The bundle in a directory written by `generate-json-schema --out DIR`. */
export function readBundle(schemaDir: string): SchemaObject {
  return JSON.parse(fs.readFileSync(path.join(schemaDir, BUNDLE_FILE), "utf8")) as SchemaObject;
}

/** The bundles (with and without `--experimental`) and version of a codex binary. */
export interface CodexSchemas {
  readonly bundle: SchemaObject;
  readonly stableBundle: SchemaObject;
  readonly cliVersion: string;
}

/** Run `codex` (default: the pinned binary) twice — with and without `--experimental`. */
export function schemasFromCodex(codex: string = codexBinaryPath()): CodexSchemas {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "codex-schema-"));
  try {
    const full = path.join(tmp, "experimental");
    const stable = path.join(tmp, "stable");
    runGenerateJsonSchema(codex, full, SCHEMA_FLAGS);
    runGenerateJsonSchema(codex, stable, []);
    return {
      bundle: readBundle(full),
      stableBundle: readBundle(stable),
      cliVersion: codexVersion(codex),
    };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The generated modules from the schemas of `codex`, for `selection` (default: the library's). */
export function generateFromSchemas(
  schemas: CodexSchemas,
  selection: Selection | "all" = LIBRARY_SELECTION,
): Promise<Map<string, string>> {
  return generateFromBundles({
    ...schemas,
    schemaFlags: SCHEMA_FLAGS,
    ...(selection === "all" ? {} : { selection }),
  });
}

/** The generated modules from the pinned codex binary (or `codex`). */
export function generateWithCodex(
  codex: string = codexBinaryPath(),
  selection: Selection | "all" = LIBRARY_SELECTION,
): Promise<Map<string, string>> {
  return generateFromSchemas(schemasFromCodex(codex), selection);
}

/** Generate from a directory written by `generate-json-schema --experimental --out DIR`. */
export function generate(
  schemaDir: string,
  opts: {
    readonly stableSchemaDir?: string;
    readonly cliVersion: string;
    /** Default: the library's selection; "all" for a codec of every definition. */
    readonly selection?: Selection | "all";
  },
): Promise<Map<string, string>> {
  const selection = opts.selection ?? LIBRARY_SELECTION;
  return generateFromBundles({
    bundle: readBundle(schemaDir),
    ...(opts.stableSchemaDir ? { stableBundle: readBundle(opts.stableSchemaDir) } : {}),
    cliVersion: opts.cliVersion,
    schemaFlags: SCHEMA_FLAGS,
    ...(selection === "all" ? {} : { selection }),
  });
}

/** The `.ts` files currently in `dir`, as name -> contents. */
export function readOutputDir(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!fs.existsSync(dir)) return out;
  for (const f of fs.readdirSync(dir).sort()) {
    if (f.endsWith(".ts")) out.set(f, fs.readFileSync(path.join(dir, f), "utf8"));
  }
  return out;
}

/** Write `files` into `dir`, deleting `.ts` files there that are no longer generated. */
export function writeOutputDir(dir: string, files: ReadonlyMap<string, string>): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(dir)) {
    if (f.endsWith(".ts") && !files.has(f)) fs.rmSync(path.join(dir, f));
  }
  for (const [f, text] of files) fs.writeFileSync(path.join(dir, f), text);
}
