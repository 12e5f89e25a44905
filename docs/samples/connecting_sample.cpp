// The samples of docs/connecting.md (and the one-line sample of docs/README.md): scripts/docs_snippets.py
// copies each snippet region of this file into the guide, and the test suite runs it. Samples about a
// particular database (a SQLite file, a bad URL) are plain TESTs; the others run on SQLite and PostgreSQL.
#include "support/db_test.hpp"
#include "scoped_temp_dir.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace connecting_guide {

using lucid_samples::ScopedTempDir;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace connecting_guide

using namespace connecting_guide;

TEST(ConnectingGuide, FirstQueryOnAFile) {
    ScopedTempDir here;
    {
        lucid::Database setup{"sqlite:app.db"};
        setup.schema().createTable("users", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.string("email");
        });
        setup.table("users").insert({{"email", "ada@example.com"}});
    }
    // lucid.hpp is already included (by support/db_test.hpp): under #pragma once the line below is a no-op.
    // [snippet:first-query]
    // [snippet:include]
    #include <lucid/lucid.hpp>
    // [end-snippet]

    lucid::Database db{"sqlite:app.db"};
    lucid::Result r = db.rawQuery("select id, email from users where id = ?", {1});
    // [end-snippet]
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].get<std::string>("email"), "ada@example.com");
    EXPECT_EQ(r.columns(), (std::vector<std::string>{"id", "email"}));
    EXPECT_TRUE(std::filesystem::exists("app.db"));
    // File databases use WAL, with foreign keys on.
    EXPECT_EQ(db.rawQuery("pragma journal_mode")[0].get<std::string>("journal_mode"), "wal");
    EXPECT_EQ(db.rawQuery("pragma foreign_keys")[0].get<int64_t>("foreign_keys"), 1);
}

TEST(ConnectingGuide, ConnectingIsEager) {
    // A bad host throws at construction, and the password never shows in the message.
    try {
        lucid::Database db{"postgres://app:secret@127.0.0.1:1/app?connect_timeout=5"};
        FAIL() << "connecting to port 1 did not throw";
    } catch (const lucid::ConnectionError& e) {
        EXPECT_EQ(e.code(), "E_CONNECTION_ERROR");
        EXPECT_FALSE(contains(e.what(), "secret")) << e.what();
        EXPECT_TRUE(contains(e.what(), "postgres://app:***@127.0.0.1:1/app")) << e.what();
    }
    // Any other scheme, and a SQLite file that cannot be created.
    EXPECT_THROW(lucid::Database{"mysql://app@127.0.0.1/app"}, lucid::ConnectionError);
    EXPECT_THROW(lucid::Database{"sqlite:/nonexistent-dir/sub/app.db"}, lucid::ConnectionError);
}

class ConnectingGuideDb : public lucid_test::DbTest {};

TEST_P(ConnectingGuideDb, NamedConnections) {
    ScopedTempDir here;  // for cache.db
    const std::string pgUrl = GetParam(), replicaUrl = GetParam();
    testing::internal::CaptureStderr();
    try {
        // [snippet:named-connections]
        lucid::Database db{lucid::DatabaseConfig{
            .connection = "pg",                                   // the default connection
            .connections = {
                {"pg",    {.url = pgUrl,                          // e.g. "postgres://app:secret@127.0.0.1:5432/app"
                           .pool = {.min = 0, .max = 10, .acquireTimeoutMs = 5000},
                           .readReplicas = {replicaUrl}}},        // e.g. "postgres://app:secret@10.0.0.2:5432/app"
                {"cache", {.url = "sqlite:cache.db", .debug = true}}}}};   // debug: print each query to stderr

        db.rawQuery("select 1");                          // the default connection ("pg")
        db.connection("cache").rawQuery("select 1");      // a named connection: also a QueryClient
        db.connection("nope");                            // throws lucid::ConnectionError
        // [end-snippet]
        FAIL() << "connection(\"nope\") did not throw";
    } catch (const lucid::ConnectionError& e) {
        EXPECT_TRUE(contains(e.what(), "nope")) << e.what();
    }
    std::string printed = testing::internal::GetCapturedStderr();
    // Only the "cache" connection has debug on: its query was printed, the default connection's was not.
    EXPECT_EQ(printed, "[lucid:cache] select 1 []\n");
    EXPECT_TRUE(std::filesystem::exists("cache.db"));

    // Without a name, a single connection is "primary"; a default that is not among the connections throws.
    lucid::Database single{GetParam()};
    EXPECT_EQ(single.connectionName(), "primary");
    EXPECT_EQ(&single.connection(), &single.connection("primary"));
    lucid::Database unnamed{lucid::DatabaseConfig{.connections = {{"only", {.url = GetParam()}}}}};
    EXPECT_EQ(unnamed.connectionName(), "only");
    EXPECT_THROW(lucid::Database(lucid::DatabaseConfig{.connection = "missing",
                                                       .connections = {{"only", {.url = GetParam()}}}}),
                 lucid::ConnectionError);
}

