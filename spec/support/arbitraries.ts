/**
 * The fast-check generators for the specs, one module per kind: valid options and threads,
 * hostile values (throwing proxies and getters, cycles, BigInt, symbols) for the "never throws"
 * properties, and, for the fuzz suite, nasty strings, byte- and structure-level mutations of
 * valid inputs and the recorded inputs in golden/ to mutate. Every size is bounded (a
 * synchronous hang cannot be interrupted, so nothing generated is allowed to be huge).
 */
export * from "./arbitraries/hostile.js";
export * from "./arbitraries/valid.js";
export * from "./arbitraries/strings.js";
export * from "./arbitraries/json.js";
export * from "./arbitraries/recorded.js";
