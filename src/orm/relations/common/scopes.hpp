#pragma once
// The query scopes that several relation kinds supply (a kind with needs of its own derives from these).
#include "orm/query_scope.hpp"

#include <lucid/errors.hpp>

namespace lucid::detail {

// The query of one parent's related rows (related(...).query()) of a kind that holds one row: no pagination.
class OneRowScope final : public QueryScope {
public:
    explicit OneRowScope(std::string context) : context_(std::move(context)) {}
    void checkPaginate() const override { throw Error("E_UNSUPPORTED", "Cannot paginate a " + context_); }

private:
    std::string context_;
};

// The related table joined to a pivot or intermediate table: property names resolve into the related
// table (or its alias), and the joined keys are selected beside the user's columns.
class JoinedScope : public QueryScope {
public:
    JoinedScope(std::string qualifier, std::vector<SelectItem> columns) : qualifier_(std::move(qualifier)), columns_(std::move(columns)) {}
    const std::string* qualifier() const override { return &qualifier_; }
    const std::vector<SelectItem>* columns() const override { return &columns_; }

private:
    std::string qualifier_;
    std::vector<SelectItem> columns_;
};

}  // namespace lucid::detail
