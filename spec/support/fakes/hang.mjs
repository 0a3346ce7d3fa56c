#!/usr/bin/env node
// A fake codex that starts a turn and then never finishes it (it ignores SIGTERM too).
import { hang, notePid, readStdin, turnLines } from "./_common.mjs";

notePid();
await readStdin();
const lines = turnLines();
process.stdout.write(lines[0] + lines[1]);
hang();
