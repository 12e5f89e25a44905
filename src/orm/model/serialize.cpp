// serialize(): a model, its loaded relations and (optionally) its extras as JSON, cherry-picked as Lucid does.
#include <lucid/json.hpp>
#include <lucid/detail/model_ops.hpp>
#include <lucid/detail/relation.hpp>

#include <algorithm>

namespace lucid::detail {
namespace {

bool listed(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

// Lucid's shouldSerializeField: omit wins; an empty pick keeps every field.
bool keepField(const FieldPick* fields, const std::string& serializedName) {
    if (!fields) return true;
    if (listed(fields->omit, serializedName)) return false;
    return fields->pick.empty() || listed(fields->pick, serializedName);
}

}  // namespace

nlohmann::json serializeModel(const ModelMeta& meta, const void* model, const SerializeOptions* options) {
    const FieldPick* fields = options ? &options->fields : nullptr;
    nlohmann::json j = nlohmann::json::object();
    for (const auto& c : meta.columns) {
        if (c.options.hidden || !keepField(fields, c.serializeAs)) continue;
        if (c.options.serialize) j[c.serializeAs] = c.options.serialize(c.access->get(model));
        else c.access->toJson(model, j[c.serializeAs]);
    }
    for (const auto& c : meta.computed)
        if (keepField(fields, c.serializeAs)) j[c.serializeAs] = c.value(model);
    for (const auto& r : meta.relations) {
        if (r->config.hidden || !r->holder->isLoaded(model)) continue;
        const std::string name = r->serializedName();
        const SerializeOptions* nested = nullptr;
        if (options) {
            auto it = options->relations.find(name);
            if (it != options->relations.end()) nested = &it->second;
        }
        const ModelMeta& rm = r->relatedOf(model);
        auto items = r->holder->items(model);
        if (r->holder->isMany()) {
            nlohmann::json arr = nlohmann::json::array();
            for (void* item : items) arr.push_back(serializeModel(rm, item, nested));
            j[name] = std::move(arr);
        } else {
            j[name] = items.empty() ? nlohmann::json(nullptr) : serializeModel(rm, items[0], nested);
        }
    }
    if (meta.serializeExtras) {
        nlohmann::json extras = nlohmann::json::object();
        for (const auto& [k, v] : meta.cstate(model).extras) extras[k] = toJson(v);
        j["meta"] = std::move(extras);
    }
    return j;
}

}  // namespace lucid::detail
