#!/usr/bin/python3
"""Turns Google Benchmark JSON files from bench/ into ratio lines, a markdown table and a chart.

    /usr/bin/python3 bench/report.py results/*.json --markdown results/table.md --chart results/ratios.png

Benchmark names are <workload>/<library>/<N>[/real_time]; each file's context names its backend
("sqlite" or "postgres"). A benchmark's time is its wall time when the name ends in /real_time
(PostgreSQL), else its CPU time (SQLite, all in-process), as Google Benchmark reports them: the
median over repetitions when there are several (the "_median" aggregate, or the median of the
runs), else the single run's.
Ratios are to the library "raw" (the C API with statements prepared once) of the same backend.
"""

import argparse
import json
import statistics
import sys
from collections import defaultdict

BASELINE = "raw"
SUBJECT = "crucible"
# Issue 5's targets for crucible's time over raw's.
TARGETS = {"sqlite": 1.05, "postgres": 1.10}
# ...except PostgreSQL's bulk load: at least 0.9 of raw COPY's speed, i.e. at most 1/0.9 its time.
WORKLOAD_TARGETS = {("postgres", "bulk_insert"): 1 / 0.9}
# And crucible at least this many times faster than SQLAlchemy's ORM on every SQLite workload.
ORM = "sqlalchemy_orm"
ORM_SPEEDUP_TARGETS = {"sqlite": 40.0}


def target_for(backend, workload):
    return WORKLOAD_TARGETS.get((backend, workload), TARGETS.get(backend, 1.0))


def orm_speedup_verdict(backend, by_library):
    """'met', or why not: where the ORM itself is less than the target slower than raw, no library
    reaching raw's speed could meet it, and the cell says so with the ORM's own ratio."""
    target = ORM_SPEEDUP_TARGETS[backend]
    base = by_library.get(BASELINE)
    if SUBJECT not in by_library or ORM not in by_library or not base:
        return "—"
    speedup = by_library[ORM] / by_library[SUBJECT]
    if speedup >= target:
        return f"{speedup:.0f}× met"
    orm_over_raw = by_library[ORM] / base
    if orm_over_raw < target:
        return f"{speedup:.1f}× (out of reach at raw speed: the ORM is only {orm_over_raw:.1f}× raw)"
    return f"{speedup:.1f}× **missed**"
WORKLOAD_ORDER = ["trivial_query", "medium_complex", "single_insert", "bulk_insert", "associations", "short_select"]
LIBRARY_ORDER = [SUBJECT, "sqlitecpp", "pqxx", "soci", "sqlalchemy_core", "sqlalchemy_orm"]
UNIT_TO_US = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}


def parse_name(name):
    """'trivial_query/raw/1000/real_time_median' -> ('trivial_query', 'raw', '1000')."""
    parts = [p for p in name.split("/") if not p.startswith("real_time")]
    if len(parts) != 3:
        return None
    return parts[0], parts[1], parts[2]


def load(paths):
    """{backend: {(workload, n): {library: microseconds}}}, and the files' contexts."""
    runs = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    medians = defaultdict(lambda: defaultdict(dict))
    contexts = []
    for path in paths:
        with open(path) as f:
            document = json.load(f)
        context = document.get("context", {})
        contexts.append(context)
        backend = context.get("backend")
        if backend is None:
            print(f"{path}: no 'backend' in the context, skipped", file=sys.stderr)
            continue
        for entry in document.get("benchmarks", []):
            if entry.get("error_occurred"):
                continue
            parsed = parse_name(entry.get("run_name", entry["name"]))
            if parsed is None:
                continue
            workload, library, n = parsed
            # Google Benchmark's convention: names ending in /real_time count wall time, others CPU time.
            field = "real_time" if "/real_time" in entry.get("run_name", entry["name"]) else "cpu_time"
            micros = entry[field] * UNIT_TO_US[entry.get("time_unit", "ns")]
            if entry.get("run_type") == "aggregate":
                if entry.get("aggregate_name") == "median":
                    medians[backend][(workload, n)][library] = micros
            else:
                runs[backend][(workload, n)][library].append(micros)
    times = defaultdict(dict)
    for backend, by_workload in runs.items():
        for key, by_library in by_workload.items():
            times[backend][key] = {lib: statistics.median(values) for lib, values in by_library.items()}
    for backend, by_workload in medians.items():
        for key, by_library in by_workload.items():
            times[backend].setdefault(key, {}).update(by_library)
    return times, contexts


