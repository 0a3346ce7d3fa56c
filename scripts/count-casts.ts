/**
 * Counts the type assertions in lib/ (generated code excluded), from the TypeScript syntax tree:
 * every `x as T` and `<T>x`, except `as const`. Comments, strings and imports (`import * as`)
 * are not expressions, so they are never counted. `npx tsx scripts/count-casts.ts [--list]`.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return p === join("lib", "generated") ? [] : files(p);
    return p.endsWith(".ts") ? [p] : [];
  });

const isConst = (n: ts.AsExpression): boolean =>
  ts.isTypeReferenceNode(n.type) && n.type.typeName.getText() === "const";

const list = process.argv.includes("--list");
const perFile = new Map<string, number>();
for (const file of files("lib")) {
  const src = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const visit = (n: ts.Node): void => {
    if ((ts.isAsExpression(n) && !isConst(n)) || ts.isTypeAssertionExpression(n)) {
      perFile.set(file, (perFile.get(file) ?? 0) + 1);
      if (list) {
        const { line } = src.getLineAndCharacterOfPosition(n.getStart());
        process.stdout.write(
          `${file}:${line + 1}: ${n.getText().replace(/\s+/g, " ").slice(0, 100)}\n`,
        );
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
}
const total = [...perFile.values()].reduce((a, b) => a + b, 0);
for (const [f, n] of [...perFile].sort((a, b) => b[1] - a[1])) process.stdout.write(`${n}\t${f}\n`);
process.stdout.write(`${total}\ttotal\n`);
