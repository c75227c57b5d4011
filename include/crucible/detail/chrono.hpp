// std::chrono's clocks, durations and time points, without the rest of <chrono> where the standard
// library allows it; and the checked conversion of a time point to the microseconds databases store.
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

#include <cstdint>
#include <limits>
#include <ratio>
#include <type_traits>

namespace crucible::detail {

// A time point as whole microseconds since its clock's epoch, the unit both databases store, or why
// it cannot be one. Nothing is rounded: a value finer than a microsecond, or one beyond 64-bit
// microseconds, is refused (data_error where it is bound), never stored as another instant.
struct checked_microseconds {
    enum class status : unsigned char { exact, out_of_range, finer_than_microseconds };
    std::int64_t value = 0;
    status problem = status::exact;
};

template <class Clock, class Duration>
constexpr checked_microseconds to_microseconds(std::chrono::time_point<Clock, Duration> time) noexcept {
    using status = checked_microseconds::status;
    using rep = typename Duration::rep;
    using ratio = std::ratio_divide<typename Duration::period, std::micro>;
    const rep count = time.time_since_epoch().count();
    if constexpr (std::is_floating_point_v<rep>) {
        const long double micros = static_cast<long double>(count) * ratio::num / ratio::den;
        if (!(micros >= -9223372036854775808.0L && micros < 9223372036854775808.0L)) {  // NaN too
            return {0, status::out_of_range};
        }
        if (__builtin_truncl(micros) != micros) {
            return {0, status::finer_than_microseconds};
        }
        return {static_cast<std::int64_t>(micros), status::exact};
    } else if constexpr (ratio::num == 1 && ratio::den == 1 && std::is_signed_v<rep> &&
                         sizeof(rep) <= sizeof(std::int64_t)) {
        return {static_cast<std::int64_t>(count), status::exact};  // microseconds: nothing to check
    } else {
        // Any other ratio, exactly: every rep times any std::ratio's numerator fits in 128 bits.
        __extension__ using wide = __int128;
        const wide scaled = static_cast<wide>(count) * static_cast<wide>(ratio::num);
        if (scaled % ratio::den != 0) {
            return {0, status::finer_than_microseconds};
        }
        const wide micros = scaled / ratio::den;
        if (micros < std::numeric_limits<std::int64_t>::min() || micros > std::numeric_limits<std::int64_t>::max()) {
            return {0, status::out_of_range};
        }
        return {static_cast<std::int64_t>(micros), status::exact};
    }
}

// Why a time point could not be bound, for a data_error's message.
constexpr const char* timestamp_problem(checked_microseconds::status problem) noexcept {
    return problem == checked_microseconds::status::out_of_range
               ? "timestamp out of range: it does not fit in 64-bit microseconds since the epoch"
               : "timestamp finer than a microsecond, which the databases do not store: round it first, "
                 "e.g. with std::chrono::floor<std::chrono::microseconds>(t)";
}

} // namespace crucible::detail
