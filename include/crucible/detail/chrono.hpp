// std::chrono's clocks, durations and time points, without the rest of <chrono> where the standard
// library allows it.
#pragma once

#include <version>

// libstdc++ 12's <chrono> also brings in the calendar, time zones and chrono::parse, and with them
// <sstream> and the rest of iostreams, which every translation unit that includes crucible would
// parse; its <bits/chrono.h> is durations, time points, system_clock and steady_clock alone, all
// that crucible uses. Programs that use the calendar include <chrono> themselves. Any other
// library: <chrono>.
#if defined(__GLIBCXX__) && __has_include(<bits/chrono.h>)
#include <bits/chrono.h>
#else
#include <chrono>
#endif
