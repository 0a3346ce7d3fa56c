/**
 * Throw-away directories for driving the real `codex` CLI in tests: a fresh `CODEX_HOME` (where
 * the CLI writes its sessions) and a fresh working directory, both under `os.tmpdir()`.
 *
 * The CLI prints a harmless warning on stderr when `CODEX_HOME` is under `/tmp` ("could not
 * create PATH aliases"); it proceeds normally.
 */

import { mkdir, mkdtemp, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A pair of fresh temporary directories, removed (with their contents) by `dispose`. */
export interface Sandbox {
  /** An empty directory to pass as `CODEX_HOME`. */
  readonly codexHome: string;
  /** An empty directory to run the CLI in. */
  readonly cwd: string;
  /** Removes both directories. Never rejects; calling it again does nothing. */
  dispose(): Promise<void>;
}

/**
 * Creates a sandbox: `<tmp>/codex-fp-XXXXXX/{home,cwd}` (real paths, symlinks resolved, so they
 * match what the CLI reports). Rejects only if the temporary directory cannot be created.
 */
export async function makeSandbox(): Promise<Sandbox> {
  const root = await realpath(await mkdtemp(join(tmpdir(), "codex-fp-")));
  const codexHome = join(root, "home");
  const cwd = join(root, "cwd");
  try {
    await mkdir(codexHome);
    await mkdir(cwd);
  } catch (e) {
    await rm(root, { recursive: true, force: true }).catch(() => undefined);
    return Promise.reject(e);
  }
  let disposed: Promise<void> | null = null;
  return {
    codexHome,
    cwd,
    dispose: () => {
      disposed ??= rm(root, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
      return disposed;
    },
  };
}
