/** Moved to `./errors/session.ts`; kept for old imports. */
export * from "./errors/session.js";
export { invalidRollout } from "./errors/make.js";
