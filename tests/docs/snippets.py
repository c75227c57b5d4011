#!/usr/bin/env python3
"""Compiles the C++ code blocks of a Markdown page from their text.

Each ```cpp block of the page goes into one generated translation unit, in page order. What a
block is, is said by an HTML comment on the line before its fence (invisible in the rendered page):

  (no comment)                   code at namespace scope (structs, functions, constants); what
                                 follows on the page may use it. A block with `int main(` is a
                                 whole program's main.
  <!-- snippet: main -->         statements: they become the body of a function that the
                                 generated main() calls, in page order.
  <!-- snippet: main no-run -->  statements that are compiled but not run (a server that is not
                                 there, a program that serves forever).
  <!-- snippet: own -->          namespace-scope code in a namespace of its own (an alternative
                                 spelling of something declared above); `main own` likewise.
  <!-- snippet: fails "TEXT" --> must not compile, and the compiler's first error carries TEXT
                                 (checked by `--check-fails`; left out of the generated unit);
                                 `main fails "TEXT"` for statements.

Every unit starts with the prelude below: the standard headers, both backends' one-stop headers
and `using namespace crucible;`, as the docs' index says the snippets assume. `#include` lines of
a block are moved to the top of the unit.

  snippets.py --generate PAGE.md OUT.cpp
  snippets.py --check-fails PAGE.md CXX... -- FLAGS...
"""
import pathlib
import re
import shlex
import subprocess
import sys
import tempfile

PRELUDE = """\
// Generated from {page} by tests/docs/snippets.py: do not edit.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iostream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "crucible/postgres.hpp"
#include "crucible/sqlite.hpp"
"""

FENCE = re.compile(r"^(\s*)```(\S*)\s*$")
MARK = re.compile(r"^\s*<!--\s*snippet:\s*(.*?)\s*-->\s*$")


class Block:
    def __init__(self, line, kind, code, fails):
        self.line, self.kind, self.code, self.fails = line, kind, code, fails


def blocks(page):
    lines = page.read_text().splitlines()
    out = []
    i = 0
    while i < len(lines):
        fence = FENCE.match(lines[i])
        if not fence or not fence.group(2):
            if fence:  # an unlabelled opening fence: skip to its end
                i += 1
                while i < len(lines) and not FENCE.match(lines[i]):
                    i += 1
            i += 1
            continue
        indent, language = fence.group(1), fence.group(2)
        start = i
        mark = MARK.match(lines[i - 1]) if i > 0 else None
        i += 1
        body = []
        while i < len(lines) and not FENCE.match(lines[i]):
            body.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i])
            i += 1
        i += 1
        if language != "cpp":
            continue
        words = mark.group(1) if mark else ""
        fails = None
        failing = re.search(r'fails\s+"(.*)"', words)
        if failing:
            fails = failing.group(1)
            words = words[:failing.start()] + "fails" + words[failing.end():]
        kind = set(words.split()) or {"namespace"}
        unknown = kind - {"namespace", "main", "no-run", "own", "fails"}
        if unknown:
            sys.exit(f"{page}:{start + 1}: unknown snippet kind {sorted(unknown)}")
        out.append(Block(start + 1, kind, "\n".join(body), fails))
    return out


def split_includes(code):
    includes = [l for l in code.splitlines() if l.strip().startswith("#include")]
    rest = "\n".join(l for l in code.splitlines() if not l.strip().startswith("#include"))
    return includes, rest


def unit(page, items, upto=None, failing=None):
    """The translation unit of the page: every block before `upto` (all when None), and `failing`."""
    includes, parts, calls = [], [], []
    has_main = False
    for n, b in enumerate(items):
        if upto is not None and n >= upto:
            break
        if "fails" in b.kind:
            continue
        inc, code = split_includes(b.code)
        includes += inc
        where = f"#line {b.line + 1} \"{page}\""
        if "main" in b.kind:
            name = f"snippet_at_line_{b.line}"
            parts.append(f"[[maybe_unused]] static void {name}() {{\n{where}\n{code}\n}}")
            if "no-run" not in b.kind:
                calls.append(name)
        elif "own" in b.kind:
            parts.append(f"namespace snippet_at_line_{b.line} {{\n{where}\n{code}\n}}")
        else:
            has_main = has_main or re.search(r"\bint\s+main\s*\(", code) is not None
            parts.append(f"{where}\n{code}")
    if failing is not None:
        inc, code = split_includes(failing.code)
        includes += inc
        where = f"#line {failing.line + 1} \"{page}\""
        parts.append(f"static void failing_snippet() {{\n{where}\n{code}\n}}" if "main" in failing.kind
                     else f"{where}\n{code}")
    text = PRELUDE.format(page=page.name) + "\n".join(dict.fromkeys(includes)) + "\n\nusing namespace crucible;\n\n"
    text += "\n".join(parts) + "\n"
    if failing is None and not has_main:
        text += "\nint main() {\n" + "".join(f"    {c}();\n" for c in calls) + "    return 0;\n}\n"
    elif failing is None and calls:
        sys.exit(f"{page}: a page with its own main() cannot also have `snippet: main` blocks")
    return text


def check_fails(page, compiler_and_flags):
    items = blocks(page)
    failures = 0
    checked = 0
    for n, b in enumerate(items):
        if "fails" not in b.kind:
            continue
        checked += 1
        with tempfile.TemporaryDirectory() as scratch:
            src = pathlib.Path(scratch) / "snippet.cpp"
            src.write_text(unit(page, items, upto=n, failing=b))
            result = subprocess.run(compiler_and_flags + ["-std=c++20", "-fsyntax-only", str(src)],
                                    capture_output=True, text=True)
        errors = [l for l in (result.stdout + result.stderr).splitlines() if "error:" in l]
        if result.returncode == 0:
            print(f"{page.name}:{b.line}: compiled, but the page says it fails with: {b.fails}")
            failures += 1
        elif not errors or b.fails not in errors[0]:
            print(f"{page.name}:{b.line}: first error does not carry: {b.fails}\n  first error: "
                  f"{errors[0] if errors else '(none)'}")
            failures += 1
        else:
            print(f"{page.name}:{b.line}: fails to compile with: {b.fails}")
    if checked == 0:
        print(f"{page.name}: no `snippet: fails` block")
        return 1
    return 1 if failures else 0


def main():
    if sys.argv[1] == "--generate":
        page, out = pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
        text = unit(page, blocks(page))
        if not out.exists() or out.read_text() != text:
            out.write_text(text)
        return 0
    if sys.argv[1] == "--check-fails":
        page = pathlib.Path(sys.argv[2])
        rest = sys.argv[3:]
        return check_fails(page, rest)
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main())
