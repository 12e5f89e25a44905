// PostgreSQL behind PgBouncer in transaction pooling mode: one server connection serves many clients
// between their transactions, so a named prepared statement of one client can meet another's of the same
// name. lucid-cpp uses unnamed statements there (?pgbouncer=true, ConnectionConfig::preparedStatements,
// or by itself when it sees the pooler) and every answer stays right. PostgreSQL only: SQLite has no pooler.
#include "support/db_test.hpp"
#include "support/private_pgbouncer.hpp"

#include <atomic>
#include <thread>

using namespace lucid;

namespace bouncer {
struct Author : BaseModel<Author> {
    int64_t id = 0;
    std::string name;
    int64_t visits = 0;
    static void define(ModelDefinition<Author>& m) {
        m.column(&Author::id, "id", {.isPrimary = true});
        m.column(&Author::name, "name");
        m.column(&Author::visits, "visits");
    }
};
}  // namespace bouncer
using bouncer::Author;

class PgBouncerTest : public ::testing::Test {
protected:
    void SetUp() override {
        const char* pg = std::getenv("LUCID_TEST_PG_URL");
        ASSERT_TRUE(pg && *pg) << "LUCID_TEST_PG_URL is not set: run the tests through scripts/test.sh";
        server = lucid_test::databaseUrls()[1];  // this program's own database
        Database db(server);
        db.schema().dropTableIfExists("authors", true);
        db.schema().createTable("authors", [](TableBuilder& t) {
            t.increments("id");
            t.string("name").notNullable();
            t.integer("visits").defaultTo(0);
        });
    }
    // threads x rounds of insert, find, findBy, save and a transaction each, through one Database
    void hammer(const std::string& url, const std::string& tag) {
        DatabaseConfig config{.connection = "app", .connections = {{"app", ConnectionConfig{.url = url, .pool = {.max = 8}}}}};
        Database db(config);
        std::atomic<int> wrong{0}, failed{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&, t] {
                for (int i = 0; i < 60; ++i) {
                    const std::string name = tag + "-" + std::to_string(t) + "-" + std::to_string(i);
                    try {
                        Author a = Author::create({.name = name}, db.connection());
                        auto found = Author::find(a.id, db.connection());
                        if (!found || found->name != name) ++wrong;
                        auto byName = Author::findBy(&Author::name, name, db.connection());
                        if (!byName || byName->id != a.id) ++wrong;
                        found->visits = i + 1;
                        found->save();
                        db.transaction([&](Transaction& trx) {
                            if (Author::query(trx).where(&Author::id, a.id).count() != 1) ++wrong;
                            trx.from("authors").where("id", a.id).increment("visits");
                        });
                    } catch (const std::exception& e) {
                        ++failed;
                        ADD_FAILURE() << name << ": " << e.what();
                    }
                }
            });
        for (auto& th : threads) th.join();
        EXPECT_EQ(wrong.load(), 0);
        EXPECT_EQ(failed.load(), 0);
        // every row is one of ours, written exactly as asked (read without the pooler)
        Database direct(server);
        EXPECT_EQ(direct.from("authors").whereLike("name", tag + "-%").count(), 240);
        Result r = direct.rawQuery("select name, visits from authors where name like ?", {tag + "-%"});
        for (std::size_t i = 0; i < r.size(); ++i) {
            const std::string name = r[i].get<std::string>("name");
            EXPECT_EQ(r[i].get<int64_t>("visits"), std::stoll(name.substr(name.rfind('-') + 1)) + 2) << name;
        }
    }
    std::string server;
};

TEST_F(PgBouncerTest, TheOptionMakesEveryStatementUnnamed) {
    lucid_test::PrivatePgBouncer bouncer(server, 2);
    ASSERT_TRUE(bouncer.ok()) << bouncer.error();
    hammer(bouncer.url(server, "?pgbouncer=true"), "option");
    DatabaseConfig config{.connection = "app", .connections = {{"app", ConnectionConfig{.url = bouncer.url(server), .preparedStatements = false}}}};
    Database viaConfig(config);
    EXPECT_EQ(viaConfig.from("authors").count(), 240);
}

// Without the option the pooler is seen at connect time (the server process is not the one announced)
// and named statements are not used: the default configuration is safe too.
TEST_F(PgBouncerTest, APoolerIsDetectedWithoutTheOption) {
    lucid_test::PrivatePgBouncer bouncer(server, 2);
    ASSERT_TRUE(bouncer.ok()) << bouncer.error();
    hammer(bouncer.url(server), "detected");
}

TEST(PgBouncerUrl, TheOptionIsLucidsAndTheRestGoesToLibpq) {
    const char* pg = std::getenv("LUCID_TEST_PG_URL");
    ASSERT_TRUE(pg && *pg);
    const std::string server = lucid_test::databaseUrls()[1];
    Database db(server + (server.find('?') == std::string::npos ? "?" : "&") + "pgbouncer=true&connect_timeout=5");
    EXPECT_EQ(db.rawQuery("select 1 as one")[0].get<int64_t>("one"), 1);
    EXPECT_THROW(Database(server + "?pgbouncer=maybe"), ConnectionError);
}