TEST_P(ConnectingGuideDb, BehindPgBouncer) {
    const bool pg = isPostgres();
    const std::string pgbouncerUrl = pg ? GetParam() + "?pgbouncer=true" : GetParam();
    const std::string pgbouncerHost = GetParam();
    // [snippet:pgbouncer]
    // In the URL ("postgres://app:secret@127.0.0.1:6432/app?pgbouncer=true") ...
    lucid::Database viaUrl{pgbouncerUrl};
    // ... or in the connection's configuration
    lucid::Database viaConfig{lucid::DatabaseConfig{
        .connections = {{"primary", {.url = pgbouncerHost, .preparedStatements = false}}}}};
    // [end-snippet]
    EXPECT_EQ(viaUrl.rawQuery("select 1 as one")[0].get<int64_t>("one"), 1);
    EXPECT_EQ(viaConfig.rawQuery("select 2 as two")[0].get<int64_t>("two"), 2);
}

TEST(ConnectingGuide, PoolOfOneAndATransaction) {
    auto started = std::chrono::steady_clock::now();
    try {
        // [snippet:pool-deadlock]
        lucid::Database db{"sqlite::memory:"};           // pool of one
        db.schema().createTable("users", [](lucid::TableBuilder& t) { t.increments("id"); });
        db.transaction([&](lucid::Transaction& trx) {
            trx.from("users").count();                   // right: the transaction's connection
            db.from("users").count();                    // ConnectionError: this thread holds the only connection
        });
        // [end-snippet]
        FAIL() << "db.from() inside the transaction did not throw";
    } catch (const lucid::ConnectionError& e) {
        EXPECT_TRUE(contains(e.what(), "is held by this thread")) << e.what();
    }
    // Immediately, not after the 60 s acquire timeout.
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

TEST_P(ConnectingGuideDb, DefaultDatabase) {
    lucid::Database& db = *this->db;
    // [snippet:default-database]
    lucid::useDatabase(db);                // models use db unless given a QueryClient
    lucid::Database& d = lucid::defaultDatabase();   // ConnectionError when none was set
    // [end-snippet]
    EXPECT_EQ(&d, &db);
    {
        lucid::Database other{"sqlite::memory:"};
        lucid::useDatabase(other);
        EXPECT_EQ(&lucid::defaultDatabase(), &other);
    }
    // A Database that is destroyed stops being the default.
    EXPECT_THROW(lucid::defaultDatabase(), lucid::ConnectionError);
    lucid::useDatabase(db);
}

TEST_P(ConnectingGuideDb, RawQueries) {
    lucid::Database& db = *this->db;
    dropTables({"items"});
    db.schema().createTable("items", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.string("name");
        t.integer("qty").nullable();
        t.text("doc").nullable();
    });
    lucid_test::QueryCounter queries(db);
    // [snippet:raw-queries]
    db.rawQuery("insert into items (name, qty) values (?, ?)", {"a", 1});
    lucid::Result r = db.rawQuery("select * from items where qty >= ? and name like ?", {1, "a%"});
    // [end-snippet]
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].get<std::string>("name"), "a");
    EXPECT_EQ(r[0].get<int64_t>("qty"), 1);
    // Placeholders are rewritten to $n on PostgreSQL; the values travel as bindings.
    ASSERT_EQ(queries.sqls.size(), 2u);
    EXPECT_EQ(queries.sqls[1], isPostgres() ? "select * from items where qty >= $1 and name like $2"
                                            : "select * from items where qty >= ? and name like ?");

    // A ? inside quotes is left alone.
    EXPECT_EQ(db.rawQuery("select '?' as q")[0].get<std::string>("q"), "?");
    // The number of ? must match the bindings.
    try {
        db.rawQuery("select * from items where qty = ? and name = ?", {1});
        FAIL() << "a missing binding did not throw";
    } catch (const lucid::Error& e) {
        EXPECT_EQ(e.code(), "E_MISSING_BINDING");
    }
    if (isPostgres()) {
        // \? is a literal question mark: PostgreSQL's jsonb "has key" operator.
        db.rawQuery("update items set doc = ?", {R"({"k": 1})"});
        EXPECT_TRUE(db.rawQuery("select doc::jsonb \\? 'k' as has_k from items")[0].get<bool>("has_k"));
        // One statement per call.
        EXPECT_THROW(db.rawQuery("select 1 as a; select 2 as b"), lucid::QueryError);
    } else {
        // Several statements without bindings: the result is the last one's.
        lucid::Result last = db.rawQuery("select 1 as a; select 2 as b");
        EXPECT_EQ(last.columns(), std::vector<std::string>{"b"});
        EXPECT_EQ(last[0].get<int64_t>("b"), 2);
    }
}

