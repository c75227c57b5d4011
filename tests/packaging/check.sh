#!/usr/bin/env bash
# Packaging: `meson install` puts the headers and crucible.pc in place, and another meson project
# builds and runs a program against crucible used as a subproject.
set -euo pipefail
source_root=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

meson setup "$work/install-build" "$source_root" --prefix="$work/prefix" -Dtests=false -Dbench=false >/dev/null
meson install -C "$work/install-build" >/dev/null
pc=$(find "$work/prefix" -name crucible.pc)
[ -n "$pc" ] || { echo "crucible.pc was not installed"; exit 1; }
grep -q -- "-std=c++20" "$pc" || { echo "crucible.pc lacks -std=c++20"; cat "$pc"; exit 1; }
[ -f "$work/prefix/include/crucible/crucible.hpp" ] || { echo "headers were not installed"; exit 1; }

mkdir -p "$work/user/subprojects"
ln -s "$source_root" "$work/user/subprojects/crucible"
cp "$(dirname "$0")/user_meson.build" "$work/user/meson.build"
cp "$(dirname "$0")/user_app.cpp" "$work/user/app.cpp"
meson setup "$work/user/build" "$work/user" >/dev/null
ninja -C "$work/user/build" >/dev/null
"$work/user/build/app"
"$work/user/build/app_separate"

# Separate compilation by hand against the installed headers, as the README shows.
[ -f "$work/prefix/include/crucible/src/sqlite.hpp" ] || { echo "crucible/src/ was not installed"; exit 1; }
printf '#include "crucible/src/sqlite.hpp"\n' >"$work/impl.cpp"
flags=(-std=c++20 -O1 -DCRUCIBLE_SEPARATE_COMPILATION -I"$work/prefix/include" -Wall -Wextra -Wpedantic -Werror)
c++ "${flags[@]}" -c "$work/impl.cpp" -o "$work/impl.o"
c++ "${flags[@]}" -c "$(dirname "$0")/user_app.cpp" -o "$work/app.o"
c++ "$work/app.o" "$work/impl.o" -lSQLiteCpp -lsqlite3 -o "$work/app_by_hand"
"$work/app_by_hand"
echo "installed headers + crucible.pc, a subproject build (header-only and compiled), and a separate build by hand run"
