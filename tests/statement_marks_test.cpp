// How a driver may run a statement (prepare it, keep its plan in a transaction, forget plans after it)
// is marked by whoever builds it: the compiler, raw SQL's classifier, the schema builder.
#include <lucid/lucid.hpp>

#include "sql/compiler.hpp"
#include "sql/dialect.hpp"

#include <gtest/gtest.h>

using namespace lucid;
using Columns = detail::Statement::Columns;
using lucid::detail::postgresDialect;

namespace {
detail::Statement select(const QueryBuilder& q) { return detail::compileSelect(q.state(), postgresDialect()); }
detail::Statement raw(std::string_view sql, const Bindings& b = {}) { return detail::compileRaw(sql, b, postgresDialect()); }
}  // namespace

TEST(StatementMarks, NamedColumnsKeepTheirShapeAndStarFollowsTheTable) {
    QueryBuilder named(nullptr, "users");
    named.select("id", "email").where("id", 1);
    auto st = select(named);
    EXPECT_TRUE(st.preparable);
    EXPECT_EQ(st.columns, Columns::Fixed);
    EXPECT_TRUE(st.keepsShape());
    EXPECT_FALSE(st.changesSchema);

    QueryBuilder all(nullptr, "users");
    EXPECT_EQ(select(all).columns, Columns::FromTable);
    QueryBuilder qualified(nullptr, "users");
    qualified.select("users.*");
    EXPECT_FALSE(select(qualified).keepsShape());
    QueryBuilder counted(nullptr, "users");
    counted.selectRaw("count(*) as n");  // a raw fragment: marked by its text, as before
    EXPECT_FALSE(select(counted).keepsShape());
}

TEST(StatementMarks, LongKeyListsAndWithAreNotPrepared) {
    Bindings keys;
    for (int i = 0; i < 200; ++i) keys.emplace_back(int64_t{i});
    QueryBuilder listed(nullptr, "users");
    listed.select("id").whereIn("id", keys);
    auto st = select(listed);
    EXPECT_NE(st.sql.find("= any("), std::string::npos);
    EXPECT_FALSE(st.preparable);

    QueryBuilder few(nullptr, "users");
    few.select("id").whereIn("id", {1, 2});
    EXPECT_TRUE(select(few).preparable);

    QueryBuilder inner(nullptr, "users");
    QueryBuilder cte(nullptr, "active");
    cte.select("id").with("active", inner);
    EXPECT_FALSE(select(cte).preparable);
}

TEST(StatementMarks, WritesArePreparedWithAFixedShape) {
    QueryBuilder q(nullptr, "users");
    q.where("id", 1);
    for (const auto& st : {detail::compileUpdate(q.state(), {{"name", "a"}}, postgresDialect()),
                           detail::compileDelete(q.state(), postgresDialect()),
                           detail::compileInsert("users", {"name"}, {{Value("a")}}, "id", postgresDialect())}) {
        EXPECT_TRUE(st.preparable) << st.sql;
        EXPECT_TRUE(st.keepsShape()) << st.sql;
    }
    EXPECT_FALSE(detail::compileInsert("users", {"name"}, {{Value("a")}}, "*", postgresDialect()).keepsShape());
}

TEST(StatementMarks, RawSqlIsMarkedByItsText) {
    EXPECT_TRUE(raw("select id from users where id = ?", {1}).preparable);
    EXPECT_FALSE(raw("SELECT id FROM users").preparable);  // only lower-case DML, as the driver always did
    EXPECT_FALSE(raw("select id from users where id = any(?)", {1}).preparable);
    EXPECT_FALSE(raw("select * from users").keepsShape());
    EXPECT_FALSE(raw("set time zone 'UTC'").preparable);

    auto ddl = raw("CREATE TABLE t (id int)");
    EXPECT_TRUE(ddl.changesSchema);
    EXPECT_FALSE(ddl.preparable);
    EXPECT_TRUE(raw("alter table t add column x int").changesSchema);
    EXPECT_TRUE(raw("drop table t").changesSchema);
    EXPECT_FALSE(raw("insert into t (id) values (1)").changesSchema);

    EXPECT_TRUE(raw("commit").commits);
    EXPECT_FALSE(raw("rollback").commits);
}

TEST(StatementMarks, HandBuiltStatementsAssumeWhatTheirKindReturns) {
    // a model's cached find selects `*`; its cached UPDATE returns no rows
    detail::Statement find{.sql = "select * from \"users\" where \"id\" = $1 limit $2", .read = true};
    EXPECT_TRUE(find.preparable);
    EXPECT_FALSE(find.keepsShape());
    detail::Statement update{.sql = "update \"users\" set \"name\" = $1 where \"id\" = $2"};
    EXPECT_TRUE(update.keepsShape());
}

TEST(StatementMarks, EveryDialectSaysWhereInsertedIdsComeFrom) {
    EXPECT_TRUE(detail::sqliteDialect().hasLastInsertId());
    EXPECT_FALSE(postgresDialect().hasLastInsertId());
}
