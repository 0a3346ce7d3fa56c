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

import { mintContinuationToken, runTurn, startThread } from "../../lib/index.js";
import { applyDelta, baseOf, endOf, observedFrom, relate } from "../../lib/sessions/index.js";
import {
  buildExecCommand,
  flattenConfig,
  splitUsage,
  toTomlValue,
} from "../../lib/advanced/index.js";
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

  it("the helpers over library-built values refuse what their types refuse, with typed errors", () => {
    const tagOf = (r: { isErr: () => boolean; _unsafeUnwrapErr: () => { _tag: string } }) =>
      r.isErr() ? r._unsafeUnwrapErr()._tag : "Ok";
    expect(
      mintContinuationToken(
        untyped({ threadId: 42, lastTurnId: null, completedTurns: "1" }),
      )._unsafeUnwrapErr(),
    ).toMatchObject({
      _tag: "InvalidContinuationToken",
      issues: [{ path: "claim.threadId" }, { path: "claim.completedTurns" }],
    });
    const bytes = new Uint8Array(0);
    const local = { length: 0, exists: false };
    expect(
      [
        baseOf(untyped({ length: 1 })),
        endOf(untyped("{}")),
        applyDelta(untyped({}), untyped("bytes"), bytes),
        relate(untyped({ base: null, length: 0 }), bytes, untyped(local)),
      ].map(tagOf),
    ).toEqual(["InvalidArchive", "InvalidArchive", "InvalidArchive", "InvalidArchive"]);
    expect(
      [
        observedFrom(untyped({ threadId: "thread_1" })),
        splitUsage(untyped({ input_tokens: 1 })),
        buildExecCommand(untyped(null)),
        flattenConfig(untyped({ notify: () => 1 })),
        flattenConfig(untyped("model=x")),
        toTomlValue(untyped(null)),
      ].map(tagOf),
    ).toEqual(Array(6).fill("InvalidOptions"));
  });
});
