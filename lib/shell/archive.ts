/**
 * Moving a thread's history between stores (machines): `exportSession` turns a thread's rollout
 * into a `SessionArchive` (whole, or what was appended since a point held elsewhere), and
 * `importSession` writes one into a store where the CLI will find it, atomically. See
 * docs/sessions.md, "Moving a thread between machines".
 */
export { exportSession, type ExportOptions } from "./archive/export.js";
export { importSession, archiveBytes, type ImportOptions } from "./archive/import.js";
