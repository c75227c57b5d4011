// Relationships between mapped tables, declared beside the structs as constants that follow a
// declared foreign key:
//
//   inline constexpr auto venue_shows = crucible::one_to_many<Venue, Show>;  // Show::venue_id -> Venue
//   inline constexpr auto show_venue = crucible::many_to_one<Show, Venue>;   // the same key, other way
//
// The structs stay plain (no relationship members): what a session loaded for an object lives in
// its node, and `handle.related(venue_shows)` reads it. A table with several foreign keys to the
// other names the one to follow: `one_to_many<Node, Node, &Node::parent_id>`.
#pragma once

#include <concepts>
#include <cstddef>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>

#include "crucible/reflect/member_pointer.hpp"
#include "crucible/schema/table.hpp"

namespace crucible::orm {

enum class relation_kind { one_to_many, many_to_one, many_to_many };

namespace detail {

// A table's options (crucible_table) as a tuple type, how many, and what the I-th one is.
template <class T>
using options_tuple_t = std::remove_cvref_t<decltype(schema::detail::options<T>.options)>;
template <class T>
inline constexpr std::size_t option_count_v = std::tuple_size_v<options_tuple_t<T>>;
template <class T, std::size_t I>
using option_kind_at = schema::detail::option_kind<std::remove_cvref_t<std::tuple_element_t<I, options_tuple_t<T>>>>;

// The foreign keys of Child that reference Parent (only `Column`'s, unless it is nullptr): how many,
// and the first one's columns.
template <class Child, class Parent, auto Column>
struct foreign_key_search {
    static constexpr std::size_t option_count = option_count_v<Child>;

    template <std::size_t I>
    static consteval bool matches() {
        using kind = option_kind_at<Child, I>;
        if constexpr (!kind::is_foreign_key) {
            return false;
        } else if constexpr (!std::is_same_v<reflect::class_of<kind::to>, Parent>) {
            return false;
        } else if constexpr (std::is_same_v<decltype(Column), std::nullptr_t>) {
            return true;
        } else if constexpr (std::is_same_v<decltype(Column), std::remove_const_t<decltype(kind::from)>>) {
            return Column == kind::from;
        } else {
            return false;
        }
    }
    static constexpr std::size_t count = [] {
        return [&]<std::size_t... I>(std::index_sequence<I...>) {
            return (std::size_t{0} + ... + (matches<I>() ? 1 : 0));
        }(std::make_index_sequence<option_count>{});
    }();
    static constexpr std::size_t first = [] {
        std::size_t at = option_count;
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            ((at = at == option_count && matches<I>() ? I : at), ...);
        }(std::make_index_sequence<option_count>{});
        return at;
    }();
};

template <class Child, class Parent, auto Column, std::size_t At = foreign_key_search<Child, Parent, Column>::first>
struct foreign_key_columns {
    using kind = option_kind_at<Child, At>;
    static constexpr std::size_t child_column = reflect::index_of<kind::from>;   // in Child
    static constexpr std::size_t parent_column = reflect::index_of<kind::to>;    // in Parent
};
template <class Child, class Parent, auto Column, std::size_t At>
    requires(At == foreign_key_search<Child, Parent, Column>::option_count)
struct foreign_key_columns<Child, Parent, Column, At> {  // none: the checks have said why
    static constexpr std::size_t child_column = 0;
    static constexpr std::size_t parent_column = 0;
};

// The foreign key a relationship between Parent (referenced) and Child (referencing) follows, with
// the declaration's mistakes as plain compile errors.
template <class Child, class Parent, auto Column>
consteval bool check_relationship() {
    static_assert(std::is_class_v<Parent> && std::is_class_v<Child>,
                  "crucible: a relationship is between two mapped structs");
    static_assert(std::is_same_v<decltype(Column), std::nullptr_t> || std::is_member_object_pointer_v<decltype(Column)>,
                  "crucible: a relationship's third argument names the child table's foreign key column, like "
                  "&Show::venue_id");
    if constexpr (std::is_member_object_pointer_v<decltype(Column)>) {
        static_assert(std::is_same_v<reflect::class_of<Column>, Child>,
                      "crucible: the foreign key column named for a relationship must be a member of the child "
                      "table's struct (the table holding the foreign key)");
    }
    using search = foreign_key_search<Child, Parent, Column>;
    using reverse = foreign_key_search<Parent, Child, nullptr>;
    static_assert(search::count > 0 || reverse::count == 0 || std::is_same_v<Parent, Child>,
                  "crucible: this relationship runs against its foreign key: the table given as the parent holds "
                  "the foreign key to the other; swap the two tables (one_to_many<Parent, Child> and "
                  "many_to_one<Child, Parent> both need Child's foreign key to Parent)");
    static_assert(search::count > 0 || reverse::count > 0 || !std::is_same_v<decltype(Column), std::nullptr_t>,
                  "crucible: a relationship needs a foreign key between its two tables: declare "
                  "crucible::foreign_key<&Child::parent_id, &Parent::id> in crucible_table(table_tag<Child>)");
    static_assert(search::count > 0 || std::is_same_v<decltype(Column), std::nullptr_t>,
                  "crucible: the column named for this relationship is not a declared foreign key of the child "
                  "table to the parent table");
    static_assert(search::count <= 1,
                  "crucible: the child table has several foreign keys to the parent table: name the one this "
                  "relationship follows, like one_to_many<Parent, Child, &Child::parent_id>");
    return true;
}

// One identity per (parent, child, foreign key, direction): `one_to_many<Venue, Show>` and
// `one_to_many<Venue, Show, &Show::venue_id>` are the same relationship.
template <class Parent, class Child, std::size_t ChildColumn, relation_kind Kind>
struct relation_identity {
    static constexpr char tag = 0;
};

// A many-to-many's identity: its tables and link columns, however its columns were named.
template <class Source, class Target, class Link, std::size_t SourceLink, std::size_t TargetLink>
struct link_identity {
    static constexpr char tag = 0;
};

} // namespace detail

