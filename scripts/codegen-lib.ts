/**
 * The app-server codegen (scripts/codegen.ts, `npm run codegen`): io-ts codecs and types from the
 * JSON Schema bundle that `codex app-server generate-json-schema` writes. One job per file under
 * scripts/codegen/; this module gathers what the CLI wrapper and spec/generated/codegen.spec.ts use.
 */
export { generateFromBundles, type GenerateInput } from "./codegen/generate.js";
export {
  BUNDLE_FILE,
  OUTPUT_DIR,
  SCHEMA_FLAGS,
  codexVersion,
  generate,
  generateFromSchemas,
  generateWithCodex,
  readBundle,
  readOutputDir,
  codexBinaryPath,
  runGenerateJsonSchema,
  schemasFromCodex,
  type CodexSchemas,
  writeOutputDir,
} from "./codegen/io.js";
export type { Json, Schema, SchemaObject } from "./codegen/schema.js";
export { LIBRARY_SELECTION, type Selection } from "./codegen/selection.js";
