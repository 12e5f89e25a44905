// ModelQueryCore: the untyped query of a model — fetch into instances, preloads, relation columns.
#include <lucid/model_query.hpp>
#include <lucid/detail/relation.hpp>

#include "orm/model/hydration.hpp"
#include "orm/query_scope.hpp"

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

ModelQueryCore::ModelQueryCore(const ModelMeta* meta, QueryClient* client)
    : meta_(meta), client_(client), builder_(nullptr, meta->table), scope_(meta->scope) {}

void ModelQueryCore::setScope(std::shared_ptr<const QueryScope> scope) {
    scope_ = scope_ ? scope_->under(std::move(scope)) : std::move(scope);
}

void ModelQueryCore::seal() {
    if (!scope_ || sealed_) return;
    auto& st = builder_.state();
    sealedFrom_ = st.scope.size();
    scope_->constrain(st, st.alias.empty() ? st.table : st.alias);
    sealedCount_ = st.scope.size() - sealedFrom_;
    sealed_ = true;
}

QueryState ModelQueryCore::subqueryState() const {
    QueryState st = builder_.state();
    if (!scope_) return st;
    if (!sealed_) scope_->constrain(st, st.alias.empty() ? st.table : st.alias);
    if (st.select.empty() && addsColumns()) {
        const std::string* table = scope_->qualifier();
        st.select.push_back(SelectItem{.column = (table ? *table : meta_->table) + ".*"});
    }
    return st;
}

void ModelQueryCore::unseal() {
    if (!sealed_) return;
    auto& nodes = builder_.state().scope;
    const auto from = nodes.begin() + static_cast<std::ptrdiff_t>(sealedFrom_);
    nodes.erase(from, from + static_cast<std::ptrdiff_t>(sealedCount_));
    sealed_ = false;
}

QueryClient& ModelQueryCore::client() const { return client_ ? *client_ : defaultClient(*meta_); }

Attributes ModelQueryCore::toColumns(const Attributes& values) const {
    Attributes out;
    out.reserve(values.size());
    for (const auto& [k, v] : values) out.emplace_back(meta_->resolveColumn(k), v);  // SET takes bare columns
    return out;
}

std::string ModelQueryCore::qualify(std::string column) const {
    const std::string* table = scope_ ? scope_->qualifier() : nullptr;
    if (!table || column.find_first_of(".*( ") != std::string::npos) return column;
    return *table + "." + column;
}

bool ModelQueryCore::addsColumns() const {
    const auto* columns = scope_ ? scope_->columns() : nullptr;
    return columns && !columns->empty();
}

QueryBuilder ModelQueryCore::selecting() const {
    QueryBuilder b = builder_;
    if (!addsColumns()) return b;
    auto& select = b.state().select;
    const std::string* table = scope_->qualifier();
    if (select.empty()) select.push_back(SelectItem{.column = (table ? *table : meta_->table) + ".*"});
    const auto& columns = *scope_->columns();
    select.insert(select.end(), columns.begin(), columns.end());
    return b;
}

Result ModelQueryCore::fetch() {
    seal();
    builder_.useClient(client()).forModel(meta_->name);
    if (addsColumns()) return selecting().exec();
    return builder_.exec();
}

int64_t ModelQueryCore::write(const Attributes* values) {
    seal();
    if (scope_)
        if (auto n = scope_->write(*this, values)) return *n;
    builder_.useClient(client()).forModel(meta_->name);
    return values ? builder_.update(toColumns(*values)) : builder_.del();
}

void ModelQueryCore::checkPaginate() const {
    if (scope_) scope_->checkPaginate();
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

void ModelQueryCore::preload(Relation& relation, QueryCallback callback) {
    preloads_.push_back(PreloadSpec{&relation, std::move(callback)});
}

void ModelQueryCore::runPreloads(const std::vector<void*>& parents) {
    for (const auto& p : preloads_) p.relation->preload(client(), parents, p.callback);
}

ModelQueryCore ModelQueryCore::emptyCopy() const {
    ModelQueryCore c(meta_, client_);
    c.scope_ = scope_;
    return c;
}

bool ModelQueryCore::selectsAlias(std::string_view name) const {
    for (const auto& item : builder_.state().select)
        if (!item.alias.empty() && item.alias == name) return true;
    return false;
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