namespace detail {

// What one_to_many and many_to_one share: the foreign key they follow, from either end.
template <class Parent, class Child, auto Column, relation_kind Kind>
struct by_foreign_key {
    static_assert(check_relationship<Child, Parent, Column>());
    using child_type = Child;
    using parent_type = Parent;
    static constexpr relation_kind kind = Kind;
    static constexpr std::size_t child_column = foreign_key_columns<Child, Parent, Column>::child_column;
    static constexpr std::size_t parent_column = foreign_key_columns<Child, Parent, Column>::parent_column;
    static constexpr const void* id() noexcept { return &relation_identity<Parent, Child, child_column, Kind>::tag; }
    // The same foreign key seen from the other end.
    static constexpr const void* inverse_id() noexcept {
        constexpr relation_kind other = Kind == relation_kind::one_to_many ? relation_kind::many_to_one
                                                                            : relation_kind::one_to_many;
        return &relation_identity<Parent, Child, child_column, other>::tag;
    }
};

} // namespace detail

// Parent → its children: the Child rows whose foreign key holds the Parent's referenced key.
// `.owning()` makes the parent own them (SQLAlchemy's cascade="all, delete-orphan"): a child
// unrelated from it is deleted, and removing the parent removes them.
template <class Parent, class Child, auto Column = nullptr, bool Owning = false>
struct one_to_many_t : detail::by_foreign_key<Parent, Child, Column, relation_kind::one_to_many> {
    using source_type = Parent;
    using target_type = Child;
    static constexpr bool owning = Owning;
    constexpr one_to_many_t<Parent, Child, Column, true> owning_children() const noexcept { return {}; }
};

// Child → its parent: the Parent row its foreign key references (none when the key is NULL).
template <class Child, class Parent, auto Column = nullptr>
struct many_to_one_t : detail::by_foreign_key<Parent, Child, Column, relation_kind::many_to_one> {
    using source_type = Child;
    using target_type = Parent;
};

// Source → the Target rows linked to it through rows of Link, a table with a foreign key to each
// (an association struct with data of its own, like fyyur's Show, or a plain two-key link table).
// A target linked twice to one source is listed once.
template <class Source, class Target, class Link, auto SourceColumn = nullptr, auto TargetColumn = nullptr>
struct many_to_many_t {
    static_assert(detail::check_relationship<Link, Source, SourceColumn>());
    static_assert(detail::check_relationship<Link, Target, TargetColumn>());
    using source_type = Source;
    using target_type = Target;
    using link_type = Link;
    static constexpr relation_kind kind = relation_kind::many_to_many;
    static constexpr std::size_t source_link_column = detail::foreign_key_columns<Link, Source, SourceColumn>::child_column;
    static constexpr std::size_t source_key_column = detail::foreign_key_columns<Link, Source, SourceColumn>::parent_column;
    static constexpr std::size_t target_link_column = detail::foreign_key_columns<Link, Target, TargetColumn>::child_column;
    static constexpr std::size_t target_key_column = detail::foreign_key_columns<Link, Target, TargetColumn>::parent_column;
    static constexpr const void* id() noexcept {
        return &detail::link_identity<Source, Target, Link, source_link_column, target_link_column>::tag;
    }
};

template <class Parent, class Child, auto Column = nullptr>
inline constexpr one_to_many_t<Parent, Child, Column> one_to_many{};
template <class Source, class Target, class Link, auto SourceColumn = nullptr, auto TargetColumn = nullptr>
inline constexpr many_to_many_t<Source, Target, Link, SourceColumn, TargetColumn> many_to_many{};
template <class Child, class Parent, auto Column = nullptr>
inline constexpr many_to_one_t<Child, Parent, Column> many_to_one{};

template <class R>
concept relationship = requires {
    typename R::source_type;
    typename R::target_type;
    { R::kind } -> std::convertible_to<relation_kind>;
};

template <relationship R>
std::string describe_relationship_by_key() {
    using child = typename R::child_type;
    using parent = typename R::parent_type;
    std::string out(schema::table<typename R::source_type>::name);
    out += " -> ";
    out += schema::table<typename R::target_type>::name;
    out += R::kind == relation_kind::one_to_many ? " (one-to-many through " : " (many-to-one through ";
    out += schema::table<child>::name;
    out += '.';
    out += schema::table<child>::columns[R::child_column].name;
    out += " -> ";
    out += schema::table<parent>::name;
    out += '.';
    out += schema::table<parent>::columns[R::parent_column].name;
    out += ')';
    return out;
}

// "venues -> shows (one-to-many through shows.venue_id -> venues.id)", for messages.
template <relationship R>
std::string describe_relationship() {
    if constexpr (R::kind == relation_kind::many_to_many) {
        using link = typename R::link_type;
        std::string out(schema::table<typename R::source_type>::name);
        out += " -> ";
        out += schema::table<typename R::target_type>::name;
        out += " (many-to-many through ";
        out += schema::table<link>::name;
        out += '.';
        out += schema::table<link>::columns[R::source_link_column].name;
        out += " and ";
        out += schema::table<link>::name;
        out += '.';
        out += schema::table<link>::columns[R::target_link_column].name;
        out += ')';
        return out;
    } else {
        return describe_relationship_by_key<R>();
    }
}

} // namespace crucible::orm

namespace crucible {
using orm::many_to_many;
using orm::many_to_one;
using orm::one_to_many;
} // namespace crucible
