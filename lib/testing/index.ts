/**
 * codex-fp/testing: drive the real codex CLI offline — a loopback stub of the model API and
 * throw-away CODEX_HOME / working directories.
 *
 * @module codex-fp/testing
 */
export {
  startModelStub,
  defaultScript,
  defaultUsage,
  STUB_LIMITS,
  STUB_API_KEY_ENV,
  type ModelStub,
  type ModelStubOptions,
  type StubReply,
  type StubRequest,
  type StubScript,
  type StubScriptResult,
  type StubUsage,
} from "./model-stub.js";
export { makeSandbox, type Sandbox } from "./sandbox.js";
