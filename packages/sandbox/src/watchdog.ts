/**
 * A shell wrapper around the postmaster. It stops the server and removes its directory when told
 * to (SIGTERM) and also when the Node process that started it disappears, so that a test runner
 * killed with SIGKILL leaves no server and no directory behind.
 *
 * Arguments: parent pid, base directory, then the postgres command line.
 */
export const WATCHDOG_SCRIPT = `
set -u
parent="$1"; base="$2"; shift 2
"$@" &
child=$!
cleanup() {
  trap '' TERM INT HUP
  kill -INT "$child" 2>/dev/null
  i=0
  while kill -0 "$child" 2>/dev/null; do
    i=$((i+1))
    [ "$i" -eq 100 ] && kill -QUIT "$child" 2>/dev/null
    [ "$i" -ge 200 ] && kill -KILL "$child" 2>/dev/null
    sleep 0.1
  done
  rm -rf "$base"
  exit 0
}
trap cleanup TERM INT HUP
while [ -d "/proc/$parent" ] && kill -0 "$child" 2>/dev/null; do
  sleep 1 & wait $!
done
cleanup
`;
