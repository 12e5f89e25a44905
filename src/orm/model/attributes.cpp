// merge/fill, dirty() and original(): a model's fields as name/value pairs.
#include <lucid/json.hpp>
#include <lucid/detail/model_ops.hpp>

#include "orm/fast/local_buffer.hpp"
#include "orm/model/column_values.hpp"

namespace lucid::detail {

void mergeAttributes(const ModelMeta& meta, void* model, const Attributes& values) {
    for (const auto& [key, v] : values) {
        int i = meta.findProperty(key);
        if (i < 0)
            throw Error("E_MISSING_MODEL_ATTRIBUTE",
                        "Cannot define \"" + key + "\" on \"" + meta.name + "\" model, since it is not defined as a model property");
        const ColumnMeta& c = meta.columns[static_cast<std::size_t>(i)];
        try {
            c.access->set(model, v);
        } catch (const TypeError& e) {
            rethrowForColumn(meta, c, e);
        }
    }
}

void mergeJson(const ModelMeta& meta, void* model, const nlohmann::json& values) {
    if (!values.is_object()) throw TypeError("\"" + meta.name + "\": merge/fill needs a JSON object, got " + values.dump());
    for (const auto& [key, v] : values.items()) {
        int i = meta.findProperty(key);
        if (i < 0)
            for (std::size_t k = 0; k < meta.columns.size(); ++k)
                if (meta.columns[k].serializeAs == key) i = static_cast<int>(k);
        if (i < 0)
            throw Error("E_MISSING_MODEL_ATTRIBUTE",
                        "Cannot define \"" + key + "\" on \"" + meta.name + "\" model, since it is not defined as a model property");
        const ColumnMeta& c = meta.columns[static_cast<std::size_t>(i)];
        try {
            c.access->fromJson(model, v);
        } catch (const TypeError& e) {
            rethrowForColumn(meta, c, e);
        }
    }
}

void resetToDefaults(const ModelMeta& meta, void* model) {
    const bool persisted = meta.cstate(model).persisted();
    for (std::size_t i = 0; i < meta.columns.size(); ++i) {
        if (persisted && meta.isKey(i)) continue;  // fill() must not move a saved row
        meta.columns[i].access->copy(model, meta.defaults);
    }
}

Attributes dirtyAttributes(const ModelMeta& meta, const void* model) {
    const ModelState& st = meta.cstate(model);
    Attributes out;
    const std::size_t tracked = st.original.size();
    LocalBuffer<Cell, 8> trackedCells(tracked);
    Cell* const original = trackedCells.data();
    if (tracked) st.original.read(original, tracked);
    for (std::size_t i = 0; i < meta.columns.size(); ++i) {
        const ColumnMeta& c = meta.columns[i];
        Value v = c.access->get(model);
        if (!st.persisted()) {
            if (static_cast<int>(i) == meta.primary && !meta.compositeKey() && c.access->isUnset(model)) continue;
            out.emplace_back(c.property, std::move(v));
        } else if (i >= tracked || changed(c, model, original[i])) {
            out.emplace_back(c.property, std::move(v));
        }
    }
    return out;
}

Attributes originalAttributes(const ModelMeta& meta, const void* model) {
    const ModelState& st = meta.cstate(model);
    Attributes out;
    const std::size_t n = std::min(st.original.size(), meta.columns.size());
    LocalBuffer<Cell, 8> cells(n);
    if (n) st.original.read(cells.data(), n);
    for (std::size_t i = 0; i < n; ++i) out.emplace_back(meta.columns[i].property, cells.data()[i].value());
    return out;
}

}  // namespace lucid::detail
