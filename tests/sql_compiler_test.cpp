// The SQL text each dialect produces for the clause tree.
#include <lucid/lucid.hpp>

#include "sql/compiler.hpp"
#include "sql/dialect.hpp"

#include <gtest/gtest.h>

using namespace lucid;
using lucid::detail::postgresDialect;
using lucid::detail::sqliteDialect;

namespace {
detail::Statement select(const QueryBuilder& q, const detail::Dialect& d) { return detail::compileSelect(q.state(), d); }
}  // namespace

TEST(SqlCompiler, WhereFamilyOnBothDialects) {
    QueryBuilder q(nullptr, "users");
    q.where("id", 1).orWhere("points", ">", 10).whereIn("id", {1, 2}).whereNull("deleted_at").whereNotNull("email")
        .whereBetween("points", 1, 5).whereLike("email", "%@x.com").whereColumn("a", "=", "users.b")
        .whereRaw("lower(email) = ?", {"a"}).where([](QueryBuilder& g) { g.where("x", 1).orWhere("y", 2); })
        .whereNot("z", 3).orderBy("id", Desc).limit(5).offset(10);
    auto s = select(q, sqliteDialect());
    EXPECT_EQ(s.sql, "select * from \"users\" where \"id\" = ? or \"points\" > ? and \"id\" in (?, ?) and \"deleted_at\" is null "
                     "and \"email\" is not null and \"points\" between ? and ? and \"email\" like ? and \"a\" = \"users\".\"b\" "
                     "and (lower(email) = ?) and (\"x\" = ? or \"y\" = ?) and not \"z\" = ? order by \"id\" desc limit ? offset ?");
    EXPECT_EQ(s.bindings.size(), 13u);
    auto p = select(q, postgresDialect());
    EXPECT_EQ(p.sql, "select * from \"users\" where \"id\" = $1 or \"points\" > $2 and \"id\" in ($3, $4) and \"deleted_at\" is null "
                     "and \"email\" is not null and \"points\" between $5 and $6 and \"email\" like $7 and \"a\" = \"users\".\"b\" "
                     "and (lower(email) = $8) and (\"x\" = $9 or \"y\" = $10) and not \"z\" = $11 order by \"id\" desc limit $12 offset $13");
}

TEST(SqlCompiler, IdentifiersAreQuotedAndValuesBound) {
    QueryBuilder q(nullptr, "we\"ird");
    q.select("a as b", "t.*").where("na\"me", "x'; drop table users; --");
    auto s = select(q, postgresDialect());
    EXPECT_EQ(s.sql, "select \"a\" as \"b\", \"t\".* from \"we\"\"ird\" where \"na\"\"me\" = $1");
    EXPECT_EQ(s.bindings[0].as<std::string>(), "x'; drop table users; --");
}

TEST(SqlCompiler, NullComparisonsAndEmptyLists) {
    QueryBuilder q(nullptr, "t");
    q.where("a", nullptr).whereIn("b", {}).whereNotIn("c", {});
    EXPECT_EQ(select(q, sqliteDialect()).sql, "select * from \"t\" where \"a\" is null and 1 = 0 and 1 = 1");
}

TEST(SqlCompiler, LongListsBecomeOneBinding) {
    Bindings ids;
    for (int i = 0; i < 5000; ++i) ids.push_back(i);
    QueryBuilder q(nullptr, "t");
    q.whereIn("id", ids);
    auto pg = select(q, postgresDialect());
    EXPECT_EQ(pg.sql, "select * from \"t\" where \"id\" = any($1)");
    ASSERT_EQ(pg.bindings.size(), 1u);
    EXPECT_EQ(pg.bindings[0].as<std::string>().substr(0, 6), "{0,1,2");
    auto sq = select(q, sqliteDialect());
    EXPECT_EQ(sq.sql, "select * from \"t\" where \"id\" in (select value from json_each(?))");
}

TEST(SqlCompiler, OffsetWithoutLimitAndForUpdate) {
    QueryBuilder q(nullptr, "t");
    q.offset(3).forUpdate();
    EXPECT_EQ(select(q, sqliteDialect()).sql, "select * from \"t\" limit -1 offset ?");
    EXPECT_EQ(select(q, postgresDialect()).sql, "select * from \"t\" offset $1 for update");
}

TEST(SqlCompiler, RawPlaceholdersSkipQuotedText) {
    auto s = detail::compileRaw("select '?' as q, ? as a, \\? as b", {1}, postgresDialect());
    EXPECT_EQ(s.sql, "select '?' as q, $1 as a, ? as b");
    EXPECT_THROW(detail::compileRaw("select ?, ?", {1}, sqliteDialect()), Error);
    EXPECT_THROW(detail::compileRaw("select 1", {1}, sqliteDialect()), Error);
}

TEST(SqlCompiler, InsertUpdateDelete) {
    auto ins = detail::compileInsert("users", {"email", "points"}, {{"a", 1}, {"b", 2}}, "id", postgresDialect());
    EXPECT_EQ(ins.sql, "insert into \"users\" (\"email\", \"points\") values ($1, $2), ($3, $4) returning \"id\"");
    QueryBuilder q(nullptr, "users");
    q.where("id", 1);
    EXPECT_EQ(detail::compileUpdate(q.state(), {{"points", 5}}, sqliteDialect()).sql,
              "update \"users\" set \"points\" = ? where \"id\" = ?");
    EXPECT_EQ(detail::compileDelete(q.state(), postgresDialect()).sql, "delete from \"users\" where \"id\" = $1");
    EXPECT_EQ(detail::compileIncrement(q.state(), "points", 2, postgresDialect()).sql,
              "update \"users\" set \"points\" = \"points\" + $1 where \"id\" = $2");
}

TEST(SqlCompiler, RejectsUnknownOperators) {
    QueryBuilder q(nullptr, "t");
    EXPECT_THROW(q.where("a", "= 1; drop table t; --", 1), Error);
}

TEST(SchemaCompiler, DdlMatchesKnex) {
    auto build = [](TableBuilder& t) {
        t.increments("id");
        t.string("email", 255).notNullable().unique();
        t.integer("points").notNullable().defaultTo(0);
        t.integer("user_id").unsigned_().nullable().references("id").inTable("users").onDelete("cascade");
        t.boolean("is_active").defaultTo(false);
        t.timestamps();
    };
    TableBuilder t("profiles");
    build(t);
    const auto& pg = postgresDialect();
    EXPECT_EQ(pg.columnType(t.columns()[0]), "serial primary key");
    EXPECT_EQ(pg.columnType(t.columns()[1]), "varchar(255)");
    EXPECT_EQ(pg.columnType(t.columns()[5]), "timestamptz");
    EXPECT_EQ(sqliteDialect().columnType(t.columns()[0]), "integer not null primary key autoincrement");
    EXPECT_EQ(pg.literal(Value("it's")), "'it''s'");
    EXPECT_EQ(pg.booleanLiteral(false), "false");
    EXPECT_EQ(sqliteDialect().booleanLiteral(false), "0");
}
