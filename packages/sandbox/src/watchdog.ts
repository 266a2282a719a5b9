/**
 * A shell wrapper around the postmaster. It stops the server and removes its directory when told
 * to (SIGTERM) and also when the Node process that started it disappears, so that a test runner
 * killed with SIGKILL leaves no server and no directory behind.
 *
 * Fault tests take the server down and up again without losing its data: SIGUSR1 stops the
 * postmaster (fast shutdown, as `pg_ctl stop -m fast`), SIGUSR2 starts it again on the same port.
 *
 * Arguments: parent pid, base directory, then the postgres command line.
 */
/** What the watchdog prints once the postmaster has stopped on SIGUSR1. */
export const STOPPED_MARK = 'pgshift-sandbox: stopped';

export const WATCHDOG_SCRIPT = `
set -u
parent="$1"; base="$2"; shift 2
"$@" &
child=$!
down=0
stop_child() {
  kill -INT "$child" 2>/dev/null
  i=0
  while kill -0 "$child" 2>/dev/null; do
    i=$((i+1))
    [ "$i" -eq 100 ] && kill -QUIT "$child" 2>/dev/null
    [ "$i" -ge 200 ] && kill -KILL "$child" 2>/dev/null
    sleep 0.1
  done
}
cleanup() {
  trap '' TERM INT HUP USR1 USR2
  stop_child
  rm -rf "$base"
  exit 0
}
pause() { down=1; stop_child; echo "${STOPPED_MARK}"; }
resume() { if [ "$down" -eq 1 ]; then "$@" & child=$!; down=0; fi; }
trap cleanup TERM INT HUP
trap pause USR1
trap 'resume "$@"' USR2
# The server is gone on its own only when it is not alive and was not taken down. "down" is read
# again after the liveness probe: a SIGUSR1 handled between the first read and the probe stops the
# postmaster and sets down=1, and without the second read the loop would take that for a crash.
gone() { [ "$down" -eq 0 ] && ! kill -0 "$child" 2>/dev/null && [ "$down" -eq 0 ]; }
while [ -d "/proc/$parent" ] && ! gone; do
  sleep 1 & wait $!
done
cleanup
`;