def workload_sort_key(key):
    workload, n = key
    order = WORKLOAD_ORDER.index(workload) if workload in WORKLOAD_ORDER else len(WORKLOAD_ORDER)
    return order, workload, int(n) if n.isdigit() else 0


def library_sort_key(library):
    return (LIBRARY_ORDER.index(library) if library in LIBRARY_ORDER else len(LIBRARY_ORDER), library)


def format_time(micros):
    if micros >= 1e6:
        return f"{micros / 1e6:.2f} s"
    if micros >= 1e3:
        return f"{micros / 1e3:.2f} ms"
    return f"{micros:.2f} µs"


def ratio_lines(times):
    lines = []
    for backend in sorted(times):
        keys = sorted(times[backend], key=workload_sort_key)
        has_subject = any(SUBJECT in times[backend][k] for k in keys)
        if not has_subject:
            lines.append(f"# {backend}: no {SUBJECT} results yet; ratios of each peer to {BASELINE} instead")
        for key in keys:
            by_library = times[backend][key]
            base = by_library.get(BASELINE)
            if not base:
                continue
            workload = f"{key[0]}/{key[1]}"
            if has_subject:
                if SUBJECT in by_library:
                    lines.append(f"ratio {backend} {workload} {by_library[SUBJECT] / base:.2f}")
            else:
                for library in sorted(by_library, key=library_sort_key):
                    if library != BASELINE:
                        lines.append(f"ratio {backend} {workload} {library} {by_library[library] / base:.2f}")
    return lines


def markdown(times, header_lines):
    out = list(header_lines)
    for backend in sorted(times):
        libraries = sorted({lib for by in times[backend].values() for lib in by if lib != BASELINE},
                           key=library_sort_key)
        has_subject = SUBJECT in libraries
        out.append("")
        out.append(f"### {backend}")
        out.append("")
        columns = ["workload", f"{BASELINE} (time)"] + [f"{lib} ×{BASELINE}" for lib in libraries]
        if has_subject:
            columns.append(f"target ≤ {TARGETS.get(backend, 1.0):.2f}")
            if backend in ORM_SPEEDUP_TARGETS and ORM in libraries:
                columns.append(f"{ORM} ÷ {SUBJECT} (target ≥ {ORM_SPEEDUP_TARGETS[backend]:.0f}×)")
        out.append("| " + " | ".join(columns) + " |")
        out.append("|" + "|".join([":---"] + ["---:"] * (len(columns) - 1)) + "|")
        for key in sorted(times[backend], key=workload_sort_key):
            by_library = times[backend][key]
            base = by_library.get(BASELINE)
            row = [f"{key[0]}/{key[1]}", format_time(base) if base else "—"]
            for lib in libraries:
                row.append(f"{by_library[lib] / base:.2f}" if base and lib in by_library else "—")
            if has_subject:
                if base and SUBJECT in by_library:
                    target = target_for(backend, key[0])
                    verdict = "met" if by_library[SUBJECT] / base <= target else "**missed**"
                    row.append(verdict if target == TARGETS.get(backend, 1.0) else f"{verdict} (≤ {target:.2f})")
                else:
                    row.append("—")
                if backend in ORM_SPEEDUP_TARGETS and ORM in libraries:
                    row.append(orm_speedup_verdict(backend, by_library))
            out.append("| " + " | ".join(row) + " |")
    return "\n".join(out) + "\n"


