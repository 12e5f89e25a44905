// lucid::morphMap: the string a morph's type column holds for each model (its alias, else its name).
#include <lucid/errors.hpp>
#include <lucid/detail/relation.hpp>

#include <map>
#include <shared_mutex>

namespace lucid::detail {
namespace {

struct MorphAliases {
    std::shared_mutex mutex;
    std::map<const ModelMeta*, std::string> byModel;
};
MorphAliases& aliases() {
    static MorphAliases a;
    return a;
}

}  // namespace

void registerMorphAlias(const ModelMeta& meta, std::string alias) {
    if (alias.empty()) throw Error("E_INVALID_MORPH_ALIAS", "lucid::morphMap<" + meta.name + ">: the alias is empty");
    MorphAliases& a = aliases();
    std::unique_lock lock(a.mutex);
    for (const auto& [m, s] : a.byModel)
        if (s == alias && m != &meta)
            throw Error("E_INVALID_MORPH_ALIAS", "lucid::morphMap<" + meta.name + ">(\"" + alias + "\"): \"" + m->name +
                                                     "\" is stored as \"" + alias + "\" already");
    a.byModel[&meta] = std::move(alias);
}

std::string morphTypeOf(const ModelMeta& meta) {
    MorphAliases& a = aliases();
    std::shared_lock lock(a.mutex);
    auto it = a.byModel.find(&meta);
    return it == a.byModel.end() ? meta.name : it->second;
}

}  // namespace lucid::detail
