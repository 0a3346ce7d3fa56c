/**
 * Every error codex-fp returns, in one place: the tagged unions by layer (`ThreadError`,
 * `DecodeError`, `FoldError`, `ShellError`, `TransportError`, `SessionError`), one typed
 * constructor per `_tag` (`make.ts`) and the one path from a decode failure to an error
 * (`decode.ts`). Each error has a `_tag`, the failing `path` and a human `message`; decoding
 * failures also carry every `issue`. The reference table is in docs/thread-lifecycle.md.
 */
export * from "./thread.js";
export * from "./turn.js";
export * from "./session.js";
export * from "./transport.js";
export * from "./make.js";
export * from "./make-shell.js";
export * from "./make-session.js";
export * from "./decode.js";
export * from "./tags.js";
