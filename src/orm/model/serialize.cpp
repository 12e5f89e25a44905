// serialize(): a model, its loaded relations and (optionally) its extras as JSON.
#include <lucid/json.hpp>
#include <lucid/detail/model_ops.hpp>
#include <lucid/detail/relation.hpp>

namespace lucid::detail {

nlohmann::json serializeModel(const ModelMeta& meta, const void* model) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& c : meta.columns) {
        if (c.options.hidden) continue;
        if (c.options.serialize) j[c.serializeAs] = c.options.serialize(c.access->get(model));
        else c.access->toJson(model, j[c.serializeAs]);
    }
    for (const auto& r : meta.relations) {
        if (r->config.hidden || !r->holder->isLoaded(model)) continue;
        const ModelMeta& rm = r->relatedOf(model);
        auto items = r->holder->items(model);
        if (r->holder->isMany()) {
            nlohmann::json arr = nlohmann::json::array();
            for (void* item : items) arr.push_back(serializeModel(rm, item));
            j[r->serializedName()] = std::move(arr);
        } else {
            j[r->serializedName()] = items.empty() ? nlohmann::json(nullptr) : serializeModel(rm, items[0]);
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
