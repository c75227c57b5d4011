#!/usr/bin/env python3
"""Compiles every header under include/ alone, so each one includes what it uses."""
import concurrent.futures
import os
import pathlib
import subprocess
import sys

include_dir = pathlib.Path(sys.argv[1])
compiler = sys.argv[2:]
headers = sorted(include_dir.rglob("*.hpp"))


def check(header: pathlib.Path):
    relative = header.relative_to(include_dir)
    source = f'#include "{relative}"\n'
    cmd = compiler + ["-std=c++20", "-fsyntax-only", "-Wall", "-Wextra", "-Wpedantic", "-Werror",
                      f"-I{include_dir}", "-x", "c++", "-"]
    result = subprocess.run(cmd, input=source, capture_output=True, text=True)
    return relative, result.returncode, result.stderr


failures = 0
with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
    for relative, code, stderr in pool.map(check, headers):
        if code != 0:
            failures += 1
            print(f"FAIL {relative}\n{stderr[:4000]}")
        else:
            print(f"ok   {relative}")
print(f"{len(headers) - failures} of {len(headers)} headers compile on their own")
sys.exit(1 if failures or not headers else 0)
