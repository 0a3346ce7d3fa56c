#!/usr/bin/env node
// A fake codex that writes a whole successful turn a few bytes at a time (1 to 7 bytes per
// write, with pauses), cutting lines and multi-byte UTF-8 characters apart. The reply text
// is $FAKE_TEXT (default: the usual fake reply).
import { notePid, readStdin, sleep, turnLines } from "./_common.mjs";

notePid();
await readStdin();
const bytes = Buffer.from(turnLines(process.env.FAKE_TEXT).join(""), "utf8");
for (let i = 0, n = 1; i < bytes.length; i += n, n = (n % 7) + 1) {
  process.stdout.write(bytes.subarray(i, i + n));
  if (i % 5 === 0) await sleep(1);
}
