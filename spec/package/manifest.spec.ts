/**
 * package.json keeps its promises: the CLI pinned to the version the codecs and recordings come
 * from, a TypeScript range the linter supports, no side effects on import, the license file.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CODEX_CLI_VERSION } from "../../lib/generated/app-server/version.js";

const ROOT = process.cwd();
type Manifest = {
  readonly version: string;
  readonly license?: string;
  readonly sideEffects?: unknown;
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
};
const manifest = (file: string): Manifest =>
  JSON.parse(readFileSync(join(ROOT, file), "utf8")) as Manifest;
const pkg = manifest("package.json");
const triple = (s: string): [number, number, number] => {
  const m = /(\d+)\.(\d+)\.(\d+)/.exec(s);
  if (m === null) throw new Error(`no version in ${s}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
};
const below = (a: readonly number[], b: readonly number[]): boolean => {
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  return false;
};

describe("package.json", () => {
  it("pins @openai/codex exactly to the version of the generated codecs and golden recordings", () => {
    expect(pkg.dependencies?.["@openai/codex"]).toBe(CODEX_CLI_VERSION);
    expect(manifest("node_modules/@openai/codex/package.json").version).toBe(CODEX_CLI_VERSION);
    expect(existsSync(join(ROOT, "golden", `codex-cli-${CODEX_CLI_VERSION}`))).toBe(true);
    expect(existsSync(join(ROOT, "golden", `app-server-${CODEX_CLI_VERSION}`))).toBe(true);
  });

  it("admits only TypeScript patch releases, all inside typescript-eslint's supported range", () => {
    const declared = pkg.devDependencies?.typescript ?? "";
    expect(declared).toMatch(/^~\d+\.\d+\.\d+$/);
    const [major, minor] = triple(declared);
    const peer = manifest("node_modules/typescript-eslint/package.json").peerDependencies
      ?.typescript;
    const upper = /<\s*(\d+\.\d+\.\d+)/.exec(peer ?? "")?.[1];
    expect(upper).toBeDefined();
    // The first version the tilde range excludes is at or below the first one the linter does.
    expect(below(triple(upper ?? ""), [major, minor + 1, 0])).toBe(false);
    expect(manifest("node_modules/typescript/package.json").version).toMatch(
      new RegExp(`^${major}\\.${minor}\\.`),
    );
  });

  it("declares no side effects, and no module of lib/ is imported for its side effects", () => {
    expect(pkg.sideEffects).toBe(false);
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory()
          ? files(join(dir, e.name))
          : e.name.endsWith(".ts")
            ? [join(dir, e.name)]
            : [],
      );
    const bare = files(join(ROOT, "lib")).filter((f) =>
      /^import\s+["'][^"']+["'];?\s*$/m.test(readFileSync(f, "utf8")),
    );
    expect(bare).toEqual([]);
  });

  it("ships the MIT license it declares", () => {
    expect(pkg.license).toBe("MIT");
    const license = readFileSync(join(ROOT, "LICENSE"), "utf8");
    expect(license.split("\n")[0]).toBe("MIT License");
    expect(license).toContain("Copyright (c) 2026 codex-fp contributors");
  });
});
