#!/bin/sh
# Start the Flask twin under gunicorn (2 sync workers) on 127.0.0.1:PORT, in the background.
#   bench/fyyur_flask/run_flask.sh sqlite:////tmp/fyyur.db 8001
# Prints the gunicorn master's PID once the site answers. Stop it with stop_flask.sh PORT.
# Pidfile and log: $FYYUR_RUN_DIR (default /tmp)/fyyur_flask_PORT.{pid,log}.
set -eu
if [ $# -ne 2 ]; then
    echo "usage: $0 DATABASE_URL PORT" >&2
    exit 2
fi
url=$1
port=$2
here=$(cd "$(dirname "$0")" && pwd)
run_dir=${FYYUR_RUN_DIR:-/tmp}
pidfile=$run_dir/fyyur_flask_$port.pid
logfile=$run_dir/fyyur_flask_$port.log

if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    echo "$0: a server is already running with PID $(cat "$pidfile") ($pidfile)" >&2
    exit 1
fi
rm -f "$pidfile"

FYYUR_DB=$url nohup /usr/bin/python3 /usr/bin/gunicorn --workers 2 --worker-class sync \
    --bind "127.0.0.1:$port" --chdir "$here" --pid "$pidfile" --log-file "$logfile" \
    'app:create_app()' >>"$logfile" 2>&1 </dev/null &
launcher=$!

i=0
until /usr/bin/python3 -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" \
        "http://127.0.0.1:$port/" 2>/dev/null; do
    i=$((i + 1))
    if ! kill -0 "$launcher" 2>/dev/null || [ "$i" -ge 100 ]; then
        echo "$0: the server did not answer on 127.0.0.1:$port; log $logfile:" >&2
        tail -n 20 "$logfile" >&2
        kill "$launcher" 2>/dev/null || true
        exit 1
    fi
    sleep 0.2
done
cat "$pidfile"
