#!/bin/sh
# Stop the server run_flask.sh started on PORT (SIGTERM to the gunicorn master, which stops its
# workers), and wait for it to exit.   bench/fyyur_flask/stop_flask.sh 8001
set -eu
if [ $# -ne 1 ]; then
    echo "usage: $0 PORT" >&2
    exit 2
fi
pidfile=${FYYUR_RUN_DIR:-/tmp}/fyyur_flask_$1.pid
if [ ! -f "$pidfile" ]; then
    echo "$0: no pidfile $pidfile" >&2
    exit 1
fi
pid=$(cat "$pidfile")
kill -TERM "$pid"
i=0
while kill -0 "$pid" 2>/dev/null; do
    i=$((i + 1))
    if [ "$i" -ge 100 ]; then
        echo "$0: PID $pid still running after 20 s" >&2
        exit 1
    fi
    sleep 0.2
done
rm -f "$pidfile"
echo "stopped $pid"
