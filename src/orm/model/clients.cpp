// Which connection or transaction a model instance reads and writes through; snapshots to undo a failed write.
#include <lucid/database.hpp>
#include <lucid/query.hpp>
#include <lucid/detail/model_ops.hpp>

#include "database/transaction_core.hpp"
#include "orm/model/column_values.hpp"
#include "orm/model/instances.hpp"

#include <algorithm>

namespace lucid::detail {

QueryClient& defaultClient(const ModelMeta& meta) {
    Database& db = defaultDatabase();
    if (meta.connection.empty()) return db;
    return db.connection(meta.connection);
}

ClientHandle clientFor(const ModelMeta& meta, void* model) {
    ModelState& st = meta.state(model);
    if (auto trx = st.trx()) {
        if (trx->isOpen()) return ClientHandle(Transaction(std::move(trx), false));
        st.setTrx(nullptr);  // its transaction ended: the model goes back to its connection, as in Lucid
    }
    if (QueryClient* c = st.client()) return ClientHandle(*c);
    return ClientHandle(defaultClient(meta));
}

std::shared_ptr<QueryClient> sharedClientFor(const ModelMeta& meta, void* model) {
    ModelState& st = meta.state(model);
    if (auto trx = st.trx(); trx && trx->isOpen()) return std::make_shared<Transaction>(std::move(trx), false);
    st.setTrx(nullptr);
    QueryClient* c = st.client() ? st.client() : &defaultClient(meta);
    return std::shared_ptr<QueryClient>(std::shared_ptr<void>(), c);  // not owned
}

bool sameValues(const ModelMeta& meta, const void* a, const void* b, const std::vector<std::string>& properties) {
    for (const auto& p : properties) {
        const ColumnMeta& c = meta.column(p);
        if (!c.access->get(a).looselyEquals(c.access->get(b))) return false;
    }
    return true;
}

void copyColumns(const ModelMeta& meta, void* dst, const void* src, const std::vector<std::string>& except) {
    for (std::size_t i = 0; i < meta.columns.size(); ++i) {
        const ColumnMeta& c = meta.columns[i];
        // the key, the listed properties and the creation timestamp of the existing row are kept
        if (meta.isKey(i) || c.options.autoCreate || std::find(except.begin(), except.end(), c.property) != except.end())
            continue;
        c.access->copy(dst, src);
    }
}

void adoptTransaction(const ModelMeta& meta, void* model, QueryClient& client) {
    ModelState& st = meta.state(model);
    if (auto core = client.transactionCore()) st.setTrx(std::move(core));
    else st.setClient(&client);
}

Value primaryKeyValue(const ModelMeta& meta, const void* model) { return prepared(meta.primaryColumn(), model); }

void whereKey(QueryBuilder& b, const ModelMeta& meta, const void* model) {
    for (int i : meta.keys) b.where(meta.columns[static_cast<std::size_t>(i)].column, prepared(meta.columns[static_cast<std::size_t>(i)], model));
}

ModelSnapshot::ModelSnapshot(const ModelMeta& meta, void* model) : meta_(&meta), model_(model), state_(meta.state(model)) {
    values_.reserve(meta.columns.size());
    for (const auto& c : meta.columns) values_.push_back(c.access->get(model));
}

void ModelSnapshot::restore() {
    for (std::size_t i = 0; i < values_.size(); ++i) meta_->columns[i].access->set(model_, values_[i]);
    meta_->state(model_) = state_;
}

void throwRowNotFound(const ModelMeta&) { throw RowNotFound("Row not found"); }

}  // namespace lucid::detail
