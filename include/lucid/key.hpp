#pragma once
// lucid::Key: the values of a composite primary key, in the order its columns are declared.
#include <lucid/value.hpp>

#include <initializer_list>
#include <vector>

namespace lucid {

struct Key {
    Key(std::initializer_list<Value> v) : values(v) {}
    std::vector<Value> values;
};

}  // namespace lucid
