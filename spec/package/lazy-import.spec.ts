/**
 * `import("codex-fp")` stays cheap: the generated app-server codecs (and the RPC client that
 * decodes with them) are not in the root's static run-time import graph; `openAppServer` loads
 * them with a dynamic `import()`. Each module is transpiled on its own (as `isolatedModules`
 * emits it), so type-only imports are dropped exactly as in dist/.
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import * as ts from "typescript";

const LIB = join(process.cwd(), "lib");

/** The static and dynamic run-time imports of one module, as its emitted JavaScript has them. */
const importsOf = (file: string): { readonly static: string[]; readonly dynamic: string[] } => {
  const js = ts.transpileModule(readFileSync(file, "utf8"), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const out = { static: [] as string[], dynamic: [] as string[] };
  const visit = (n: ts.Node): void => {
    if (
      (ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) &&
      n.moduleSpecifier !== undefined &&
      ts.isStringLiteral(n.moduleSpecifier)
    )
      out.static.push(n.moduleSpecifier.text);
    if (
      ts.isCallExpression(n) &&
      n.expression.kind === ts.SyntaxKind.ImportKeyword &&
      n.arguments[0] !== undefined &&
      ts.isStringLiteral(n.arguments[0])
    )
      out.dynamic.push(n.arguments[0].text);
    ts.forEachChild(n, visit);
  };
  visit(ts.createSourceFile(file, js, ts.ScriptTarget.ES2022, true));
  return out;
};

const toSource = (from: string, spec: string): string | null =>
  spec.startsWith(".") ? resolve(dirname(from), spec).replace(/\.js$/, ".ts") : null;

/**
 * Every lib module the entry loads statically, the lib modules it may load dynamically, and the
 * packages (and node: builtins) its static graph imports.
 */
const graphOf = (
  entry: string,
): { readonly loaded: Set<string>; readonly lazy: Set<string>; readonly packages: Set<string> } => {
  const loaded = new Set<string>();
  const lazy = new Set<string>();
  const packages = new Set<string>();
  const todo = [entry];
  for (let f = todo.pop(); f !== undefined; f = todo.pop()) {
    if (loaded.has(f)) continue;
    loaded.add(f);
    const { static: s, dynamic: d } = importsOf(f);
    for (const spec of s) {
      const src = toSource(f, spec);
      if (src !== null) todo.push(src);
      else packages.add(spec);
    }
    for (const spec of d) {
      const src = toSource(f, spec);
      if (src !== null) lazy.add(src);
    }
  }
  return { loaded, lazy, packages };
};

const rel = (f: string): string => f.slice(LIB.length + 1);

describe('import("codex-fp")', () => {
  const { loaded, lazy } = graphOf(join(LIB, "index.ts"));

  it("loads no generated app-server module and not the RPC client", () => {
    expect(loaded.size).toBeGreaterThan(20);
    expect([...loaded].map(rel).filter((f) => f.startsWith("generated/"))).toEqual([]);
    expect(loaded.has(join(LIB, "shell/app-server/rpc.ts"))).toBe(false);
    expect(loaded.has(join(LIB, "shell/app-server/protocol.ts"))).toBe(false);
  });

  it("has no lazy path to them either: openAppServer lives in codex-fp/app-server", () => {
    expect([...lazy].map(rel)).toEqual([]);
  });

  it("imports only its runtime dependencies, and hash-wasm only when first used", () => {
    const { packages } = graphOf(join(LIB, "index.ts"));
    const imported = [...packages].filter((p) => !p.startsWith("node:")).sort();
    expect(imported).toEqual(["fp-ts/lib/Either.js", "io-ts", "neverthrow", "signal-exit"]);
  });
});

describe('import("codex-fp/app-server")', () => {
  const { loaded, lazy } = graphOf(join(LIB, "app-server/index.ts"));

  it("loads them only through openAppServer's dynamic import", () => {
    expect([...loaded].map(rel).filter((f) => f.startsWith("generated/"))).toEqual([]);
    expect(loaded.has(join(LIB, "shell/app-server/rpc.ts"))).toBe(false);
    expect([...lazy].map(rel)).toEqual(["shell/app-server/rpc.ts"]);
    const { loaded: onOpen } = graphOf(join(LIB, "shell/app-server/rpc.ts"));
    expect(onOpen.has(join(LIB, "generated/app-server/index.ts"))).toBe(true);
  });
});
