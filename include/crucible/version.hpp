// crucible's version, the same as meson.build's project version (meson setup checks they match).
#pragma once

#define CRUCIBLE_VERSION_MAJOR 0
#define CRUCIBLE_VERSION_MINOR 2
#define CRUCIBLE_VERSION_PATCH 0
#define CRUCIBLE_VERSION_STRING "0.2.0"
// One number to compare: 0.2.0 is 200, 1.4.12 would be 10412.
#define CRUCIBLE_VERSION (CRUCIBLE_VERSION_MAJOR * 10000 + CRUCIBLE_VERSION_MINOR * 100 + CRUCIBLE_VERSION_PATCH)
