#!/usr/bin/env python3
"""bench/results/scale_out.json (scripts/bench-scale-out) as a Markdown table: medians per
workload and route, crucible and raw libpq with prepared statements on and off."""
import json
import sys

data = json.load(open(sys.argv[1]))
median = {}
errors = {}
for b in data["benchmarks"]:
    if b.get("error_occurred"):
        errors[b["run_name"] if "run_name" in b else b["name"]] = b.get("error_message", "failed")
    elif b.get("aggregate_name") == "median":
        median[b["run_name"]] = b["real_time"] * {"ns": 1e-3, "us": 1.0, "ms": 1e3}[b["time_unit"]]
ctx = data["context"]
print(f"Measured {ctx['date']} on {ctx['num_cpus']} CPUs ({ctx.get('host_name', '')}); wall time per call, "
      "median of 9 repetitions, one client.\n")
print("| workload | route | raw prepared | crucible prepared | raw unprepared | crucible unprepared "
      "| crucible ÷ raw, prepared | crucible ÷ raw, unprepared | crucible unprepared ÷ prepared |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
for workload in ("lookup", "hundred_rows"):
    for route in ("direct", "pgbouncer"):
        t = {(mode, lib): median.get(f"{workload}/{route}/{mode}/{lib}")
             for mode in ("prepared", "unprepared") for lib in ("raw", "crucible")}
        order = (("prepared", "raw"), ("prepared", "crucible"), ("unprepared", "raw"), ("unprepared", "crucible"))
        def failed(k):
            message = errors.get(f"{workload}/{route}/{k[0]}/{k[1]}", "")
            return "fails: statement already exists" if "already exists" in message else "fails"
        cells = [f"{t[k]:.1f} µs" if t[k] is not None else failed(k) for k in order]

        def ratio(a, b):
            return f"{t[a] / t[b]:.2f}" if t[a] is not None and t[b] is not None else "–"
        print(f"| {workload} | {route} | " + " | ".join(cells) +
              f" | {ratio(('prepared', 'crucible'), ('prepared', 'raw'))}"
              f" | {ratio(('unprepared', 'crucible'), ('unprepared', 'raw'))}"
              f" | {ratio(('unprepared', 'crucible'), ('prepared', 'crucible'))} |")
