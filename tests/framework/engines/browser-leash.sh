#!/bin/sh
# Playwright starts this script as the browser (executablePath), in a process group of its own.
# It runs the real browser, $CORS_BROWSER_EXECUTABLE, so that nothing of it outlives the
# Playwright worker: SIGKILL of the worker would otherwise leave the browser and its children
# running (they are in their own session, out of reach of the runner's Ctrl-C).
if [ -z "$CORS_BROWSER_LEASHED" ]; then
  # Same pid after exec: the kernel sends us SIGTERM when the worker that started us dies.
  CORS_BROWSER_LEASHED=1 exec setpriv --pdeathsig TERM /bin/sh "$0" "$@"
fi
unset CORS_BROWSER_LEASHED
# The worker died: end the whole group (the browser, its content processes, this script).
trap 'kill -KILL 0' TERM HUP INT
"$CORS_BROWSER_EXECUTABLE" "$@" &
wait $!
status=$?
# The browser exited (closed, crashed or killed mid-test): end what it left in the group.
for pid in $(pgrep -g $$); do
  [ "$pid" = "$$" ] || kill -KILL "$pid" 2>/dev/null
done
exit $status
