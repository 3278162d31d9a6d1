#pragma once
// Fixture for the ctest `layering_catches_upward`: json outside study/ must be reported.
#include <nlohmann/json.hpp>
