/**
 * Rollouts: the session files the codex CLI writes, one JSON object a line
 * (`{ timestamp, ordinal, type, payload }`), under
 * `$CODEX_HOME/sessions/YYYY/MM/DD/rollout-<YYYY-MM-DDThh-mm-ss>-<thread id>.jsonl`.
 *
 * What is read (CLI 0.169.0; see golden/codex-cli-0.169.0/*\/rollout.jsonl):
 * - line 0, `session_meta`: thread id, creation time, cwd, originator, CLI version, provider
 *   (tens of KB: it carries the base instructions);
 * - `event_msg` `task_started` / `task_complete` / `turn_aborted`, each with `turn_id` and
 *   `root_turn_id` (a turn whose root is another turn is nested, and not counted). A failed
 *   turn also ends in `task_complete`, with `last_agent_message: null` and an `error`; an
 *   interrupted one ends in `turn_aborted` and does not count;
 * - `event_msg` `token_count`: `total_token_usage` (cumulative over the thread) and
 *   `last_token_usage` — the last *model request's* usage, not the turn's when a turn makes
 *   several requests (tool calls);
 * - `token_usage_record`: `turn_token_usage`, the turn's own usage (preferred per-turn figure);
 * - `event_msg` `thread_rolled_back` (`num_turns`), which takes turns back off the count
 *   (from the CLI's event list, not yet seen in a recording).
 * Every other line type or payload type is kept as `other`, never an error. `ordinal` numbers
 * every line from 0 and keeps counting across resumes, so in a file with a single writer it
 * only grows.
 *
 * The parts, one job each: `rollout/codecs.ts` (the line codecs), `rollout/line.ts` (one line,
 * read), `rollout/scan.ts` (the fold over the lines), `rollout/summary.ts` (the summary and
 * what the resume validator observes), `rollout/names.ts` (file names and order). This module
 * re-exports them.
 *
 * Everything here is pure: the shell reads the bytes (a head and a tail, or a streaming scan)
 * and folds the lines through {@link scanLine}.
 */
export * from "./rollout/codecs.js";
export * from "./rollout/line.js";
export * from "./rollout/scan.js";
export * from "./rollout/summary.js";
export * from "./rollout/names.js";
