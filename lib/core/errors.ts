/** Moved to `./errors/` (one module of error types and constructors); kept for old imports. */
export * from "./errors/index.js";
