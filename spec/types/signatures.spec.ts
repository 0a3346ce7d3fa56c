/**
 * Type-level tests, run by `npm test`: the TypeScript checker over spec/types/signatures.check.ts
 * (and the input types' own spec), which holds both what must compile and, marked
 * `@ts-expect-error`, what must not. Any diagnostic fails: a line that stops compiling, or an
 * expected error that is no longer an error (TS2578). jest's transform only strips types, so
 * this is where the types are checked. The runtime half: the same bad calls made untyped, as
 * JavaScript would make them, are still refused with every issue at once.
 */
import { join } from "node:path";

import ts from "typescript";

import { runTurn, startThread } from "../../lib/index.js";
import { untyped } from "../support/untyped.js";

const ROOT = process.cwd();
const CHECKED = ["spec/types/signatures.check.ts", "spec/core/option-inputs.spec.ts"];

/** The diagnostics of `files`, type-checked with the project's compiler options. */
const diagnosticsOf = (files: readonly string[]): string[] => {
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
  const paths = files.map((f) => join(ROOT, f));
  const program = ts.createProgram(paths, { ...config.options, noEmit: true });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file === undefined || paths.includes(d.file.fileName))
    .map((d) => {
      const where =
        d.file === undefined
          ? ""
          : `${d.file.fileName.slice(ROOT.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: `;
      return `${where}TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    });
};

describe("the public signatures (type level)", () => {
  it("compile what a caller should write and refuse typos, wrong types and closed-union misses", () => {
    expect(diagnosticsOf(CHECKED)).toEqual([]);
  }, 120_000);
});

describe("the same calls made untyped (JavaScript, data from outside)", () => {
  it("startThread reports every issue of both option objects at once", () => {
    const r = startThread(
      untyped({ apiKey: 123 }),
      untyped({ modle: "x", sandboxMode: "readonly" }),
    );
    expect(r._unsafeUnwrapErr()).toMatchObject({
      _tag: "InvalidApiKey",
      issues: [
        { path: "codexOptions.apiKey" },
        { path: "threadOptions.sandboxMode" },
        { path: "threadOptions.modle" },
      ],
    });
  });

  it("runTurn refuses a bad input and bad turn options at once, before any process", async () => {
    const thread = startThread()._unsafeUnwrap();
    const r = await runTurn(thread, untyped(42), untyped({ timeoutMs: "5" }), {
      codexPath: "/nonexistent/codex",
    });
    expect(r._unsafeUnwrapErr()).toMatchObject({
      _tag: "InvalidOptions",
      path: "turnOptions.timeoutMs",
      issues: [{ path: "turnOptions.timeoutMs" }, { path: "input" }],
    });
  });
});
