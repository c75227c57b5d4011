#!/usr/bin/python3
"""Drive a fyyur site (the Flask twin or the C++ one) with wrk, route by route.

    /usr/bin/python3 bench/fyyur_flask/drive.py --url http://127.0.0.1:8001 --pid 12345 --label flask \
        [--duration 10] [--connections 8] [--threads 2] [--out flask.json]

Gets a session cookie and CSRF token from GET /shows/create (the Set-Cookie headers and the
form's hidden csrf_token input), checks each route once by hand (statuses 200, 404, 303), then
runs `wrk --latency` with each script of wrk/ in turn: venues, venue, artist_search, show_create
(last, since it adds rows). After each run it sums VmRSS over PID and all its descendants (the
gunicorn master and its workers, say). Fails, writing nothing, when more than 1% of a route's
responses were errors (non-2xx/3xx statuses or socket errors). Writes
{label, routes: {name: {rps, p50_ms, p99_ms, errors, rss_kib, ...}}, ...} to --out.
"""

import argparse
import html.parser
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROUTES = ["venues", "venue", "artist_search", "show_create"]
MAX_ERROR_FRACTION = 0.01


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def http(url, form=None, cookie=None):
    """(status, headers, body text) without following redirects."""
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    request = urllib.request.Request(url, data=data)
    if cookie:
        request.add_header("Cookie", cookie)
    try:
        with OPENER.open(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode("utf-8", "replace")


class CsrfInput(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.token = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") == "csrf_token" and self.token is None:
            self.token = attrs.get("value")


def session(base):
    """(Cookie header value, CSRF token) from GET /shows/create."""
    status, headers, body = http(base + "/shows/create")
    if status != 200:
        sys.exit(f"drive.py: GET /shows/create answered {status}")
    cookies = [c.split(";", 1)[0].strip() for c in headers.get_all("Set-Cookie") or []]
    if not cookies:
        sys.exit("drive.py: GET /shows/create set no cookie")
    parser = CsrfInput()
    parser.feed(body)
    if not parser.token:
        sys.exit('drive.py: no <input name="csrf_token" value="..."> in GET /shows/create')
    return "; ".join(cookies), parser.token


def preflight(base, cookie, token):
    """One request per route by hand, so that a broken site fails with a clear message."""
    checks = [
        ("GET /venues", http(base + "/venues"), 200),
        ("GET /venues/1", http(base + "/venues/1"), 200),
        ("GET /venues/999999", http(base + "/venues/999999"), 404),
        ("POST /artists/search", http(base + "/artists/search", {"search_term": "Band", "csrf_token": token}, cookie), 200),
        ("POST /artists/search without token", http(base + "/artists/search", {"search_term": "Band"}, cookie), 400),
        ("POST /shows/create", http(base + "/shows/create", {"artist_id": "1", "venue_id": "1",
                                                              "start_time": "2030-06-01 20:00:00",
                                                              "csrf_token": token}, cookie), 303),
    ]
    bad = [f"{what} answered {got[0]}, expected {want}" for what, got, want in checks if got[0] != want]
    if bad:
        sys.exit("drive.py: preflight failed:\n  " + "\n  ".join(bad))


def descendants(pid):
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(children.get(p, []))
    return found


def rss_kib(pid):
    """Sum of VmRSS over pid and its descendants, in KiB."""
    total = 0
    for p in descendants(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def cpu_seconds(pid):
    """User + system CPU time of pid and its descendants (the server's own work, not the
    database server's, nor wrk's), in seconds."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in descendants(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
        except (OSError, IndexError, ValueError):
            pass
    return total / ticks


UNITS_MS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}


def to_ms(value):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", value)
    if not match:
        raise ValueError(f"unparsed wrk time {value!r}")
    return float(match.group(1)) * UNITS_MS[match.group(2)]


def parse_wrk(output):
    def find(pattern):
        match = re.search(pattern, output, re.M)
        if not match:
            raise ValueError(f"no match for {pattern!r} in wrk's output:\n{output}")
        return match

    percentiles = {int(p): to_ms(v) for p, v in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)\s*$", output, re.M)}
    if 50 not in percentiles or 99 not in percentiles:
        raise ValueError(f"no latency distribution in wrk's output (--latency):\n{output}")
    requests = int(find(r"^\s+(\d+) requests in ").group(1))
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    socket_errors = dict(zip(("connect", "read", "write", "timeout"),
                             (int(n) for n in socket.groups()))) if socket else {}
    non_2xx_3xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", output)) else 0
    return {
        "rps": float(find(r"^Requests/sec:\s+([\d.]+)").group(1)),
        "p50_ms": percentiles[50],
        "p99_ms": percentiles[99],
        "errors": non_2xx_3xx + sum(socket_errors.values()),
        "requests": requests,
        "non_2xx_3xx": non_2xx_3xx,
        "socket_errors": socket_errors,
        "p75_ms": percentiles.get(75),
        "p90_ms": percentiles.get(90),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="the site, http://127.0.0.1:PORT")
    parser.add_argument("--pid", type=int, required=True, help="the server's PID (its descendants are counted too)")
    parser.add_argument("--label", required=True)
    parser.add_argument("--duration", type=int, default=10, help="seconds per route")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--routes", default=",".join(ROUTES), help="comma-separated subset of " + ",".join(ROUTES))
    parser.add_argument("--wrk", default="/usr/bin/wrk")
    parser.add_argument("--out", help="JSON file to write")
    args = parser.parse_args()

    base = args.url.rstrip("/")
    routes = [r.strip() for r in args.routes.split(",") if r.strip()]
    unknown = [r for r in routes if r not in ROUTES]
    if unknown:
        sys.exit(f"drive.py: unknown routes {unknown}; known: {ROUTES}")
    if not Path(f"/proc/{args.pid}").exists():
        sys.exit(f"drive.py: no process {args.pid}")

    cookie, token = session(base)
    preflight(base, cookie, token)
    env = dict(os.environ, FYYUR_COOKIE=cookie, FYYUR_CSRF=token)

    results = {"label": args.label, "url": base, "duration_s": args.duration, "connections": args.connections,
               "threads": args.threads, "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
               "rss_kib_before": rss_kib(args.pid), "routes": {}}
    for route in routes:
        command = [args.wrk, "--latency", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s",
                   "-s", str(HERE / "wrk" / f"{route}.lua"), base]
        cpu_before = cpu_seconds(args.pid)
        run = subprocess.run(command, env=env, capture_output=True, text=True)
        cpu_used = cpu_seconds(args.pid) - cpu_before
        if run.returncode != 0:
            sys.exit(f"drive.py: {' '.join(command)} exited {run.returncode}:\n{run.stdout}{run.stderr}")
        result = parse_wrk(run.stdout)
        result["rss_kib"] = rss_kib(args.pid)
        # The server's CPU per request: its own cost, apart from the database's time.
        result["server_cpu_us"] = 1e6 * cpu_used / max(result["requests"], 1)
        if result["requests"] == 0 or result["errors"] > MAX_ERROR_FRACTION * result["requests"]:
            sys.exit(f"drive.py: {route}: {result['errors']} errors in {result['requests']} requests "
                     f"(non-2xx/3xx {result['non_2xx_3xx']}, socket {result['socket_errors']}); "
                     f"a benchmark of errors is worthless. wrk said:\n{run.stdout}{run.stderr}")
        results["routes"][route] = result
        print(f"{args.label} {route:14} {result['rps']:9.1f} req/s  p50 {result['p50_ms']:8.2f} ms  "
              f"p99 {result['p99_ms']:8.2f} ms  cpu {result['server_cpu_us']:8.1f} us/req  errors {result['errors']:5}  "
              f"rss {result['rss_kib']} KiB",
              flush=True)

    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
