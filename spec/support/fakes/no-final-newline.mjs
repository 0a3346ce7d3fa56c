#!/usr/bin/env node
// A fake codex that prints a successful turn whose last line (turn.completed) has no "\n".
import { notePid, readStdin, turnLines } from "./_common.mjs";

notePid();
await readStdin();
process.stdout.write(turnLines().join("").replace(/\n$/, ""));
