// What every QueryClient offers on top of execute(): raw SQL, query and schema builders, truncate.
#include <lucid/query.hpp>
#include <lucid/schema.hpp>
#include <lucid/transaction.hpp>

#include "sql/compiler.hpp"
#include "sql/dialect.hpp"

namespace lucid {

Result QueryClient::rawQuery(std::string_view sql, const Bindings& bindings) {
    return execute(detail::compileRaw(sql, bindings, dialect()));
}
QueryBuilder QueryClient::from(std::string_view table) { return QueryBuilder(this, std::string(table)); }
QueryBuilder QueryClient::table(std::string_view table) { return QueryBuilder(this, std::string(table)); }
QueryBuilder QueryClient::query() { return QueryBuilder(this); }
Schema QueryClient::schema() { return Schema(*this); }

void QueryClient::truncate(std::string_view table, bool cascade) {
    Schema s(*this);
    const auto statements = dialect().truncate(table, cascade, [&](const std::string& t) { return s.hasTable(t); });
    auto run = [&](QueryClient& c) {
        for (const auto& st : statements) c.execute(st);
    };
    if (statements.size() == 1) return run(*this);
    transaction([&](Transaction& trx) { run(trx); });
}

}  // namespace lucid
