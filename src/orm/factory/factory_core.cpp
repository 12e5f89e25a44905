// The untyped part of model factories: state and relation names with Lucid's errors, and the transaction
// that create()/createMany() insert in.
#include <lucid/factory.hpp>

#include <algorithm>
#include <optional>

namespace lucid::detail {
namespace {
std::size_t define(std::vector<std::string>& names, std::string name) {
    auto it = std::find(names.begin(), names.end(), name);
    if (it != names.end()) return static_cast<std::size_t>(it - names.begin());
    names.push_back(std::move(name));
    return names.size() - 1;
}
std::optional<std::size_t> find(const std::vector<std::string>& names, std::string_view name) {
    auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end()) return std::nullopt;
    return static_cast<std::size_t>(it - names.begin());
}
}  // namespace

std::size_t FactoryCore::defineState(std::string name) { return define(states_, std::move(name)); }
std::size_t FactoryCore::defineRelation(std::string name) { return define(relations_, std::move(name)); }

std::size_t FactoryCore::stateIndex(std::string_view name) const {
    if (auto i = find(states_, name)) return *i;
    throw Error("E_UNDEFINED_FACTORY_STATE",
                "Cannot apply undefined state \"" + std::string(name) + "\". Double check the model factory of \"" + model_ + "\"");
}

std::size_t FactoryCore::relationIndex(std::string_view name) const {
    if (auto i = find(relations_, name)) return *i;
    throw Error("E_UNDEFINED_FACTORY_RELATION", "Cannot reference \"" + std::string(name) +
                                                    "\" relationship. Make sure to setup the relationship within the factory of \"" +
                                                    model_ + "\"");
}

void createInTransaction(const ModelMeta& meta, QueryClient* client, std::size_t count,
                         const std::function<void(std::size_t, Transaction&)>& createOne) {
    QueryClient& c = client ? *client : defaultClient(meta);
    c.transaction([&](Transaction& trx) {
        for (std::size_t i = 0; i < count; ++i) createOne(i, trx);
    });
}

void throwSingleRelationCount(const Relation& r, std::size_t count) {
    throw Error("E_INVALID_FACTORY_COUNT", "Cannot create " + std::to_string(count) + " rows of " + r.label() + ": a " + r.kind() +
                                               " relationship holds one related row");
}

}  // namespace lucid::detail
