#!/bin/sh
# Stands in for codex: writes its pid to $FAKE_PID_FILE, then becomes the real binary
# ($REAL_CODEX) with `exec`, so that pid is the real CLI's pid.
printf '%s\n' "$$" > "$FAKE_PID_FILE"
exec "$REAL_CODEX" "$@"
