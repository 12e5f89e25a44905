#pragma once
// SerializeOptions: which fields and relations serialize() keeps (Lucid's cherry-picking).
#include <map>
#include <string>
#include <vector>

namespace lucid {

// Serialized names (after serializeAs) of columns and computed values. An empty pick keeps every field;
// omit wins over pick.
struct FieldPick {
    std::vector<std::string> pick;
    std::vector<std::string> omit;
};

// Options for one model; `relations` by the relation's serialized name. A loaded relation that is not
// named is serialized in full; hidden columns and relations stay out whatever is picked.
struct SerializeOptions {
    FieldPick fields;
    std::map<std::string, SerializeOptions> relations;
};

}  // namespace lucid
