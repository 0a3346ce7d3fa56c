#!/usr/bin/env node
// A fake codex that writes about $FAKE_STDERR_BYTES (default 20 MB) to stderr, with the value
// of $CODEX_API_KEY sprinkled through it, then a last line "fatal: flood over", and exits 1.
// With $FAKE_CUT_AT, the last $FAKE_CUT_AT characters begin in the middle of a copy of the key.
import { notePid, readStdin } from "./_common.mjs";

notePid();
await readStdin();
const key = process.env.CODEX_API_KEY ?? "";
const total = Number(process.env.FAKE_STDERR_BYTES ?? 20 * 1000 * 1000);
const block = `noise ${key} ${"n".repeat(4000)}\n`;
const write = (s) =>
  new Promise((resolve) =>
    process.stderr.write(s) ? resolve() : process.stderr.once("drain", resolve),
  );
for (let written = 0; written < total; written += block.length) await write(block);
const last = "fatal: flood over\n";
const cutAt = Number(process.env.FAKE_CUT_AT ?? 0);
if (cutAt > 0) {
  // A key, filler, three more keys and the last line, so that the last `cutAt` characters
  // begin in the middle of the first key (the keys after it shrink when redacted).
  const end = `key: ${key}\n`.repeat(3) + last;
  const filler = "f".repeat(Math.max(0, cutAt - end.length - Math.floor(key.length / 2)));
  await write(`${key}${filler}${end}`);
} else {
  await write(`key: ${key}\n${last}`);
}
process.exit(1);
