// column_kind: the storage kinds a column can have, which each dialect spells as a SQL type.
#pragma once

namespace crucible::dialect {

enum class column_kind {
    boolean,
    int8,
    int16,
    int32,
    int64,
    uint8,
    uint16,
    uint32,
    uint64,
    real32,
    real64,
    text,
    blob,
    timestamp,
};

constexpr bool is_integer(column_kind kind) noexcept {
    return kind >= column_kind::int8 && kind <= column_kind::uint64;
}

} // namespace crucible::dialect
