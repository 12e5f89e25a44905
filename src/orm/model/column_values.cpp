// A column's value on its way to and from the database: prepare, scale and consume, write checks, dirty test.
#include "orm/model/column_values.hpp"
#include "orm/model/instances.hpp"

#include <lucid/errors.hpp>

#include <algorithm>
#include <chrono>

namespace lucid::detail {

[[noreturn]] void rethrowForColumn(const ModelMeta& meta, const ColumnMeta& c, const std::exception& e) {
    throw TypeError("\"" + meta.name + "." + c.property + "\": " + e.what());
}

Value prepared(const ColumnMeta& c, const void* model) {
    Value v = c.access->get(model);
    if (c.options.prepare) return c.options.prepare(v);
    return v;  // moved out: a conditional expression would copy it
}
Value fromDatabase(const ColumnMeta& c, Value v) {
    if (c.options.scale >= 0) v = roundedToScale(v, c.options.scale);
    if (c.options.consume) return c.options.consume(v);
    return v;
}
Value written(const ModelMeta& meta, const ColumnMeta& c, const void* model) {
    try {
        c.access->checkWritable(model);
    } catch (const TypeError& e) {
        rethrowForColumn(meta, c, e);
    }
    return prepared(c, model);
}
bool changed(const ColumnMeta& c, const void* model, const Cell& original) {
    // with prepare, compare database forms: prepare need not have a consume that undoes it
    if (c.options.prepare) return !c.options.prepare(c.access->get(model)).looselyEquals(original.value());
    if (c.options.consume || c.options.scale >= 0) {
        const Value consumed = fromDatabase(c, original.value());
        return !c.access->equals(model, Cell::of(consumed));
    }
    return !c.access->equals(model, original);
}

DateTime writeTime() { return std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now()); }

void stampNewRow(const ModelMeta& meta, void* model, DateTime t) {
    for (const auto& c : meta.columns)
        if ((c.options.autoCreate || c.options.autoUpdate) && c.access->isUnset(model)) c.access->set(model, Value(t));
}

std::size_t updatedColumns(const ModelMeta& meta, void* model, const Cell* was, std::size_t tracked, std::size_t* dirty,
                           std::optional<DateTime>& t) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < meta.columns.size(); ++i)
        if (i >= tracked || changed(meta.columns[i], model, was[i])) dirty[n++] = i;
    if (n == 0) return 0;
    for (std::size_t i = 0; i < meta.columns.size(); ++i) {
        if (!meta.columns[i].options.autoUpdate) continue;
        if (!t) t = writeTime();
        meta.columns[i].access->set(model, Value(*t));
        if (std::find(dirty, dirty + n, i) == dirty + n) dirty[n++] = i;
    }
    return n;
}

void markPersisted(const ModelMeta& meta, void* model) {
    std::vector<Value> values;
    values.reserve(meta.columns.size());
    for (const auto& c : meta.columns) values.push_back(prepared(c, model));
    meta.state(model).original.assign(values);
}

}  // namespace lucid::detail
