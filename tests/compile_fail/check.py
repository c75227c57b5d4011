#!/usr/bin/env python3
"""Compile-fail harness: the case must fail to compile, and the compiler's first error must carry
the message given on the case's first line as `// expect: <message>`."""
import pathlib
import re
import subprocess
import sys

case = pathlib.Path(sys.argv[1])
compiler = sys.argv[2:]
first_line = case.read_text().splitlines()[0]
match = re.match(r"//\s*expect:\s*(.+)", first_line)
if not match:
    print(f"{case}: first line must be `// expect: <message>`")
    sys.exit(1)
expected = match.group(1).strip()

# An optional second line `// flags: ...` adds compiler flags after the harness's own (which they
# may override, e.g. -std=c++17).
lines = case.read_text().splitlines()
extra = []
if len(lines) > 1:
    flags = re.match(r"//\s*flags:\s*(.+)", lines[1])
    if flags:
        extra = flags.group(1).split()
result = subprocess.run(compiler + ["-std=c++20", "-fsyntax-only"] + extra + [str(case)], capture_output=True, text=True)
output = result.stdout + result.stderr
if result.returncode == 0:
    print(f"{case.name}: compiled, but must fail with: {expected}")
    sys.exit(1)
# `// gcc-only: <why>`: the crucible message is g++'s only; with clang the case must still fail to
# compile, and that is all that is checked (the README's known limitations say so).
is_clang = "clang" in pathlib.Path(compiler[0]).name
for line in lines:
    gcc_only = re.match(r"//\s*gcc-only:\s*(.+)", line)
    if gcc_only and is_clang:
        print(f"{case.name}: fails to compile (with clang only that is checked: {gcc_only.group(1).strip()})")
        sys.exit(0)
errors = [line for line in output.splitlines() if "error:" in line]
if not errors:
    print(f"{case.name}: compiler failed without an error line:\n{output[:4000]}")
    sys.exit(1)
if expected not in errors[0]:
    print(f"{case.name}: first error does not carry the expected message\n"
          f"  expected: {expected}\n  first error: {errors[0]}\n\n{output[:6000]}")
    sys.exit(1)
# `// gcc-note: <text>` lines: text g++'s diagnostic must also carry (the operand a message names,
# which GCC prints in the note under the error; clang prints the operand's type in its first line).
if not is_clang:
    for line in lines:
        note = re.match(r"//\s*gcc-note:\s*(.+)", line)
        if note and note.group(1).strip() not in output:
            print(f"{case.name}: the diagnostic does not carry: {note.group(1).strip()}\n\n{output[:6000]}")
            sys.exit(1)
if "crucible" not in errors[0]:
    print(f"{case.name}: the first error is not crucible's own line: {errors[0]}")
    sys.exit(1)
# A mistake should read in one screen: the whole diagnostic, notes and "required from" lines included.
MAX_LINES = 25
lines_out = output.count("\n")
if lines_out > MAX_LINES:
    print(f"{case.name}: the error is {lines_out} lines long (at most {MAX_LINES}):\n{output[:6000]}")
    sys.exit(1)
print(f"{case.name}: fails to compile with: {expected} ({lines_out} lines)")
