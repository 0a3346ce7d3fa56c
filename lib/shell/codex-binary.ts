/**
 * Finds the `codex` binary the way `@openai/codex-sdk` does: the platform package that
 * `@openai/codex` (our dependency) installs, with its helper directories for PATH. An explicit
 * path (`codexPathOverride`, `deps.codexPath`) wins.
 */
import { createRequire } from "node:module";
import { statSync } from "node:fs";
import { dirname, join } from "node:path";
import { err, ok, type Result } from "neverthrow";
import { codexNotFound, type Of, type ShellError } from "../core/errors/index.js";

/** The error of a binary that is not there. */
type CodexNotFound = Of<ShellError, "CodexNotFound">;
import { moduleUrl } from "./internal/here.js";

/** The binary to run and the directories to put first on its PATH. */
export interface CodexBinary {
  readonly path: string;
  readonly pathDirs: readonly string[];
}

const PLATFORM_PACKAGES: Record<string, string> = {
  "x86_64-unknown-linux-musl": "@openai/codex-linux-x64",
  "aarch64-unknown-linux-musl": "@openai/codex-linux-arm64",
  "x86_64-apple-darwin": "@openai/codex-darwin-x64",
  "aarch64-apple-darwin": "@openai/codex-darwin-arm64",
  "x86_64-pc-windows-msvc": "@openai/codex-win32-x64",
  "aarch64-pc-windows-msvc": "@openai/codex-win32-arm64",
};

/** The target triple of a platform and architecture, or null when codex ships none. */
export const targetTriple = (platform: string, arch: string): string | null => {
  const os =
    platform === "linux" || platform === "android"
      ? "unknown-linux-musl"
      : platform === "darwin"
        ? "apple-darwin"
        : platform === "win32"
          ? "pc-windows-msvc"
          : null;
  const cpu = arch === "x64" ? "x86_64" : arch === "arm64" ? "aarch64" : null;
  return os === null || cpu === null ? null : `${cpu}-${os}`;
};

const isFile = (p: string): boolean => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};
const isDir = (p: string): boolean => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

const notFound = (message: string): CodexNotFound => codexNotFound("codexPath", message);

/**
 * The binary of the `@openai/codex` package whose package.json is at `codexPackageJson`: its
 * platform package's `vendor/<triple>/bin/codex` (or the older `vendor/<triple>/codex/codex`
 * layout), with its helper directories for PATH. The library resolves its own dependency so;
 * scripts use it for another install (the SDK's older CLI, for recording).
 */
export const vendorBinaryOf = (codexPackageJson: string): Result<CodexBinary, CodexNotFound> => {
  const triple = targetTriple(process.platform, process.arch);
  const pkg = triple === null ? undefined : PLATFORM_PACKAGES[triple];
  if (triple === null || pkg === undefined)
    return err(notFound(`codex ships no binary for ${process.platform} (${process.arch})`));
  let vendor: string;
  try {
    vendor = join(
      dirname(createRequire(codexPackageJson).resolve(`${pkg}/package.json`)),
      "vendor",
      triple,
    );
  } catch {
    return err(notFound("@openai/codex is not installed with its optional platform package"));
  }
  const exe = process.platform === "win32" ? "codex.exe" : "codex";
  const current = join(vendor, "bin", exe);
  if (isFile(current) && isFile(join(vendor, "codex-package.json")))
    return ok({ path: current, pathDirs: [join(vendor, "codex-path")].filter(isDir) });
  const legacy = join(vendor, "codex", exe);
  if (isFile(legacy)) return ok({ path: legacy, pathDirs: [join(vendor, "path")].filter(isDir) });
  return err(notFound(`no codex binary in ${vendor}`));
};

/** Resolves the binary: `override` when given (it must exist), else the installed package. */
export const resolveCodexBinary = (override?: string): Result<CodexBinary, CodexNotFound> => {
  if (override !== undefined && typeof override !== "string")
    return err(notFound("the codex path must be a string when given"));
  if (override !== undefined)
    return isFile(override)
      ? ok({ path: override, pathDirs: [] })
      : err(notFound(`no codex binary at the given path (${override})`));
  let codexPkg: string;
  try {
    codexPkg = createRequire(moduleUrl).resolve("@openai/codex/package.json");
  } catch {
    return err(notFound("@openai/codex is not installed with its optional platform package"));
  }
  return vendorBinaryOf(codexPkg);
};
