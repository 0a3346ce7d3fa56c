/**
 * The recorded inputs in golden/ (transcripts, app-server lines, rollouts) and the keys the
 * codecs read, to mutate.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { CLI_GOLDEN, GOLDEN, LEGACY_GOLDEN } from "../core-helpers.js";

const lines = (file: string): string[] =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "");

/** Every recorded event transcript: the CLI's and the legacy parity fixtures. */
export const goldenTranscripts = (): { name: string; lines: string[] }[] => {
  const cli = readdirSync(CLI_GOLDEN, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(join(CLI_GOLDEN, d.name))
        .filter((f) => /^turn\d+\.jsonl$/.test(f))
        .map((f) => ({ name: `${d.name}/${f}`, lines: lines(join(CLI_GOLDEN, d.name, f)) })),
    );
  const legacy = readdirSync(LEGACY_GOLDEN)
    .filter((f) => f.endsWith(".jsonl"))
    .map((f) => ({ name: `legacy/${f}`, lines: lines(join(LEGACY_GOLDEN, f)) }));
  return [...cli, ...legacy].sort((a, b) => a.name.localeCompare(b.name));
};

/** Every recorded app-server line (JSON-RPC, not events: hostile input for the event decoder). */
export const goldenAppServerLines = (): string[] =>
  readdirSync(join(GOLDEN, "app-server-0.169.0"))
    .filter((f) => f.endsWith(".jsonl"))
    .flatMap((f) => lines(join(GOLDEN, "app-server-0.169.0", f)));

/** Every recorded rollout, whole (text, with its final newline). */
export const goldenRollouts = (): { name: string; text: string }[] =>
  readdirSync(CLI_GOLDEN, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(join(CLI_GOLDEN, d.name))
        .filter((f) => /^rollout.*\.jsonl$/.test(f))
        .map((f) => ({
          name: `${d.name}/${f}`,
          text: readFileSync(join(CLI_GOLDEN, d.name, f), "utf8"),
        })),
    )
    .sort((a, b) => a.name.localeCompare(b.name));

/** Keys the event, item and rollout codecs read: worth adding where they do not belong. */
export const CODEC_KEYS: readonly string[] = [
  "type",
  "thread_id",
  "turn_id",
  "item",
  "id",
  "text",
  "usage",
  "input_tokens",
  "output_tokens",
  "cached_input_tokens",
  "error",
  "message",
  "status",
  "metadata",
  "labels",
  "continuation_token",
  "final_response",
  "will_retry",
  "command",
  "exit_code",
  "changes",
  "items",
  "payload",
  "ordinal",
  "timestamp",
  "root_turn_id",
  "info",
  "total_token_usage",
  "last_token_usage",
  "turn_token_usage",
  "num_turns",
  "last_agent_message",
  "session_meta",
  "cli_version",
  "git",
  "__proto__",
];
