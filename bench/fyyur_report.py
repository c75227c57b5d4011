#!/usr/bin/python3
"""fyyur vs Flask-SQLAlchemy: the table (bench/results/fyyur.md) and chart (bench/results/fyyur.png)
from scripts/bench-fyyur's JSON. Targets: fyyur serves >= 20x the Flask site's requests/s on every
route, with its p99 latency below Flask's p50."""
import json
import sys
from pathlib import Path

ROUTES = [("venues", "GET /venues"), ("venue", "GET /venues/<id>"), ("artist_search", "POST /artists/search"),
          ("show_create", "POST /shows/create")]


def main():
    results = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/results")
    lines = ["| database | route | fyyur req/s | Flask req/s | ratio (≥ 20×) | fyyur p50 / p99 ms | Flask p50 / p99 ms "
             "| fyyur p99 < Flask p50 | server CPU per request fyyur / Flask (ratio) | server memory fyyur / Flask |",
             "|---|---|---:|---:|---:|---|---|---|---|---|"]
    chart = []
    for db in ("sqlite", "postgres"):
        c_file, f_file = results / f"fyyur_crucible_{db}.json", results / f"fyyur_flask_{db}.json"
        if not (c_file.exists() and f_file.exists()):
            continue
        c, f = json.loads(c_file.read_text()), json.loads(f_file.read_text())
        for route, label in ROUTES:
            a, b = c["routes"][route], f["routes"][route]
            ratio = a["rps"] / b["rps"]
            chart.append((f"{db}\n{route}", ratio, b["server_cpu_us"] / max(a["server_cpu_us"], 1e-9)))
            lines.append(f"| {db} | `{label}` | {a['rps']:,.0f} | {b['rps']:,.0f} | "
                         f"**{ratio:,.1f}×** {'met' if ratio >= 20 else 'missed'} | "
                         f"{a['p50_ms']:.2f} / {a['p99_ms']:.2f} | {b['p50_ms']:.2f} / {b['p99_ms']:.2f} | "
                         f"{'yes' if a['p99_ms'] < b['p50_ms'] else 'no'} | "
                         f"{a['server_cpu_us']:,.0f} / {b['server_cpu_us']:,.0f} µs "
                         f"({b['server_cpu_us'] / max(a['server_cpu_us'], 1e-9):,.1f}×) | "
                         f"{a['rss_kib'] / 1024:.0f} / {b['rss_kib'] / 1024:.0f} MiB |")
        lines.append("")
        lines.append(f"{db}: {c['started']} (fyyur) and {f['started']} (Flask), {c['duration_s']} s per route, "
                     f"wrk {c['threads']} threads / {c['connections']} connections.")
        lines.append("")
    table = "\n".join(lines) + "\n"
    (results / "fyyur.md").write_text(table)
    print(table)
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return
    if chart:
        fig, ax = plt.subplots(figsize=(10, 4.2))
        x = range(len(chart))
        ax.bar([i - 0.2 for i in x], [r for _, r, _ in chart], width=0.4, color="#c2410c",
               label="requests/s, fyyur ÷ Flask")
        ax.bar([i + 0.2 for i in x], [c for _, _, c in chart], width=0.4, color="#6b6b78",
               label="server CPU per request, Flask ÷ fyyur")
        ax.set_xticks(list(x), [n for n, _, _ in chart])
        ax.axhline(20, color="black", linestyle="--", linewidth=1, label="target 20× (requests/s)")
        ax.set_ylabel("ratio")
        ax.set_title("fyyur in C++ on crucible vs the same site in Flask-SQLAlchemy (2 workers each)")
        ax.legend()
        plt.xticks(fontsize=8)
        fig.tight_layout()
        fig.savefig(results / "fyyur.png", dpi=110)


if __name__ == "__main__":
    main()
