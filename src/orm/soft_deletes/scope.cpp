// Soft deletes on queries: the scope a soft-deleting model's every query starts with (Eloquent's
// SoftDeletingScope), and withTrashed / onlyTrashed / forceDelete on a model query.
#include <lucid/errors.hpp>
#include <lucid/model_query.hpp>

#include "orm/model/column_values.hpp"
#include "orm/query_scope.hpp"
#include "query/where_nodes.hpp"

namespace lucid::detail {
namespace {

// Wraps the relation's scope, if any: relations carry on as without it, and only the rows' condition
// and the meaning of del() change.
class SoftDeleteScope final : public QueryScope {
public:
    SoftDeleteScope(const ModelMeta& meta, std::shared_ptr<const QueryScope> inner, Trashed which)
        : meta_(&meta), inner_(std::move(inner)), which_(which) {}

    const std::string* qualifier() const override { return inner_ ? inner_->qualifier() : nullptr; }
    const std::vector<SelectItem>* columns() const override { return inner_ ? inner_->columns() : nullptr; }
    void checkPaginate() const override {
        if (inner_) inner_->checkPaginate();
    }
    const std::string* pivotTable() const override { return inner_ ? inner_->pivotTable() : nullptr; }

    // del() is an UPDATE that marks the rows trashed (through the relation's write when it has one).
    std::optional<int64_t> write(ModelQueryCore& q, const Attributes* values) const override {
        if (!values) {
            const Attributes stamp{{column(), Value(writeTime())}};
            return q.write(&stamp);
        }
        return inner_ ? inner_->write(q, values) : std::nullopt;
    }
    // Qualified, so that a join (manyToMany, hasManyThrough, the user's) or a correlated subquery
    // cannot make the column ambiguous or name the outer table.
    void constrain(QueryState& st, const std::string& table) const override {
        if (inner_) inner_->constrain(st, table);
        if (which_ == Trashed::With) return;
        detail::constrain(st, WhereNode{.kind = WhereKind::Null, .negate = which_ == Trashed::Only, .column = table + "." + column()});
    }
    std::shared_ptr<const QueryScope> under(std::shared_ptr<const QueryScope> relation) const override {
        return std::make_shared<const SoftDeleteScope>(*meta_, std::move(relation), which_);
    }

    std::shared_ptr<const QueryScope> with(Trashed which) const { return std::make_shared<const SoftDeleteScope>(*meta_, inner_, which); }
    const QueryScope* inner() const { return inner_.get(); }

private:
    // read when used: define() marks the column before the naming strategy names it
    const std::string& column() const { return meta_->columns[static_cast<std::size_t>(meta_->softDelete)].column; }

    const ModelMeta* meta_;
    std::shared_ptr<const QueryScope> inner_;
    Trashed which_;
};

const SoftDeleteScope& softScope(const ModelMeta& meta, const QueryScope* scope) {
    const auto* soft = dynamic_cast<const SoftDeleteScope*>(scope);
    if (!soft) throw Error("E_UNSUPPORTED", "\"" + meta.name + "\" model does not use soft deletes (m.softDeletes in define())");
    return *soft;
}

}  // namespace

void useSoftDeletes(ModelMeta& meta) {
    if (meta.softDelete >= 0) throw DefinitionError("\"" + meta.name + "\" model declares softDeletes more than once", "E_DUPLICATE_MODEL_ATTRIBUTE");
    meta.softDelete = static_cast<int>(meta.columns.size()) - 1;
    meta.scope = std::make_shared<const SoftDeleteScope>(meta, nullptr, Trashed::Without);
}

void ModelQueryCore::trashed(Trashed which) {
    const SoftDeleteScope& soft = softScope(*meta_, scope_.get());
    unseal();
    scope_ = soft.with(which);
}

int64_t ModelQueryCore::forceDelete() {
    const SoftDeleteScope& soft = softScope(*meta_, scope_.get());
    seal();
    if (const QueryScope* inner = soft.inner())
        if (auto n = inner->write(*this, nullptr)) return *n;
    builder_.useClient(client()).forModel(meta_->name);
    return builder_.del();
}

}  // namespace lucid::detail
