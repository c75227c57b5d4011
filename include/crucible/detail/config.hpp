// Header-only (the default) or separate compilation (CRUCIBLE_SEPARATE_COMPILATION, project-wide).
#pragma once

// crucible is C++20 (concepts, class-type template parameters, consteval): say so in one line
// rather than with a page of errors from the first header that uses them.
#if defined(_MSVC_LANG) ? _MSVC_LANG < 202002L : __cplusplus < 202002L
#error "crucible needs C++20: compile with -std=c++20 (g++ 12)"
// #error does not stop the compiler; a missing header does, before pages of C++17 errors follow.
#include <crucible_stops_here_for_want_of_cxx20>
#endif

// Header-only: every function is defined in the headers, `inline`. With
// CRUCIBLE_SEPARATE_COMPILATION defined in every translation unit, the headers only declare the
// library's non-template, non-hot-path code (URL parsing, opening connections, preparing
// statements, error translation) and the engine and pool for each backend; one .cpp of the
// program defines it all by including crucible/src/sqlite.hpp and/or crucible/src/postgres.hpp.
// Code run per row or per value stays inline in both modes.
//
// CRUCIBLE_DECL marks such a function: `inline` when header-only, nothing when compiled once.
// CRUCIBLE_TEMPLATE_DECL marks the out-of-class members of the engine and pool templates, which
// are explicitly instantiated for each backend: `inline` when header-only as before; not inline
// when compiled once, so that under `extern template` the compiler takes them from the library
// instead of instantiating them again to inline them.
#ifdef CRUCIBLE_SEPARATE_COMPILATION
#define CRUCIBLE_HEADER_ONLY 0
#define CRUCIBLE_DECL
#define CRUCIBLE_TEMPLATE_DECL
#else
#define CRUCIBLE_HEADER_ONLY 1
#define CRUCIBLE_DECL inline
#define CRUCIBLE_TEMPLATE_DECL inline
#endif
