// save() (INSERT or the UPDATE of the dirty columns) and remove(), with their hooks.
#include <lucid/model_query.hpp>
#include "orm/use_transaction.hpp"

#include "orm/fast/local_buffer.hpp"
#include "orm/fast/reused_bindings.hpp"
#include "orm/fast/statement_cache.hpp"
#include "orm/model/column_values.hpp"
#include "sql/compiler.hpp"
#include "orm/model/instances.hpp"

#include <algorithm>
#include <optional>

namespace lucid::detail {

namespace {

bool hasAfterHooks(const ModelMeta& m, bool creating) {
    auto has = [&](Hook h) { return !m.hooks[static_cast<std::size_t>(h)].empty(); };
    return has(Hook::AfterSave) || has(creating ? Hook::AfterCreate : Hook::AfterUpdate);
}

// Runs the write and the after-hooks; when after-hooks exist, both go in one transaction so a hook that
// throws leaves nothing written.
template <class Write> void writeWithHooks(const ModelMeta& meta, void* model, QueryClient& client, bool creating, Write write) {
    auto after = [&] {
        meta.runHooks(creating ? Hook::AfterCreate : Hook::AfterUpdate, model);
        meta.runHooks(Hook::AfterSave, model);
    };
    if (!hasAfterHooks(meta, creating)) {
        write(client);
        return;
    }
    client.transaction([&](Transaction& trx) {
        UseTransaction in(meta, model, trx);
        write(trx);
        after();
    });
}

void insertModel(const ModelMeta& meta, void* model, QueryClient& client) {
    meta.runHooks(Hook::BeforeCreate, model);
    meta.runHooks(Hook::BeforeSave, model);
    insertAfterBeforeHooks(meta, model, client);
}

void updateModel(const ModelMeta& meta, void* model, QueryClient& client) {
    ModelState& st = meta.state(model);
    meta.runHooks(Hook::BeforeUpdate, model);
    meta.runHooks(Hook::BeforeSave, model);
    LocalBuffer<std::size_t, 32> dirtyColumns(meta.columns.size());
    std::size_t* const dirty = dirtyColumns.data();
    // the originals decoded once: for the dirty check, then (with the written values) for the new block
    const std::size_t tracked = st.original.size();
    LocalBuffer<Cell, 8> trackedCells(tracked);
    Cell* const was = trackedCells.data();
    if (tracked) st.original.read(was, tracked);
    std::optional<DateTime> t;
    const std::size_t dirtyCount = updatedColumns(meta, model, was, tracked, dirty, t);
    if (dirtyCount == 0) return;
    // the SET values, then the key: the order of the UPDATE's placeholders
    // the shape names the dirty columns in two bytes each, written on the stack
    Statement update;
    update.model = meta.name;
    ReusedBindings reused(update.bindings);
    Bindings& values = update.bindings;
    LocalBuffer<char, 1 + 2 * 32> shapeBytes(1 + 2 * dirtyCount);
    char* const shape = shapeBytes.data();
    shape[0] = 'u';
    for (std::size_t k = 0; k < dirtyCount; ++k) {
        const std::size_t i = dirty[k];
        values.push_back(written(meta, meta.columns[i], model));
        shape[1 + 2 * k] = static_cast<char>(i & 0xff);
        shape[2 + 2 * k] = static_cast<char>(i >> 8);
    }
    // the row as it was read: the original of each key column
    auto keyValue = [&](std::size_t i) { return i < st.original.size() ? st.original.value(i) : prepared(meta.columns[i], model); };
    Value key = keyValue(static_cast<std::size_t>(meta.primary));
    auto compile = [&](const Dialect& d) {
        Attributes set;
        for (std::size_t k = 0; k < dirtyCount; ++k) set.emplace_back(meta.columns[dirty[k]].column, values[k]);
        QueryBuilder b(nullptr, meta.table);
        for (int i : meta.keys) b.where(meta.columns[static_cast<std::size_t>(i)].column, keyValue(static_cast<std::size_t>(i)));
        return compileUpdate(b.state(), set, d);
    };
    // "where id is null", or a composite key: not the shape of the cached statement
    if (key.isNull() || meta.compositeKey()) {
        Statement compiled = compile(client.dialect());
        update.markLike(compiled);
        update.sql = std::move(compiled.sql);
        values = std::move(compiled.bindings);
    } else {
        useCachedSql(update, meta, client.dialect(), std::string_view(shape, 1 + 2 * dirtyCount), compile);
        values.push_back(std::move(key));
    }
    // with after-hooks the UPDATE can still be rolled back: keep what the originals were
    Originals before;
    if (hasAfterHooks(meta, false)) before = st.original;
    try {
        writeWithHooks(meta, model, client, false, [&](QueryClient& via) {
            struct : RowSink {  // an UPDATE returns no rows: no Result to build and free
                void begin(const std::vector<std::string>&, std::size_t, uint64_t) override {}
                void row(const Cell*) override {}
            } none;
            via.stream(update, none);
            // only the written columns changed: they become the originals (already in database form)
            if (st.original.size() != meta.columns.size()) {
                markPersisted(meta, model);
                return;
            }
            for (std::size_t k = 0; k < dirtyCount; ++k) was[dirty[k]] = Cell::of(update.bindings[k]);
            st.original.assign(was, tracked);
        });
    } catch (...) {
        if (!before.empty()) st.original = std::move(before);
        throw;
    }
    if (!hasAfterHooks(meta, false)) {
        meta.runHooks(Hook::AfterUpdate, model);
        meta.runHooks(Hook::AfterSave, model);
    }
}

}  // namespace

void insertAfterBeforeHooks(const ModelMeta& meta, void* model, QueryClient& client) {
    ModelState& st = meta.state(model);
    stampNewRow(meta, model, writeTime());
    const bool composite = meta.compositeKey();  // every key column given, none read back
    const ColumnMeta& pk = meta.columns[static_cast<std::size_t>(meta.primary)];
    const Value pkBefore = pk.access->get(model);
    Attributes values;
    values.reserve(meta.columns.size());
    for (std::size_t i = 0; i < meta.columns.size(); ++i) {
        const ColumnMeta& c = meta.columns[i];
        if (static_cast<int>(i) == meta.primary && !composite && c.access->isUnset(model)) continue;
        values.emplace_back(c.column, written(meta, c, model));
    }
    try {
        writeWithHooks(meta, model, client, true, [&](QueryClient& via) {
            Value id = via.from(meta.table).forModel(meta.name).insertReturning(values, composite ? "" : pk.column);
            if (!id.isNull()) {
                try {
                    pk.access->set(model, pk.options.consume ? pk.options.consume(id) : id);
                } catch (const TypeError& e) {
                    rethrowForColumn(meta, pk, e);
                }
            }
            st.setPersisted(true);
            markPersisted(meta, model);
        });
    } catch (...) {
        // nothing was kept: the instance is local again, as before the call
        st.setPersisted(false);
        st.original.clear();
        pk.access->set(model, pkBefore);
        throw;
    }
    if (!hasAfterHooks(meta, true)) {
        meta.runHooks(Hook::AfterCreate, model);
        meta.runHooks(Hook::AfterSave, model);
    }
}

void saveModel(const ModelMeta& meta, void* model) {
    ModelState& st = meta.state(model);
    if (st.deleted()) throw Error("E_MODEL_DELETED", "Cannot save a deleted \"" + meta.name + "\" model instance");
    ClientHandle h = clientFor(meta, model);
    if (!st.persisted()) insertModel(meta, model, h.get());
    else updateModel(meta, model, h.get());
}

void removeWith(const ModelMeta& meta, void* model, const RowRemoval& removal) {
    ModelState& st = meta.state(model);
    if (st.deleted()) throw Error("E_MODEL_DELETED", "Cannot delete a \"" + meta.name + "\" model instance twice");
    if (!st.persisted()) throw Error("E_MODEL_NOT_PERSISTED", "Cannot delete a \"" + meta.name + "\" model instance that is not persisted");
    ClientHandle h = clientFor(meta, model);
    meta.runHooks(Hook::BeforeDelete, model);
    // the row by every key column, handed to the kind of removal to write
    auto write = [&](QueryClient& via) {
        auto b = via.from(meta.table);
        b.forModel(meta.name);
        whereKey(b, meta, model);
        removal.write(b);
    };
    if (meta.hooks[static_cast<std::size_t>(Hook::AfterDelete)].empty()) {
        write(h.get());
        removal.done(true);
        return;
    }
    // the write and the after-hooks in one transaction: a hook that throws leaves the row as it was
    try {
        h.get().transaction([&](Transaction& trx) {
            UseTransaction in(meta, model, trx);
            write(trx);
            removal.done(true);
            meta.runHooks(Hook::AfterDelete, model);
        });
    } catch (...) {
        removal.done(false);
        throw;
    }
}

void forceDeleteModel(const ModelMeta& meta, void* model) {
    ModelState& st = meta.state(model);
    removeWith(meta, model,
               {[](QueryBuilder& row) { row.del(); },
                [&](bool done) { st.setDeleted(done); }});
}

void removeModel(const ModelMeta& meta, void* model) {
    if (meta.softDelete >= 0) softRemoveModel(meta, model);  // soft_deletes/instances.cpp
    else forceDeleteModel(meta, model);
}

}  // namespace lucid::detail