// The guide lists what the calls return; the variables are there to show the types.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-variable"
#pragma GCC diagnostic ignored "-Wunused-but-set-variable"
TEST_P(ConnectingGuideDb, ResultsAndRows) {
    lucid::Database& db = *this->db;
    dropTables({"items"});
    db.schema().createTable("items", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.string("name");
        t.integer("qty").nullable();
    });
    db.table("items").insert({{"name", "a"}, {"qty", 3}});
    db.table("items").insert({{"name", "b"}, {"qty", nullptr}});
    // [snippet:results]
    lucid::Result r = db.rawQuery("select id, name, qty from items order by id");
    r.size(); r.empty(); r.columns();          // rows, and the column names
    r.rowsAffected();                          // for insert/update/delete
    r.lastInsertId();                          // SQLite's rowid; always 0 on PostgreSQL
    for (const lucid::Row& row : r) {
        int64_t id = row.get<int64_t>("id");
        std::optional<int64_t> qty = row.get<std::optional<int64_t>>("qty");   // NULL -> nullopt
        const lucid::Value& name = row["name"];                                // the raw cell
        if (!name.isNull()) std::string s = name.as<std::string>();
    }
    lucid::Row first = r[0];  first.has("qty");  first.at(0);
    // [end-snippet]
    EXPECT_EQ(r.size(), 2u);
    EXPECT_FALSE(r.empty());
    EXPECT_EQ(r.columns(), (std::vector<std::string>{"id", "name", "qty"}));
    EXPECT_EQ(r[0].get<std::optional<int64_t>>("qty"), 3);
    EXPECT_EQ(r[1].get<std::optional<int64_t>>("qty"), std::nullopt);
    EXPECT_EQ(r[1]["name"].as<std::string>(), "b");
    EXPECT_TRUE(first.has("qty"));
    EXPECT_FALSE(first.has("price"));
    EXPECT_EQ(first.at(0), first["id"]);
    EXPECT_EQ(first.get<int64_t>("id"), 1);

    lucid::Result inserted = db.rawQuery("insert into items (name, qty) values (?, ?)", {"c", 5});
    EXPECT_EQ(inserted.rowsAffected(), 1);
    EXPECT_EQ(inserted.lastInsertId(), isPostgres() ? 0 : 3);
    EXPECT_EQ(db.rawQuery("update items set qty = 0")
                  .rowsAffected(), 3);

    // An unknown column, and conversions that do not fit.
    try {
        first["x"];
        FAIL() << "an unknown column did not throw";
    } catch (const lucid::Error& e) {
        EXPECT_EQ(e.code(), "E_UNKNOWN_COLUMN");
    }
    EXPECT_THROW(first.get<std::string>("id"), lucid::TypeError);
    EXPECT_THROW(r[1].get<int64_t>("qty"), lucid::TypeError);  // NULL into a non-optional
    try {
        r[1].get<int64_t>("name");
        FAIL() << "text into an integer did not throw";
    } catch (const lucid::TypeError& e) {
        EXPECT_TRUE(contains(e.what(), "\"name\"")) << e.what();
    }
}
#pragma GCC diagnostic pop

