/**
 * The library loads some modules lazily: the app-server client with its generated codecs (on
 * the first `openAppServer`) and hash-wasm (on the first archive hash). Under jest's CommonJS
 * runtime, a lazy `require` that runs while concurrent tests settle is refused ("outside of the
 * scope of the test code"), a jest artifact the packaged ESM never meets. The integration tier
 * loads them up front, so the lazy loads find them in the module registry.
 */
import "../../lib/shell/app-server/rpc.js";
import "hash-wasm";
