// The session's identity map (orm/identity_map.hpp) against std::map as a model: random inserts,
// lookups and erasures with many keys sharing probe runs, so that deletion's backward shift and the
// wrap-around at the end of the array are exercised.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>

#include "crucible/orm/identity_map.hpp"

namespace {

using crucible::orm::detail::identity_map;
using crucible::orm::detail::node;
using crucible::orm::detail::node_base;

struct Row {
    std::int64_t id;
};

std::shared_ptr<node_base> make_node(const std::string& key) {
    auto n = std::make_shared<node<Row>>(Row{0});
    n->key = key;
    return n;
}

TEST(IdentityMap, BehavesAsAMapUnderRandomInsertsAndErasures) {
    identity_map map;
    std::map<std::string, node_base*> model;
    std::mt19937_64 random(7);
    for (int step = 0; step < 200'000; ++step) {
        // Few distinct keys, some of them long (several hash words): runs collide often.
        const auto k = random() % 300;
        const std::string key = k % 7 == 0 ? "long key " + std::to_string(k) + std::string(20, 'x') : std::to_string(k);
        const auto op = random() % 3;
        if (op == 0) {
            auto n = make_node(key);
            node_base* raw = n.get();
            const bool inserted = map.insert(std::move(n));
            EXPECT_EQ(inserted, model.count(key) == 0) << key;
            if (inserted) {
                model[key] = raw;
            }
        } else if (op == 1) {
            auto out = map.erase(key);
            const auto at = model.find(key);
            ASSERT_EQ(out != nullptr, at != model.end()) << key;
            if (out) {
                EXPECT_EQ(out.get(), at->second);
                model.erase(at);
            }
        } else {
            auto* found = map.find(key);
            const auto at = model.find(key);
            ASSERT_EQ(found != nullptr, at != model.end()) << key;
            if (found) {
                EXPECT_EQ(found->get(), at->second);
            }
        }
        ASSERT_EQ(map.size(), model.size());
    }
    // Every key of the model is found, and iteration visits exactly the mapped nodes.
    std::size_t visited = 0;
    map.for_each([&](std::shared_ptr<node_base>& n) {
        ++visited;
        EXPECT_EQ(model.at(n->key), n.get());
    });
    EXPECT_EQ(visited, model.size());
}

TEST(IdentityMap, EraseIfAndGrowth) {
    identity_map map;
    for (int i = 0; i < 10'000; ++i) {
        ASSERT_TRUE(map.insert(make_node(std::to_string(i))));
    }
    EXPECT_FALSE(map.insert(make_node("42")));
    std::size_t removed = 0;
    map.erase_if([](const node_base& n) { return std::stoi(n.key) % 2 == 0; },
                 [&](std::shared_ptr<node_base>&& n) {
                     EXPECT_EQ(std::stoi(n->key) % 2, 0);
                     ++removed;
                 });
    EXPECT_EQ(removed, 5'000u);
    EXPECT_EQ(map.size(), 5'000u);
    for (int i = 0; i < 10'000; ++i) {
        EXPECT_EQ(map.find(std::to_string(i)) != nullptr, i % 2 == 1) << i;
    }
}

} // namespace
