// The ORM layer: session, handles, the per-table statements it runs.
#pragma once

#include "crucible/detail/config.hpp"  // first: its C++20 check comes before any other error

#include "crucible/orm/handle.hpp"
#include "crucible/orm/mapper.hpp"
#include "crucible/orm/relationship.hpp"
#include "crucible/orm/session.hpp"
