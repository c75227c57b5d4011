// The ORM layer: session, handles, the per-table statements it runs.
#pragma once

#include "crucible/orm/handle.hpp"
#include "crucible/orm/mapper.hpp"
#include "crucible/orm/relationship.hpp"
#include "crucible/orm/session.hpp"
