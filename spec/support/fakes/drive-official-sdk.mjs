#!/usr/bin/env node
// Not a fake binary: drives the official `@openai/codex-sdk` (ESM) for spec/core/argv.spec.ts,
// which runs under jest's CommonJS. Reads one JSON request per line on stdin:
//   { id, codexOptions, threadOptions, threadId, input, turnOptions }
// runs one turn with the SDK against the recording fake ($1, e.g. record.mjs) and answers one
// JSON line on stdout: { id, record } (what the fake saw: argv, env, stdin) or { id, error }.
import { createInterface } from "node:readline";
import { Codex } from "@openai/codex-sdk";

const fake = process.argv[2];

const runOne = async (req) => {
  const codex = new Codex({ ...req.codexOptions, codexPathOverride: fake });
  const thread =
    req.threadId === null
      ? codex.startThread(req.threadOptions)
      : codex.resumeThread(req.threadId, req.threadOptions);
  const { events } = await thread.runStreamed(req.input, req.turnOptions);
  let record = null;
  for await (const event of events) if (event.type === "fake.record") record = event.record;
  return record === null ? { error: "the fake printed no record" } : { record };
};

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (line.trim() === "") continue;
  const req = JSON.parse(line);
  let answer;
  try {
    answer = await runOne(req);
  } catch (e) {
    answer = { error: e instanceof Error ? e.message : String(e) };
  }
  process.stdout.write(`${JSON.stringify({ id: req.id, ...answer })}\n`);
}
