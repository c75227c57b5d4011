// std::function, without the rest of <functional> where the standard library allows it.
#pragma once

#include <version>

// libstdc++'s <functional> also brings in <unordered_map>, <array> and the whole of <bits/stl_algo.h>
// (for the C++17 searchers), which every translation unit that includes crucible would parse; its
// <bits/std_function.h> is std::function (with std::less and std::equal_to, <bits/stl_function.h>)
// alone. Any other library: <functional>.
#if defined(__GLIBCXX__) && __has_include(<bits/std_function.h>)
#include <bits/std_function.h>
#else
#include <functional>
#endif
