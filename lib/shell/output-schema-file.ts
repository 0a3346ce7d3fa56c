/**
 * The temporary file that carries a turn's output schema to `--output-schema`: written before
 * the spawn, always removed after the turn.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ResultAsync, okAsync } from "neverthrow";
import { tempFileFailed, type ShellError } from "../core/errors/index.js";

/** A written schema file and how to remove it (never rejects). */
export interface SchemaFile {
  readonly path: string | null;
  readonly remove: () => Promise<void>;
}

/** Writes `schema` to a fresh temp dir under `dir` (default: the OS temp dir). */
export const writeSchemaFile = (
  schema: Record<string, unknown> | undefined,
  dir: string = tmpdir(),
): ResultAsync<SchemaFile, ShellError> => {
  if (schema === undefined) return okAsync({ path: null, remove: () => Promise.resolve() });
  let made: string | null = null;
  const remove = async () => {
    if (made !== null) await rm(made, { recursive: true, force: true }).catch(() => undefined);
  };
  return ResultAsync.fromPromise(
    (async () => {
      made = await mkdtemp(join(dir, "codex-output-schema-"));
      const path = join(made, "schema.json");
      await writeFile(path, JSON.stringify(schema), "utf8");
      return { path, remove };
    })(),
    (e): ShellError => {
      void remove();
      return tempFileFailed(
        "turnOptions.outputSchema",
        `could not write the output schema file: ${e instanceof Error ? e.message : String(e)}`,
      );
    },
  );
};
