/**
 * Bundles the published JavaScript: one ES module per entry in package.json's `exports`
 * (`./dist/x/index.js` is built from `lib/x/index.ts`), the code they share split into
 * `dist/chunks/`, dependencies left as imports. A module is evaluated once however many entries
 * load it, and a dynamic `import()` stays a separate chunk: the app-server codecs still load
 * only with `openAppServer`. One file per entry instead of ~90 cuts what `import("codex-fp")`
 * spends resolving and loading modules (`npm run bench import`). The `.d.ts` come from `tsc`.
 * `node --import tsx scripts/bundle.ts`, run by `npm run build` after `tsc`.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { build, type Plugin } from "esbuild";

const ROOT = join(import.meta.dirname, "..");

/** The `import` targets of package.json's `exports`, e.g. `./dist/codecs/index.js`. */
const exportTargets = (): string[] => {
  const pkg: unknown = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  const exports =
    typeof pkg === "object" && pkg !== null && "exports" in pkg ? pkg.exports : undefined;
  if (typeof exports !== "object" || exports === null) return [];
  return Object.values(exports).flatMap((v: unknown) =>
    typeof v === "object" && v !== null && "import" in v && typeof v.import === "string"
      ? [v.import]
      : [],
  );
};

/** `./dist/x/index.js` → `{ in: lib/x/index.ts, out: x/index }` (esbuild adds `.js`). */
const entryPoints = exportTargets().map((target) => {
  const rel = target.replace(/^\.\/dist\//, "").replace(/\.js$/, "");
  return { in: join(ROOT, "lib", `${rel}.ts`), out: rel };
});

const ROOT_ENTRY = join(ROOT, "lib", "index.ts");

/**
 * Makes every subpath entry reach the root's module graph too, through an import marked as
 * having side effects (so it is not shaken out). esbuild puts each module in the chunk of the
 * entries that reach it: with every entry reaching the root's graph, that graph becomes a single
 * shared chunk, and `import("codex-fp")` loads two files instead of one per combination of
 * entries. The subpaths' exports are unchanged.
 */
const rootGraphInOneChunk: Plugin = {
  name: "root-graph-in-one-chunk",
  setup(b) {
    const subpaths = new Set(entryPoints.map((e) => e.in).filter((f) => f !== ROOT_ENTRY));
    b.onLoad({ filter: /\/lib\/.*\/index\.ts$/ }, (args) =>
      subpaths.has(args.path)
        ? {
            contents: `${readFileSync(args.path, "utf8")}\nimport ${JSON.stringify(ROOT_ENTRY)};\n`,
            loader: "ts",
            resolveDir: dirname(args.path),
          }
        : undefined,
    );
    b.onResolve({ filter: /\/lib\/index\.ts$/ }, (args) =>
      args.path === ROOT_ENTRY ? { path: ROOT_ENTRY, sideEffects: true } : undefined,
    );
  },
};

await build({
  entryPoints,
  plugins: [rootGraphInOneChunk],
  outdir: join(ROOT, "dist"),
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  chunkNames: "chunks/[name]-[hash]",
  logLevel: "warning",
});
