#!/usr/bin/env node
// A fake codex that exits with status 3 at once, before reading its stdin (the prompt).
import { notePid } from "./_common.mjs";

notePid();
process.stderr.write("fake: giving up before reading stdin\n");
process.exit(3);
