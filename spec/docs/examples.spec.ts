/**
 * The examples in README.md and docs/*.md: every ```ts block compiles (one TypeScript program
 * for all of them, `codex-fp` and its subpaths mapped to their sources under lib/) and runs
 * (one node process importing each block in turn, the imports rewritten to those sources). A
 * block marked ```ts no-run is only compiled. Also: the error reference names every `_tag` the library declares.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";

import ts from "typescript";

const ROOT = process.cwd();
const WORK = join(ROOT, ".tmp/doc-examples");
const ERROR_REFERENCE = "docs/thread-lifecycle.md";

interface Block {
  /** Where it is, as `file:line` (the line of the opening fence). */
  readonly where: string;
  /** The file the block is written to (ESM TypeScript, under .tmp/). */
  readonly file: string;
  readonly source: string;
  readonly run: boolean;
}

const markdownFiles = (): string[] => [
  "README.md",
  ...readdirSync(join(ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => `docs/${f}`),
];

/** The ```ts blocks of a markdown file, with their info strings. */
const blocksOf = (doc: string): Block[] => {
  const text = readFileSync(join(ROOT, doc), "utf8");
  const fence = /^```(?:ts|typescript)\b([^\n]*)\n([\s\S]*?)^```[ \t]*$/gm;
  const blocks: Block[] = [];
  for (let m = fence.exec(text); m !== null; m = fence.exec(text)) {
    const line = text.slice(0, m.index).split("\n").length;
    const slug = basename(doc, ".md").replace(/[^A-Za-z0-9]+/g, "-");
    blocks.push({
      where: `${doc}:${line}`,
      file: join(WORK, `${slug}-${line}.ts`),
      // `export {}` makes every block a module, so blocks never share a scope.
      source: `${m[2] ?? ""}\nexport {};\n`,
      run: !/\bno-run\b/.test(m[1] ?? ""),
    });
  }
  return blocks;
};

/**
 * The package's entry points (`codex-fp`, `codex-fp/testing` …) and the source file of each:
 * package.json's `exports`, with `./dist/x.js` read as `lib/x.ts`.
 */
const entryPoints = (): Map<string, string> => {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
    name: string;
    exports: Record<string, string | { import?: string }>;
  };
  const entries = new Map<string, string>();
  for (const [key, target] of Object.entries(pkg.exports)) {
    const built = typeof target === "string" ? target : target.import;
    if (built === undefined || !/^\.\/dist\/.*\.js$/.test(built)) continue;
    const specifier = key === "." ? pkg.name : `${pkg.name}/${key.replace(/^\.\//, "")}`;
    entries.set(
      specifier,
      join(ROOT, "lib", built.slice("./dist/".length).replace(/\.js$/, ".ts")),
    );
  }
  return entries;
};
const ENTRY_POINTS = entryPoints();

