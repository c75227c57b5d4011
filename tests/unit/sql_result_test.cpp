// Reading a row into a statement's result type: a tuple, the struct, a tuple of structs with an
// outer-joined one absent, a user struct after .as<S>(), a RETURNING row. The reader is a fake
// backend cursor over text cells.
#include "sql_test_tables.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

namespace sql_test {
namespace {

using namespace crucible::sql;

// A row of text cells; std::nullopt is NULL. Records which columns were read, in order.
struct fake_reader {
    std::vector<std::optional<std::string>> cells;
    std::vector<std::size_t> read_order;

    bool is_null(std::size_t index) const { return !cells.at(index).has_value(); }

    template <class T>
    T read(std::size_t index, column_context ctx) {
        read_order.push_back(index);
        if constexpr (crucible::schema::is_nullable<T>) {
            if (is_null(index)) {
                return std::nullopt;
            }
            return read<typename T::value_type>(index, ctx);
        } else {
            if (is_null(index)) {
                throw std::runtime_error("NULL read into a non-optional value");
            }
            const std::string& text = *cells[index];
            if constexpr (std::is_same_v<T, std::string>) {
                return text;
            } else if constexpr (std::is_same_v<T, bool>) {
                return text == "1";
            } else if constexpr (std::is_integral_v<T>) {
                return static_cast<T>(std::stoll(text));
            } else {
                return static_cast<T>(std::stod(text));
            }
        }
    }
};
static_assert(row_source<fake_reader>);

template <class S>
typename S::result_type read_one(fake_reader& reader) {
    return read_row<typename S::result_type, typename S::row_tuple>(reader);
}
#define STMT(...) decltype(__VA_ARGS__)

TEST(SqlResult, TupleOfColumns) {
    using query = STMT(select(col<&Artist::id>, col<&Artist::city>, count()).from<Artist>().group_by(col<&Artist::id>, col<&Artist::city>));
    fake_reader reader{{"7", std::nullopt, "3"}, {}};
    const auto row = read_one<query>(reader);
    EXPECT_EQ(row, std::make_tuple(std::int64_t{7}, std::optional<std::string>{}, std::int64_t{3}));
    EXPECT_EQ(reader.read_order, (std::vector<std::size_t>{0, 1, 2}));
}

TEST(SqlResult, WholeStruct) {
    fake_reader reader{{"1", "Nina", "Oslo"}, {}};
    const Artist artist = read_one<STMT(select<Artist>())>(reader);
    EXPECT_EQ(artist.id, 1);
    EXPECT_EQ(artist.name, "Nina");
    EXPECT_EQ(artist.city, "Oslo");
}

TEST(SqlResult, LeftJoinedStructIsAbsentWhenAllItsColumnsAreNull) {
    using query = STMT(select(all_of<Artist>, all_of<Album>, col<&Artist::name>)
                           .from<Artist>()
                           .left_join<Album>(col<&Album::artist_id> == col<&Artist::id>));
    static_assert(std::is_same_v<query::result_type, std::tuple<Artist, std::optional<Album>, std::string>>);
    fake_reader missing{{"1", "Nina", std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt, "Nina"}, {}};
    const auto [artist, album, name] = read_one<query>(missing);
    EXPECT_EQ(artist.name, "Nina");
    EXPECT_FALSE(album.has_value());
    EXPECT_EQ(name, "Nina");

    fake_reader present{{"1", "Nina", std::nullopt, "5", "1", "Blue", "1971", std::nullopt, "Nina"}, {}};
    const auto [artist2, album2, name2] = read_one<query>(present);
    ASSERT_TRUE(album2.has_value());
    EXPECT_EQ(album2->title, "Blue");
    EXPECT_EQ(album2->year, 1971);
    EXPECT_FALSE(album2->price.has_value());
    EXPECT_EQ(name2, "Nina");
}

struct Summary {
    std::string name;
    std::optional<std::int64_t> albums;
};

TEST(SqlResult, UserStructTakesColumnsInOrder) {
    using query = STMT(select(col<&Artist::name>, subquery(select(count()).from<Album>().where(col<&Album::artist_id> == col<&Artist::id>)))
                           .from<Artist>()
                           .as<Summary>());
    static_assert(std::is_same_v<query::result_type, Summary>);
    fake_reader reader{{"Nina", "4"}, {}};
    const Summary summary = read_one<query>(reader);
    EXPECT_EQ(summary.name, "Nina");
    EXPECT_EQ(summary.albums, 4);
}

TEST(SqlResult, ReturningRow) {
    using returning = STMT(insert(Album{}).returning(col<&Album::id>, col<&Album::price>));
    fake_reader reader{{"12", "9.5"}, {}};
    EXPECT_EQ(read_one<returning>(reader), std::make_tuple(std::int64_t{12}, std::optional<double>{9.5}));
    using whole = STMT(delete_from<Album>().where(col<&Album::id> == 1).returning(all_of<Album>));
    fake_reader row{{"1", "2", "Blue", "1971", std::nullopt}, {}};
    const Album album = read_one<whole>(row);
    EXPECT_EQ(album.artist_id, 2);
    EXPECT_EQ(album.title, "Blue");
}

TEST(SqlResult, NullIntoNonOptionalIsAnError) {
    fake_reader reader{{std::nullopt}, {}};
    EXPECT_THROW(read_one<STMT(select(col<&Artist::name>).from<Artist>())>(reader), std::runtime_error);
}

} // namespace
} // namespace sql_test
