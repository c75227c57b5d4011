#!/usr/bin/env bash
# Packaging: `meson install` (no options) puts the headers, the pkg-config files and the CMake
# package in place, builds no tests, and each documented way of using crucible builds and runs a
# program: CMake's find_package, pkg-config, a meson subproject, and a plain -I copy of include/.
set -euo pipefail
source_root=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

here=$(cd "$(dirname "$0")" && pwd)
version=$(meson introspect --projectinfo "$source_root/meson.build" 2>/dev/null |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["version"])')

meson setup "$work/install-build" "$source_root" --prefix="$work/prefix" >/dev/null
meson install -C "$work/install-build" >"$work/install.log"
if grep -q "Compiling" "$work/install.log" || [ -n "$(find "$work/install-build/tests" -name '*.o' 2>/dev/null)" ]; then
  echo "meson install compiled something (it must only install headers and files):"; cat "$work/install.log"; exit 1
fi
pc=$(find "$work/prefix" -name crucible.pc)
[ -n "$pc" ] || { echo "crucible.pc was not installed"; exit 1; }
grep -q -- "-std=c++20" "$pc" || { echo "crucible.pc lacks -std=c++20"; cat "$pc"; exit 1; }
[ -f "$work/prefix/include/crucible/crucible.hpp" ] || { echo "headers were not installed"; exit 1; }
export PKG_CONFIG_PATH
PKG_CONFIG_PATH=$(dirname "$pc")

# pkg-config: one line per backend.
for backend in sqlite postgres; do
  [ "$(pkg-config --modversion "crucible-$backend")" = "$version" ] || { echo "crucible-$backend.pc is not version $version"; exit 1; }
done
# shellcheck disable=SC2046
c++ "$here/user_app.cpp" -o "$work/app_pkgconfig" $(pkg-config --cflags --libs crucible-sqlite)
"$work/app_pkgconfig"
# shellcheck disable=SC2046
c++ "$here/user_postgres.cpp" -o "$work/app_pkgconfig_pg" $(pkg-config --cflags --libs crucible-postgres)
[ "$("$work/app_pkgconfig_pg")" = "$version" ] || { echo "CRUCIBLE_VERSION_STRING is not $version"; exit 1; }

# CMake: find_package(crucible 0.2) and the targets, header-only and compiled.
cmake -S "$here" -B "$work/cmake-build" -DCMAKE_PREFIX_PATH="$work/prefix" >"$work/cmake.log" ||
  { cat "$work/cmake.log"; exit 1; }
cmake --build "$work/cmake-build" -j 2 >"$work/cmake-build.log" || { cat "$work/cmake-build.log"; exit 1; }
"$work/cmake-build/app"
"$work/cmake-build/app_separate"
[ "$("$work/cmake-build/app_postgres")" = "$version" ] || { echo "the CMake PostgreSQL program did not run"; exit 1; }
"$work/cmake-build/app_postgres_separate" >/dev/null
# The CMakeLists.txt of docs/install.md, from the page's text.
docs_block() {  # LANGUAGE: the first ```LANGUAGE block of docs/install.md, unindented
  python3 - "$source_root/docs/install.md" "$1" <<'PY'
import re, sys, textwrap
text = open(sys.argv[1]).read()
match = re.search(r"^( *)```" + re.escape(sys.argv[2]) + r"\n(.*?)^\1```", text, re.S | re.M)
if not match:
    sys.exit(f"docs/install.md has no {sys.argv[2]} block")
print(textwrap.dedent(match.group(2)), end="")
PY
}
mkdir -p "$work/docs-cmake"
docs_block cmake >"$work/docs-cmake/CMakeLists.txt"
cp "$here/user_app.cpp" "$work/docs-cmake/app.cpp"
cmake -S "$work/docs-cmake" -B "$work/docs-cmake/build" -DCMAKE_PREFIX_PATH="$work/prefix" >"$work/docs-cmake.log" &&
  cmake --build "$work/docs-cmake/build" >>"$work/docs-cmake.log" || { cat "$work/docs-cmake.log"; exit 1; }
"$work/docs-cmake/build/app"
# A version the package is not: refused.
mkdir -p "$work/cmake-old"
printf 'cmake_minimum_required(VERSION 3.20)\nproject(u CXX)\nfind_package(crucible 9.0 REQUIRED)\n' >"$work/cmake-old/CMakeLists.txt"
if cmake -S "$work/cmake-old" -B "$work/cmake-old/b" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null 2>&1; then
  echo "find_package(crucible 9.0) accepted version $version"; exit 1
fi

# A plain copy of include/ and the drivers' flags by hand, header-only.
cp -r "$source_root/include" "$work/copied-include"
c++ -std=c++20 -I"$work/copied-include" "$here/user_app.cpp" -o "$work/app_copied" -lSQLiteCpp -lsqlite3
"$work/app_copied"

mkdir -p "$work/user/subprojects"
ln -s "$source_root" "$work/user/subprojects/crucible"
cp "$here/crucible.wrap" "$work/user/subprojects/crucible.wrap"
cp "$here/user_meson.build" "$work/user/meson.build"
cp "$here/user_app.cpp" "$work/user/app.cpp"
# (Without the install prefix's pkg-config files, which meson would otherwise find first.)
PKG_CONFIG_PATH='' meson setup "$work/user/build" "$work/user" >"$work/user-setup.log" ||
  { cat "$work/user-setup.log"; exit 1; }
ninja -C "$work/user/build" >"$work/user-build.log" || { cat "$work/user-build.log"; exit 1; }
# Nothing of crucible's own is built but what the two programs use: no test, bench or example.
if grep -E "tests/|bench/|examples/|crucible-postgres" "$work/user-build.log"; then
  echo "the subproject build compiled something the user does not use"; exit 1
fi
"$work/user/build/app"
"$work/user/build/app_separate"

# The meson.build and wrap file of docs/install.md, from the page's text.
mkdir -p "$work/docs-meson/subprojects"
ln -s "$source_root" "$work/docs-meson/subprojects/crucible"
docs_block ini >"$work/docs-meson/subprojects/crucible.wrap"
docs_block meson >"$work/docs-meson/meson.build"
cp "$here/user_app.cpp" "$work/docs-meson/app.cpp"
PKG_CONFIG_PATH='' meson setup "$work/docs-meson/build" "$work/docs-meson" >"$work/docs-meson.log" &&
  ninja -C "$work/docs-meson/build" >>"$work/docs-meson.log" || { cat "$work/docs-meson.log"; exit 1; }
"$work/docs-meson/build/app"

# Separate compilation by hand against the installed headers, as the README shows.
[ -f "$work/prefix/include/crucible/src/sqlite.hpp" ] || { echo "crucible/src/ was not installed"; exit 1; }
printf '#include "crucible/src/sqlite.hpp"\n' >"$work/impl.cpp"
flags=(-std=c++20 -O1 -DCRUCIBLE_SEPARATE_COMPILATION -I"$work/prefix/include" -Wall -Wextra -Wpedantic -Werror)
c++ "${flags[@]}" -c "$work/impl.cpp" -o "$work/impl.o"
c++ "${flags[@]}" -c "$(dirname "$0")/user_app.cpp" -o "$work/app.o"
c++ "$work/app.o" "$work/impl.o" -lSQLiteCpp -lsqlite3 -o "$work/app_by_hand"
"$work/app_by_hand"
echo "installed by meson install; pkg-config, CMake (header-only and compiled), meson subproject (header-only and compiled), a plain -I copy and a separate build by hand each built and ran a program"
