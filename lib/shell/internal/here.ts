/** This module's URL, for resolving packages relative to codex-fp itself. */
export const moduleUrl: string = import.meta.url;
