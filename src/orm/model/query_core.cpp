// ModelQueryCore: the untyped query of a model — fetch into instances, preloads, relation columns.
#include <lucid/model_query.hpp>
#include <lucid/relations/relation.hpp>

#include "orm/model/hydration.hpp"

namespace lucid::detail {

ModelQueryCore::~ModelQueryCore() = default;
ModelQueryCore::ModelQueryCore(const ModelQueryCore&) = default;
ModelQueryCore::ModelQueryCore(ModelQueryCore&&) noexcept = default;
ModelQueryCore& ModelQueryCore::operator=(const ModelQueryCore&) = default;
ModelQueryCore& ModelQueryCore::operator=(ModelQueryCore&&) noexcept = default;

std::string columnOfMember(const ModelMeta& meta, const std::string& key) {
    for (const auto& c : meta.columns)
        if (c.member == key) return c.column;
    throw Error("E_UNKNOWN_COLUMN", "\"" + meta.name + "\": the member pointer given is not a column declared in define()");
}

ModelQueryCore::ModelQueryCore(const ModelMeta* meta, QueryClient* client) : meta_(meta), client_(client), builder_(nullptr, meta->table) {}

QueryClient& ModelQueryCore::client() const { return client_ ? *client_ : defaultClient(*meta_); }

Attributes ModelQueryCore::toColumns(const Attributes& values) const {
    Attributes out;
    out.reserve(values.size());
    for (const auto& [k, v] : values) out.emplace_back(meta_->resolveColumn(k), v);  // SET takes bare columns
    return out;
}

QueryBuilder ModelQueryCore::selecting() const {
    QueryBuilder b = builder_;
    if (relationColumns.empty()) return b;
    auto& select = b.state().select;
    if (select.empty()) select.push_back(SelectItem{.column = (qualifier.empty() ? meta_->table : qualifier) + ".*"});
    select.insert(select.end(), relationColumns.begin(), relationColumns.end());
    return b;
}

Result ModelQueryCore::fetch() {
    builder_.useClient(client()).forModel(meta_->name);
    if (!relationColumns.empty()) return selecting().exec();
    return builder_.exec();
}


bool ModelQueryCore::firstInto(void* out) {
    for (const auto& hook : meta_->beforeFind) hook(*this);
    auto& limit = builder_.state().limit;
    const auto saved = limit;
    limit = 1;
    QueryClient& c = client();
    OneRow one{out};
    ModelSink sink(*meta_, c, &OneRow::next, &one);
    try {
        streamModels(*this, c, sink);
    } catch (...) {
        limit = saved;
        throw;
    }
    limit = saved;
    if (!one.found) return false;
    if (!preloads_.empty()) runPreloads({out});
    meta_->runHooks(Hook::AfterFind, out);
    return true;
}

void ModelQueryCore::streamAll(void* vector, void* (*append)(void*), void (*reserve)(void*, std::size_t)) {
    for (const auto& hook : meta_->beforeFetch) hook(*this);
    QueryClient& c = client();
    ModelSink sink(*meta_, c, append, vector, reserve);
    streamModels(*this, c, sink);
}

std::vector<std::shared_ptr<void>> ModelQueryCore::fetchShared() {
    QueryClient& c = client();
    if (!meta_->afterFetch.empty() && meta_->fetchShared) {  // the hook wants the rows as a std::vector<T>
        Result r = fetch();
        return meta_->fetchShared(*meta_, r, c);
    }
    struct Context {
        const ModelMeta* meta;
        std::vector<std::shared_ptr<void>> rows;
    } ctx{meta_, {}};
    ModelSink sink(
        *meta_, c,
        [](void* p) -> void* {
            auto& x = *static_cast<Context*>(p);
            return x.rows.emplace_back(x.meta->create()).get();
        },
        &ctx, [](void* p, std::size_t n) { static_cast<Context*>(p)->rows.reserve(n); });
    streamModels(*this, c, sink);
    return std::move(ctx.rows);
}

void ModelQueryCore::finishAll(void* first, std::size_t stride, std::size_t count, void* vector) {
    if (!preloads_.empty()) {
        std::vector<void*> parents(count);
        for (std::size_t i = 0; i < count; ++i) parents[i] = static_cast<char*>(first) + i * stride;
        runPreloads(parents);
    }
    for (const auto& f : meta_->afterFetch) f(vector);
}

void ModelQueryCore::preload(std::string relation, std::function<void(ModelQueryCore&)> callback) {
    meta_->relation(relation);  // unknown names fail here, where the mistake is made
    preloads_.push_back(PreloadSpec{std::move(relation), std::move(callback)});
}

void ModelQueryCore::runPreloads(const std::vector<void*>& parents) {
    for (const auto& p : preloads_) meta_->relation(p.relation).preload(client(), parents, p.callback);
}

ModelQueryCore ModelQueryCore::emptyCopy() const {
    ModelQueryCore c(meta_, client_);
    c.qualifier = qualifier;
    c.pivotTable = pivotTable;
    return c;
}

bool ModelQueryCore::selectsAlias(std::string_view name) const {
    for (const auto& item : builder_.state().select)
        if (!item.alias.empty() && item.alias == name) return true;
    return false;
}

namespace {
void requirePivot(const ModelQueryCore& q) {
    if (q.pivotTable.empty())
        throw Error("E_NOT_A_PIVOT_QUERY", "wherePivot and its kin work only on the query of a manyToMany relationship (the \"" +
                                               q.meta().name + "\" query has no pivot table)");
}
}  // namespace

void ModelQueryCore::wherePivot(std::string_view column, std::string_view op, Value value, bool orJoin, bool negate) {
    requirePivot(*this);
    builder_.state().wheres.push_back(basicWhere(pivotTable + "." + std::string(column), op, std::move(value), orJoin, negate));
}
void ModelQueryCore::whereInPivot(std::string_view column, Bindings values, bool orJoin, bool negate) {
    requirePivot(*this);
    WhereNode n{.kind = WhereKind::In, .orJoin = orJoin, .negate = negate, .column = pivotTable + "." + std::string(column)};
    n.values = std::move(values);
    builder_.state().wheres.push_back(std::move(n));
}
void ModelQueryCore::whereNullPivot(std::string_view column, bool orJoin, bool negate) {
    requirePivot(*this);
    builder_.state().wheres.push_back(
        WhereNode{.kind = WhereKind::Null, .orJoin = orJoin, .negate = negate, .column = pivotTable + "." + std::string(column)});
}

Value scaledAggregate(const ModelMeta& meta, QueryBuilder& query, const char* fn, std::string_view column) {
    std::string_view name = column;
    if (auto dot = name.rfind('.'); dot != std::string_view::npos) name.remove_prefix(dot + 1);  // "table.column"
    const int i = meta.findColumn(name);
    const int scale = i < 0 ? -1 : meta.columns[static_cast<std::size_t>(i)].options.scale;
    if (scale < 0) return query.aggregate(fn, column);
    return roundedToScale(query.aggregate(fn, column, /*exact=*/true), scale);
}

}  // namespace lucid::detail
