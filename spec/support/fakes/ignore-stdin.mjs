#!/usr/bin/env node
// A fake codex that never reads stdin: it prints a successful turn, waits a little, exits 0.
import { notePid, sleep, turnLines } from "./_common.mjs";

notePid();
process.stdout.write(turnLines().join(""));
await sleep(100);
process.exit(0);
