#!/usr/bin/python3
"""The ORM session's figures (bench/README.md, "ORM session"): medians per workload and library from
orm_<backend>.json (orm_sqlite_bench / orm_postgres_bench) and orm_sqlalchemy_<backend>.json
(sqlalchemy_bench.py --suite session), with the ratios session/Core, raw/session (how many
times faster than the raw driver, one statement at a time) and SQLAlchemy ORM/session, as a markdown table.

    /usr/bin/python3 bench/orm_report.py sqlite bench/results/orm_sqlite.json bench/results/orm_sqlalchemy_sqlite.json
"""
import json
import statistics
import sys


def medians(paths):
    times = {}
    for path in paths:
        with open(path) as f:
            for b in json.load(f)["benchmarks"]:
                if b.get("run_type") != "iteration":
                    continue
                workload, library, n = b["run_name"].split("/")[:3]
                # /real_time names: wall time; otherwise the process's CPU time (as sqlite_bench).
                t = b["real_time"] if b["run_name"].endswith("/real_time") else b["cpu_time"]
                times.setdefault((f"{workload}/{n}", library), []).append(t)
    return {k: statistics.median(v) for k, v in times.items()}


def main():
    backend, paths = sys.argv[1], sys.argv[2:]
    m = medians(paths)
    workloads = ["session_add/10000", "session_get_cold/1000", "session_get_identity_map/1000", "session_update/1000",
                 "session_update/10000", "session_delete/1000", "session_associations/100"]
    print(f"| {backend} | session µs | Core µs | raw µs | SQLAlchemy ORM µs | session/Core | raw/session | SQLAlchemy/session |")
    print("|:---|---:|---:|---:|---:|---:|---:|---:|")
    for w in workloads:
        s, c, r, a = (m.get((w, lib)) for lib in ("crucible_session", "crucible_core", "raw", "sqlalchemy_orm"))
        cells = [f"{x:,.0f}" if x is not None and x >= 100 else (f"{x:.1f}" if x is not None else "–")
                 for x in (s, c, r, a)]
        ratio = lambda x, y: f"{x / y:.2f}" if x and y else "–"  # noqa: E731
        print(f"| {w.removeprefix('session_')} | " + " | ".join(cells) +
              f" | {ratio(s, c)} | {ratio(r, s)} | {ratio(a, s)} |")


if __name__ == "__main__":
    main()