/** Imports of the package pointed at the library's source, for running under tsx. */
const forRunning = (source: string): string =>
  source.replace(
    /(\bfrom\s*|\bimport\s*\(\s*)(["'])(codex-fp(?:\/[\w./-]+)?)\2/g,
    (whole, lead: string, quote: string, specifier: string) => {
      const file = ENTRY_POINTS.get(specifier);
      return file === undefined ? whole : `${lead}${quote}${file}${quote}`;
    },
  );

/** Type-checks every block in one program; returns the diagnostics per block file. */
const compile = (blocks: readonly Block[]): Map<string, string[]> => {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, "tsconfig.json"),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    },
  );
  if (config === undefined) throw new Error("cannot read tsconfig.json");
  const options: ts.CompilerOptions = {
    ...config.options,
    noEmit: true,
    declaration: false,
    sourceMap: false,
    paths: Object.fromEntries([...ENTRY_POINTS].map(([specifier, file]) => [specifier, [file]])),
  };
  const program = ts.createProgram(
    blocks.map((b) => b.file),
    options,
  );
  const byFile = new Map<string, string[]>(blocks.map((b) => [b.file, []]));
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const file = d.file?.fileName;
    if (file === undefined || !byFile.has(file)) continue;
    const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
    byFile
      .get(file)
      ?.push(`line ${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
  }
  return byFile;
};

/** Runs every runnable block in one node process; returns the error of each, or null. */
const runAll = (blocks: readonly Block[]): Map<string, string | null> => {
  const runnable = blocks.filter((b) => b.run);
  const files = runnable.map((b) => b.file.replace(/\.ts$/, ".run.ts"));
  runnable.forEach((b, i) => writeFileSync(files[i] ?? "", forRunning(b.source)));
  const results = join(WORK, "results.json");
  const runner = join(WORK, "run-all.mjs");
  writeFileSync(
    runner,
    `import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const files = ${JSON.stringify(files)};
const out = {};
for (const f of files) {
  try {
    await import(pathToFileURL(f).href);
    out[f] = null;
  } catch (e) {
    out[f] = String((e && e.stack) || e);
  }
}
writeFileSync(${JSON.stringify(results)}, JSON.stringify(out));
`,
  );
  const child = spawnSync(process.execPath, ["--import", "tsx", runner], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
  });
  const parsed = (() => {
    try {
      return JSON.parse(readFileSync(results, "utf8")) as Record<string, string | null>;
    } catch {
      return null;
    }
  })();
  return new Map(
    runnable.map((b, i) => [
      b.file,
      parsed === null
        ? `the runner failed (status ${child.status}): ${child.stderr}`
        : (parsed[files[i] ?? ""] ?? null),
    ]),
  );
};

/** The `_tag`s declared in the library's error unions (generated code aside). */
const declaredTags = (): string[] => {
  const tags = new Set<string>();
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== "generated") walk(p);
      } else if (e.name.endsWith(".ts")) {
        const text = readFileSync(p, "utf8");
        for (const m of text.matchAll(/readonly _tag: "([A-Za-z]+)"/g)) tags.add(m[1] ?? "");
        // Tags declared as a union of names (DecodingErrorTag) count too.
        for (const block of text.matchAll(/type [A-Za-z]*ErrorTag =([^;]+);/g))
          for (const m of (block[1] ?? "").matchAll(/"([A-Za-z]+)"/g)) tags.add(m[1] ?? "");
      }
    }
  };
  walk(join(ROOT, "lib"));
  return [...tags].sort();
};

describe("the documentation's examples", () => {
  const blocks = markdownFiles().flatMap(blocksOf);
  let diagnostics = new Map<string, string[]>();
  let runs = new Map<string, string | null>();

  beforeAll(() => {
    rmSync(WORK, { recursive: true, force: true });
    mkdirSync(WORK, { recursive: true });
    for (const b of blocks) writeFileSync(b.file, b.source);
    diagnostics = compile(blocks);
    runs = runAll(blocks);
  }, 120_000);

  it("include the thread lifecycle's", () => {
    const lifecycle = blocks.filter((b) => b.where.startsWith("docs/thread-lifecycle.md"));
    expect(lifecycle.length).toBeGreaterThanOrEqual(10);
  });

  describe.each(blocks.map((b) => [b.where, b] as const))("the block at %s", (_, block) => {
    it("compiles", () => {
      expect(diagnostics.get(block.file)).toEqual([]);
    });

    if (block.run)
      it("runs", () => {
        expect(runs.get(block.file)).toBeNull();
      });
  });
});

describe("the error reference", () => {
  it(`(${ERROR_REFERENCE}) names every _tag the library declares`, () => {
    const reference = readFileSync(join(ROOT, ERROR_REFERENCE), "utf8");
    const section = reference.slice(reference.indexOf("## Error reference"));
    const missing = declaredTags().filter((tag) => !section.includes(`\`${tag}\``));
    expect(missing).toEqual([]);
  });
});
