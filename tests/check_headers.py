#!/usr/bin/env python3
"""Compiles every header under include/ alone, so each one includes what it uses: once header-only and
once with CRUCIBLE_SEPARATE_COMPILATION (crucible/src/*.hpp, which exist for that mode, only then).
The .ipp files under impl/ (definitions, which a src header includes in that mode) are checked in
that mode too."""
import concurrent.futures
import os
import pathlib
import subprocess
import sys

include_dir = pathlib.Path(sys.argv[1])
compiler = sys.argv[2:]
headers = sorted(include_dir.rglob("*.hpp"))
separate = "-DCRUCIBLE_SEPARATE_COMPILATION"
definitions = sorted(include_dir.rglob("*.ipp"))
checks = [(h, []) for h in headers if h.parent.name != "src"] + [(h, [separate]) for h in headers + definitions]


def check(job):
    header, flags = job
    relative = header.relative_to(include_dir)
    source = f'#include "{relative}"\n'
    cmd = compiler + ["-std=c++20", "-fsyntax-only", "-Wall", "-Wextra", "-Wpedantic", "-Werror",
                      f"-I{include_dir}", *flags, "-x", "c++", "-"]
    result = subprocess.run(cmd, input=source, capture_output=True, text=True)
    return " ".join([str(relative), *flags]), result.returncode, result.stderr


failures = 0
with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
    for relative, code, stderr in pool.map(check, checks):
        if code != 0:
            failures += 1
            print(f"FAIL {relative}\n{stderr[:4000]}")
        else:
            print(f"ok   {relative}")
print(f"{len(checks) - failures} of {len(checks)} header checks compile on their own")
sys.exit(1 if failures or not checks else 0)
