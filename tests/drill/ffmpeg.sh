#!/bin/sh
# The drill's ffmpeg: while $SHIKHON_DRILL_DIR/pause-video exists, the first call (the first encode of a
# video being processed) takes the file away and hangs, so the test kills the worker while "ffmpeg runs".
if [ -n "$SHIKHON_DRILL_DIR" ] && rm "$SHIKHON_DRILL_DIR/pause-video" 2>/dev/null; then
  touch "$SHIKHON_DRILL_DIR/paused-video"
  exec sleep 600
fi
exec "$SHIKHON_DRILL_REAL_FFMPEG" "$@"
