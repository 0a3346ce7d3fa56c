/**
 * Shared by the fake `codex` binaries (not a binary itself). A fake is told what to do through
 * its environment, which the tests set with the thread's `env` option:
 * - FAKE_PID_FILE: write the fake's pid there first thing (to check later that it is gone);
 * - FAKE_CODEX_LOG: append one JSON line per invocation (argv, env, stdin) there.
 */
import { appendFileSync, writeFileSync } from "node:fs";

/** The thread id the fakes report for a new thread. */
export const FAKE_THREAD_ID = "0199a0f0-0000-7000-8000-00000000fa4e";

/** Writes this process's pid to $FAKE_PID_FILE, when set. */
export const notePid = () => {
  const file = process.env.FAKE_PID_FILE;
  if (file) writeFileSync(file, `${process.pid}\n`);
};

/** Reads all of stdin (the prompt). */
export const readStdin = () =>
  new Promise((resolve) => {
    const chunks = [];
    process.stdin.on("data", (c) => chunks.push(c));
    process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });

/** This invocation: arguments after the binary, the whole environment, and the prompt. */
export const invocation = (stdin) => ({
  argv: process.argv.slice(2),
  env: { ...process.env },
  stdin,
  pid: process.pid,
});

/** Appends the invocation to $FAKE_CODEX_LOG, when set. */
export const logInvocation = (record) => {
  const file = process.env.FAKE_CODEX_LOG;
  if (file) appendFileSync(file, `${JSON.stringify(record)}\n`);
};

/** The thread id of this run: the one after `resume`, else a fixed new one. */
export const threadIdOf = (argv = process.argv.slice(2)) => {
  const i = argv.indexOf("resume");
  return i !== -1 && argv[i + 1] !== undefined ? argv[i + 1] : FAKE_THREAD_ID;
};

/** The default reply: JSON when the fake was given an output schema, else plain text. */
export const defaultReply = (argv = process.argv.slice(2)) =>
  argv.includes("--output-schema") ? '{"fake":"reply"}' : "fake reply";

/** The events of a small successful turn, as JSON lines (each ends with "\n"). */
export const turnLines = (text = defaultReply(), threadId = threadIdOf()) =>
  [
    { type: "thread.started", thread_id: threadId },
    { type: "turn.started" },
    { type: "item.completed", item: { id: "item_0", type: "agent_message", text } },
    {
      type: "turn.completed",
      usage: {
        input_tokens: 10,
        cached_input_tokens: 2,
        cache_write_input_tokens: 0,
        output_tokens: 3,
        reasoning_output_tokens: 1,
      },
    },
  ].map((e) => `${JSON.stringify(e)}\n`);

/** Resolves after `ms` milliseconds. */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Keeps the process alive forever (until killed), ignoring SIGTERM and SIGINT. */
export const hang = () => {
  process.on("SIGTERM", () => undefined);
  process.on("SIGINT", () => undefined);
  setInterval(() => undefined, 60_000);
};
