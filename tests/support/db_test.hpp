#pragma once
// Every database test is written once and runs on SQLite and on PostgreSQL (LUCID_TEST_PG_URL).
#include <lucid/lucid.hpp>

#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace lucid_test {

// Each test program gets a PostgreSQL database of its own, "<the server URL's database>_<program>", made on
// first use: programs that create and drop the same tables run in parallel without meeting.
inline std::string ownDatabase(const std::string& serverUrl) {
    std::error_code ec;
    const std::string program = std::filesystem::read_symlink("/proc/self/exe", ec).filename().string();
    std::string name;
    for (char c : program) name += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
    const auto slash = serverUrl.rfind('/');
    const auto query = serverUrl.find('?', slash);
    const std::string base = serverUrl.substr(slash + 1, query == std::string::npos ? std::string::npos : query - slash - 1);
    name = (base.empty() ? std::string("postgres") : base) + "_" + name;
    lucid::Database admin(serverUrl);
    if (admin.rawQuery("select 1 from pg_database where datname = ?", {name}).empty()) {
        try {
            admin.rawQuery("create database \"" + name + "\"");  // an identifier: made of [a-z0-9_] above
        } catch (const lucid::QueryError&) {
            // made meanwhile by another run of this program: it exists, which is all we need
        }
    }
    return serverUrl.substr(0, slash + 1) + name + (query == std::string::npos ? "" : serverUrl.substr(query));
}

inline std::vector<std::string> databaseUrls() {
    const char* pg = std::getenv("LUCID_TEST_PG_URL");
    // Without a server the PostgreSQL half fails loudly instead of silently not running.
    if (!pg || !*pg) return {"sqlite::memory:", "postgres-missing: set LUCID_TEST_PG_URL"};
    static const std::string own = ownDatabase(pg);
    return {"sqlite::memory:", own};
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
