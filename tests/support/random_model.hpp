// Random small models for differential testing of the search: threads over shared globals,
// global and per-object locks, conditionals, spin waits and awaits (cycles), allocation and
// free through a shared pointer (use after free, double free), asserts and invariants.
// Every generated model compiles; the same seed gives the same text.
#pragma once

#include <cstdint>
#include <string>

namespace probecheck::test {

std::string random_model(uint64_t seed);

}  // namespace probecheck::test
