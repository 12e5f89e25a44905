#pragma once
// Transitional: field accessors now live in include/lucid/detail/field_codec.hpp.
#include <lucid/detail/field_codec.hpp>
