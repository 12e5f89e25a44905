#pragma once
// Every database test is written once and runs on SQLite and on PostgreSQL (LUCID_TEST_PG_URL).
#include <lucid/lucid.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

namespace lucid_test {

inline std::vector<std::string> databaseUrls() {
    const char* pg = std::getenv("LUCID_TEST_PG_URL");
    // Without a server the PostgreSQL half fails loudly instead of silently not running.
    return {"sqlite::memory:", pg && *pg ? std::string(pg) : std::string("postgres-missing: set LUCID_TEST_PG_URL")};
}

inline std::string databaseName(const ::testing::TestParamInfo<std::string>& info) {
    return info.param.rfind("sqlite", 0) == 0 ? "sqlite" : "postgres";
}

class DbTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        const std::string& url = GetParam();
        if (url.rfind("postgres-missing", 0) == 0) FAIL() << "LUCID_TEST_PG_URL is not set: run the tests through scripts/test.sh";
        db.emplace(url);
        lucid::useDatabase(*db);
    }
    bool isPostgres() const { return GetParam().rfind("postgres", 0) == 0; }
    // Drops the tables so each test starts from nothing; on PostgreSQL with cascade, since test programs
    // share one database and another program's tables may hold foreign keys to these.
    void dropTables(std::initializer_list<const char*> tables) {
        for (const char* t : tables) db->schema().dropTableIfExists(t, /*cascade=*/true);
    }
    std::optional<lucid::Database> db;
};

// Counts the queries a database runs while it lives.
struct QueryCounter {
    explicit QueryCounter(lucid::Database& db)
        : sub(db.onQuery([this](const lucid::QueryEvent& e) {
              ++count;
              sqls.emplace_back(e.sql);
          })) {}
    int count = 0;
    std::vector<std::string> sqls;
    lucid::QuerySubscription sub;
};

}  // namespace lucid_test

#define LUCID_DB_TEST_SUITE(Suite) \
    INSTANTIATE_TEST_SUITE_P(Databases, Suite, ::testing::ValuesIn(lucid_test::databaseUrls()), lucid_test::databaseName)
