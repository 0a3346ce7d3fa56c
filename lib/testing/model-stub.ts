/**
 * A scriptable loopback stub of the OpenAI Responses API (`POST /v1/responses`, Server-Sent
 * Events), good enough to drive the real `codex` CLI offline in tests: plain text turns,
 * `exec_command` tool calls the CLI really runs, JSON answers for `--output-schema` turns, HTTP
 * error statuses and long streams.
 *
 * Point the CLI at it with {@link ModelStub.providerArgs} (or {@link ModelStub.providerConfig}
 * for the SDK's `config` option) and set `CODEX_API_KEY` to any value. The stub listens on
 * 127.0.0.1 on a random port, never logs, never throws, and bounds everything it accepts.
 *
 * Wire format, as the CLI (0.163.0 and 0.169.0) needs it — every event is
 * `event: <type>\ndata: <json>\n\n`:
 * - a message: `response.created`, `response.output_item.added` (empty message),
 *   `response.output_text.delta`…, `response.output_item.done` (full message),
 *   `response.completed` (with `usage`);
 * - a tool call: `response.created`, `response.output_item.added`,
 *   `response.output_item.done` (`function_call` `exec_command` with `{"cmd": …}`),
 *   `response.completed`. The CLI runs the command and sends a follow-up request whose input
 *   ends with a `function_call_output`, which the stub answers with the call's `thenText`.
 *
 * The CLI itself only requires `response.output_item.done` and `response.completed`: without
 * `response.completed` it reports "stream closed before response.completed" and retries;
 * deltas without a preceding `response.output_item.added` make it log
 * `OutputTextDelta without active item` on stderr.
 */
export { startModelStub } from "./model-stub/server.js";
export { defaultScript, defaultUsage } from "./model-stub/script.js";
export {
  STUB_LIMITS,
  STUB_API_KEY_ENV,
  type ModelStub,
  type ModelStubOptions,
  type StubReply,
  type StubRequest,
  type StubScript,
  type StubScriptResult,
  type StubUsage,
} from "./model-stub/types.js";
