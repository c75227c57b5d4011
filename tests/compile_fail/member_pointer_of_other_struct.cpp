// expect: the member pointer belongs to another struct than the table's
#include "crucible/reflect/member_pointer.hpp"

#include <cstdint>
#include <string>

struct Artist {
    std::int64_t id;
    std::string name;
};
struct Album {
    std::int64_t id;
    std::string title;
};

constexpr auto index = crucible::reflect::field_index<Artist, &Album::title>();
