/** Jest (CommonJS) stand-in for lib/shell/internal/here.ts, which uses import.meta. */
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export const moduleUrl: string = pathToFileURL(
  join(__dirname, "..", "..", "lib", "shell", "internal", "here.ts"),
).href;
