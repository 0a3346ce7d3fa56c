#!/usr/bin/env node
// A fake codex that starts a turn, then kills itself with SIGKILL in the middle of it.
import { notePid, readStdin, sleep, turnLines } from "./_common.mjs";

notePid();
await readStdin();
const lines = turnLines();
process.stdout.write(lines[0] + lines[1]);
await sleep(50);
process.kill(process.pid, "SIGKILL");