TEST_P(ConnectingGuideDb, QueryEvents) {
    lucid::Database& db = *this->db;
    testing::internal::CaptureStderr();
    // [snippet:query-events]
    lucid::QuerySubscription sub = db.onQuery([](const lucid::QueryEvent& e) {
        std::cerr << e.connection << " " << e.sql << " " << lucid::bindingsToString(e.bindings)
                  << " " << e.duration.count() << "ns" << (e.failed ? " FAILED" : "") << '\n';
    });
    db.rawQuery("select ? as answer", {42});   // ... queries ...
    sub.unsubscribe();   // or let `sub` go out of scope
    // [end-snippet]
    db.rawQuery("select 2");  // not seen: unsubscribed
    std::string printed = testing::internal::GetCapturedStderr();
    std::string expected = isPostgres() ? "primary select $1 as answer [42] " : "primary select ? as answer [42] ";
    EXPECT_EQ(printed.rfind(expected, 0), 0u) << printed;
    EXPECT_TRUE(printed.ends_with("ns\n")) << printed;
    EXPECT_EQ(std::count(printed.begin(), printed.end(), '\n'), 1);

    // inTransaction, model and failed.
    struct Seen {
        std::string sql;
        bool inTransaction, failed;
        std::string model;
    };
    std::vector<Seen> seen;
    {
        lucid::QuerySubscription s = db.onQuery([&](const lucid::QueryEvent& e) {
            seen.push_back({std::string(e.sql), e.inTransaction, e.failed, std::string(e.model)});
        });
        db.transaction([](lucid::Transaction& trx) { trx.rawQuery("select 1"); });
        EXPECT_THROW(db.rawQuery("select * from no_such_table"), lucid::QueryError);
    }
    db.rawQuery("select 3");  // `s` is gone
    ASSERT_EQ(seen.size(), 4u);
    EXPECT_TRUE(seen[0].inTransaction && seen[1].inTransaction && seen[2].inTransaction);
    EXPECT_EQ(seen[2].sql, "commit");
    EXPECT_FALSE(seen[3].inTransaction);
    EXPECT_TRUE(seen[3].failed);
    EXPECT_FALSE(seen[1].failed);
    EXPECT_EQ(seen[1].model, "");
}

TEST_P(ConnectingGuideDb, Errors) {
    lucid::Database& db = *this->db;
    dropTables({"users"});
    db.schema().createTable("users", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.string("email").notNullable().unique();
    });
    db.table("users").insert({{"email", "taken@x.com"}});
    lucid_test::QueryCounter queries(db);
    int failed = 0;
    lucid::QuerySubscription countFailures = db.onQuery([&](const lucid::QueryEvent& e) { failed += e.failed; });
    // [snippet:errors]
    try {
        db.table("users").insert({{"email", "taken@x.com"}});
    } catch (const lucid::QueryError& e) {
        e.driverMessage();   // the database's own message
        e.sql();             // the SQL as sent
        e.bindingsText();    // "['taken@x.com']"
        e.sqlState();        // PostgreSQL SQLSTATE ("23505"); SQLite extended result code ("2067")
    }
    // [end-snippet]
    EXPECT_EQ(failed, 1);  // the insert failed, and the snippet caught its QueryError
    try {
        db.table("users").insert({{"email", "taken@x.com"}});
        FAIL() << "a duplicate email did not throw";
    } catch (const lucid::QueryError& e) {
        EXPECT_EQ(e.code(), "E_QUERY_ERROR");
        EXPECT_FALSE(e.driverMessage().empty());
        EXPECT_EQ(e.sql(), queries.sqls.back());
        EXPECT_TRUE(e.sql().rfind("insert into \"users\"", 0) == 0) << e.sql();
        EXPECT_EQ(e.bindingsText(), "['taken@x.com']");
        EXPECT_EQ(e.sqlState(), isPostgres() ? "23505" : "2067");
        // what(): the driver message, then the SQL and the bindings.
        EXPECT_TRUE(contains(e.what(), e.driverMessage())) << e.what();
        EXPECT_TRUE(contains(e.what(), e.sql())) << e.what();
        EXPECT_TRUE(contains(e.what(), "taken@x.com")) << e.what();
    }
    // Every error derives from lucid::Error, a std::runtime_error.
    EXPECT_THROW(db.connection("nope"), lucid::Error);
    EXPECT_THROW(db.connection("nope"), std::runtime_error);
}

LUCID_DB_TEST_SUITE(ConnectingGuideDb);
