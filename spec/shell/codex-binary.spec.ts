/**
 * Finding the codex binary (lib/shell/codex-binary): the library's own dependency and, through
 * `vendorBinaryOf`, another install's (the SDK's older CLI, which golden-record records with).
 */
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveCodexBinary, vendorBinaryOf } from "../../lib/shell/codex-binary.js";

const requireHere = createRequire(join(process.cwd(), "package.json"));

describe("vendorBinaryOf", () => {
  it("finds the platform binary of an @openai/codex install, as resolveCodexBinary does", () => {
    const own = vendorBinaryOf(requireHere.resolve("@openai/codex/package.json"));
    expect(own.isOk() && existsSync(own.value.path)).toBe(true);
    expect(own._unsafeUnwrap()).toEqual(resolveCodexBinary()._unsafeUnwrap());
  });

  it("is CodexNotFound for a package.json that has no platform package beside it", () => {
    // (a folder outside the project: no node_modules up its tree holds the platform package)
    const r = vendorBinaryOf(join(tmpdir(), "codex-fp-no-codex", "package.json"));
    expect(r.isErr() && r.error._tag).toBe("CodexNotFound");
  });
});

describe("resolveCodexBinary", () => {
  it("an override must exist: CodexNotFound at codexPath otherwise", () => {
    const r = resolveCodexBinary("/nonexistent/codex");
    expect(r.isErr() && r.error).toMatchObject({ _tag: "CodexNotFound", path: "codexPath" });
  });
});
