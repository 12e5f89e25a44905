#pragma once
// The untyped clause tree that every query builder fills and each dialect compiles: the typed builders'
// templates reach it through state(), the sql layer compiles it.
#include <lucid/order.hpp>
#include <lucid/value.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lucid {
namespace detail {

struct QueryState;

enum class WhereKind : unsigned char { Basic, In, Null, Between, Like, Exists, Column, Raw, Group, SubCompare };

struct WhereNode {
    WhereKind kind = WhereKind::Basic;
    bool orJoin = false;  // joined to the previous condition by OR
    bool negate = false;  // NOT ...
    std::string column;   // left side (a column reference)
    std::string op;       // comparison operator
    std::string column2;  // right side of whereColumn
    Value value, value2;
    Bindings values;            // IN list, raw bindings
    std::string raw;            // whereRaw SQL with '?' placeholders
    std::vector<WhereNode> group;
    std::shared_ptr<const QueryState> sub;  // EXISTS / IN / compared subquery
};

struct SelectItem {
    std::string column;  // a column reference ("t.c", "c as a", "*"); with `aggregate`, its argument
    std::string aggregate;  // sum/avg/min/max of `column`, written by the dialect (its rounding and types)
    int scale = -1;         // with `aggregate`: the column's scale (-1: none)
    std::string raw;     // or raw SQL with '?' placeholders
    Bindings bindings;
    std::shared_ptr<const QueryState> sub;  // or a subquery
    std::string alias;
};

struct JoinClause {
    std::string type;  // "inner join", "left join"
    std::string table;
    std::string first, op, second;
};

struct OrderItem {
    std::string column;
    Order order = Order::Asc;
    std::string raw;
};

// A query joined to another by UNION [ALL], or named by a WITH clause.
struct SetMember {
    bool all = false;
    std::shared_ptr<const QueryState> query;
};
struct CommonTable {
    std::string name;
    std::shared_ptr<const QueryState> query;
};

// INSERT ... ON CONFLICT (columns) DO NOTHING, or DO UPDATE SET each of `update` to the new row's value.
struct Conflict {
    std::vector<std::string> columns;  // empty: any unique constraint (DO NOTHING only)
    std::vector<std::string> update;   // empty: DO NOTHING
};

enum class RowLock : unsigned char { None, Update, Share };
enum class LockWait : unsigned char { Wait, SkipLocked, NoWait };

struct QueryState {
    std::vector<CommonTable> ctes;  // WITH
    bool recursive = false;         // WITH RECURSIVE
    std::string table;
    std::shared_ptr<const QueryState> fromSub;  // FROM (subquery) AS alias, instead of a table
    std::string alias;
    std::vector<SelectItem> select;
    bool distinct = false;
    std::vector<JoinClause> joins;
    // Conditions every row must meet whatever the user adds (a relation's keys, its onQuery): ANDed
    // before the user's wheres, which are bracketed, so that an orWhere cannot escape them.
    std::vector<WhereNode> scope;
    std::vector<WhereNode> wheres;
    std::vector<std::string> groupBy;
    std::vector<WhereNode> havings;
    std::vector<OrderItem> orders;
    std::vector<SetMember> unions;  // before the ORDER BY / LIMIT, which order the whole set
    std::optional<int64_t> limit, offset;
    int64_t timeoutMs = 0;  // timeout(): 0 for none
    RowLock lock = RowLock::None;
    LockWait lockWait = LockWait::Wait;
};

}  // namespace detail
}  // namespace lucid