def compile_time_section(path):
    """Lines for the compile-time results of bench/compile_time/measure.sh -o FILE."""
    with open(path) as f:
        document = json.load(f)
    units = {u["tu"]: u for u in document.get("translation_units", [])}
    ratio = []
    table = ["", "### compile time (one translation unit, " + document.get("compiler", "") + ")", "",
             "| translation unit | wall time | peak memory |", "|:---|---:|---:|"]
    for name, unit in units.items():
        table.append(f"| {name} | {unit['seconds']:.2f} s | {unit['peak_mib']:.0f} MiB |")
    base = units.get("handwritten_50.cpp")
    subjects = [(name, unit) for name, unit in units.items() if name.startswith("crucible_50.cpp")]
    if base and subjects:
        table.append("")
    for name, subject in subjects if base else []:
        mode = "separate compilation" if "CRUCIBLE_SEPARATE_COMPILATION" in name else "header-only"
        label = "crucible_50" if mode == "header-only" else "crucible_50_separate"
        time_ratio = subject["seconds"] / base["seconds"]
        verdict = "met" if time_ratio <= 2.0 and subject["peak_mib"] < 1024 else "missed"
        ratio.append(f"ratio compile {label}/handwritten_50 {time_ratio:.2f} "
                     f"(peak {subject['peak_mib']:.0f} MiB; target <= 2.00 and < 1024 MiB: {verdict})")
        table.append(f"- crucible_50 ({mode}) / handwritten_50: {time_ratio:.2f}× the wall time "
                     f"(target ≤ 2×, under 1 GiB: {verdict}).")
    return ratio, table


def chart(times, path, title):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    backends = sorted(times)
    fig, axes = plt.subplots(len(backends), 1, figsize=(14, 4.8 * len(backends)), squeeze=False)
    for axis, backend in zip(axes[:, 0], backends):
        keys = sorted(times[backend], key=workload_sort_key)
        libraries = sorted({lib for by in times[backend].values() for lib in by if lib != BASELINE},
                           key=library_sort_key)
        width = 0.8 / max(1, len(libraries))
        for i, lib in enumerate(libraries):
            xs, ys = [], []
            for x, key in enumerate(keys):
                base = times[backend][key].get(BASELINE)
                if base and lib in times[backend][key]:
                    xs.append(x - 0.4 + width * (i + 0.5))
                    ys.append(times[backend][key][lib] / base)
            axis.bar(xs, ys, width, label=lib)
        axis.axhline(1.0, color="black", linewidth=0.8)
        if backend in TARGETS and SUBJECT in libraries:
            axis.axhline(TARGETS[backend], color="red", linewidth=0.8, linestyle="--", label=f"target {TARGETS[backend]}")
        axis.set_yscale("log")
        axis.set_ylabel(f"time / {BASELINE} (log)")
        axis.set_title(f"{backend}: time relative to the raw C API ({'libpq' if backend == 'postgres' else 'sqlite3'}), lower is better")
        axis.set_xticks(range(len(keys)))
        axis.set_xticklabels([f"{w.replace('_', ' ')}\n{n}" for w, n in keys], fontsize=7, rotation=30)
        axis.legend(fontsize=8, ncol=min(6, len(libraries) + 1))
        axis.grid(axis="y", which="both", alpha=0.3)
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("json", nargs="+", help="Google Benchmark JSON files (C++ binaries and sqlalchemy_bench.py)")
    parser.add_argument("--markdown", help="also write the table to this file")
    parser.add_argument("--chart", help="write the chart (PNG or SVG) here")
    parser.add_argument("--compile-time", help="JSON from bench/compile_time/measure.sh -o")
    parser.add_argument("--machine", default="", help="a line describing the machine, for the table and chart")
    args = parser.parse_args()

    times, contexts = load(args.json)
    if not times:
        print("no benchmark results found", file=sys.stderr)
        return 1
    dates = sorted({c.get("date", "")[:10] for c in contexts if c.get("date")})
    cpus = sorted({str(c.get("num_cpus")) for c in contexts if c.get("num_cpus")})
    machine = args.machine or (f"{', '.join(cpus)} CPUs" if cpus else "")
    header = [f"Measured {', '.join(dates)}{' on ' + machine if machine else ''}. "
              f"Times are medians of repetitions (SQLite: CPU time; PostgreSQL: wall time); ratios are each library's time over {BASELINE}'s."]

    compile_ratio, compile_table = compile_time_section(args.compile_time) if args.compile_time else ([], [])
    for line in ratio_lines(times) + compile_ratio:
        print(line)
    table = markdown(times, header)
    if compile_table:
        table += "\n".join(compile_table) + "\n"
    print()
    print(table, end="")
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(table)
    if args.chart:
        chart(times, args.chart, f"crucible benchmarks — {', '.join(dates)}{' — ' + machine if machine else ''}")
        print(f"\nchart written to {args.chart}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
