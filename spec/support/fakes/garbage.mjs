#!/usr/bin/env node
// A fake codex that starts a turn, prints a line that is not JSON, and then stays alive
// (the transport has to stop it).
import { hang, notePid, readStdin, turnLines } from "./_common.mjs";

notePid();
await readStdin();
process.stdout.write(turnLines()[0]);
process.stdout.write("\u0000garbage: this is {not JSON\n");
hang();
