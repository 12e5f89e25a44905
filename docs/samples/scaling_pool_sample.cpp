// The samples of docs/scaling.md's pool and PgBouncer sections: scripts/docs_snippets.py copies each
// snippet region of this file into the guide, and the test suite runs it on SQLite and PostgreSQL.
#include "support/db_test.hpp"

#include <lucid/json.hpp>

#include <string>

namespace scaling_guide {

class ScalingPoolGuide : public lucid_test::DbTest {};

TEST_P(ScalingPoolGuide, PoolOptionsAndHealthReport) {
    const std::string url = GetParam();
    // [snippet:pool-options]
    lucid::Database app{lucid::DatabaseConfig{
        .connection = "primary",
        .connections = {{"primary", lucid::ConnectionConfig{
                                        .url = url,
                                        // at most 8 connections; a thread waits up to 5 s for a free one,
                                        // then gets lucid::ConnectionError ("Timeout acquiring a connection...")
                                        .pool = {.min = 2, .max = 8, .acquireTimeoutMs = 5000},
                                    }}},
    }};
    // [end-snippet]
    // [snippet:report]
    lucid::HealthReport health = app.report();  // `select 1` on every pool, and the pools' counts
    if (!health.healthy) {
        for (const auto& c : health.connections)
            if (!c.healthy) std::cerr << c.connection << ": " << c.message << ": " << c.error << '\n';
    }
    const lucid::PoolReport& pool = health.connections[0].pool;  // max, size, inUse, idle, waiting
    std::string body = health.toJSON().dump();  // for a health endpoint
    // [end-snippet]
    EXPECT_TRUE(health.healthy);
    EXPECT_EQ(pool.max, url.rfind("sqlite::memory:", 0) == 0 ? 1 : 8);
    EXPECT_EQ(pool.inUse, 0);
    EXPECT_NE(body.find("\"All connections are healthy\""), std::string::npos) << body;
}

TEST_P(ScalingPoolGuide, UnnamedStatementsForPgBouncer) {
    if (!isPostgres()) GTEST_SKIP() << "PostgreSQL only";
    const std::string url = GetParam();
    // [snippet:pgbouncer]
    // through PgBouncer (pool_mode = transaction): unnamed statements, by the URL...
    lucid::Database viaUrl(url + (url.find('?') == std::string::npos ? "?" : "&") + "pgbouncer=true");
    // ...or by the config
    lucid::Database viaConfig{lucid::DatabaseConfig{
        .connections = {{"primary", lucid::ConnectionConfig{.url = url, .preparedStatements = false}}}}};
    // [end-snippet]
    EXPECT_EQ(viaUrl.rawQuery("select 1 as x")[0].get<int64_t>("x"), 1);
    EXPECT_EQ(viaConfig.rawQuery("select 2 as x")[0].get<int64_t>("x"), 2);
}

LUCID_DB_TEST_SUITE(ScalingPoolGuide);

}  // namespace scaling_guide
