// The samples of docs/model-query-builder.md's "Big result sets" section: scripts/docs_snippets.py copies
// each snippet region of this file into the guide, and the test suite runs it on SQLite and PostgreSQL.
#include "support/db_test.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace big_results_guide {

struct Comment;

// [snippet:models]
struct Author : lucid::BaseModel<Author> {
    int64_t id = 0;
    std::string email;
    int32_t points = 0;
    lucid::HasMany<Comment> comments;

    static void define(lucid::ModelDefinition<Author>& m) {
        m.column(&Author::id, "id", {.isPrimary = true});
        m.column(&Author::email, "email");
        m.column(&Author::points, "points");
        m.hasMany(&Author::comments, "comments");
    }
};

struct Comment : lucid::BaseModel<Comment> {
    int64_t id = 0;
    int64_t authorId = 0;
    std::string body;

    static void define(lucid::ModelDefinition<Comment>& m) {
        m.column(&Comment::id, "id", {.isPrimary = true});
        m.column(&Comment::authorId, "authorId");
        m.column(&Comment::body, "body");
    }
};
// [end-snippet]

}  // namespace big_results_guide

using namespace big_results_guide;

class BigResultsGuide : public lucid_test::DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"comments", "authors"});
        db->schema().createTable("authors", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.string("email");
            t.integer("points").defaultTo(0);
        });
        db->schema().createTable("comments", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.integer("author_id");
            t.string("body");
        });
        for (int i = 1; i <= 2500; ++i)
            db->table("authors").insert({{"email", "a" + std::to_string(i) + "@x.com"}, {"points", i % 2}});
        db->table("comments").insert({{"author_id", 1}, {"body", "first"}});
    }
};

TEST_P(BigResultsGuide, ChunkAndEach) {
    // [snippet:chunk]
    // 1000 rows at a time, by primary key: where id > last order by id limit 1000
    int64_t seen = 0;
    Author::query().preload(&Author::comments).chunk(1000, [&](std::vector<Author>& batch) {
        for (const Author& a : batch) seen += a.comments.isLoaded() ? 1 : 0;   // preloaded for this chunk
    });
    // seen == 2500: three chunks (1000, 1000, 500), each with its one preload query
    // [end-snippet]
    EXPECT_EQ(seen, 2500);

    // [snippet:each]
    // one model at a time, fetched in chunks (1000 unless told): the query's wheres still apply
    Author::query().where(&Author::points, 1).each([](Author& a) {
        a.points = 10;
        a.save();
    }, 500);
    // [end-snippet]
    EXPECT_EQ(db->from("authors").where("points", 10).count(), 1250);

    try {
        // [snippet:chunk-size]
        Author::query().chunk(0, [](std::vector<Author>&) {});   // lucid::Error (E_INVALID_CHUNK_SIZE)
        // [end-snippet]
        ADD_FAILURE() << "chunk(0) ran";
    } catch (const lucid::Error& e) {
        EXPECT_EQ(e.code(), "E_INVALID_CHUNK_SIZE");
    }
}

TEST_P(BigResultsGuide, Cursor) {
    // [snippet:cursor]
    // one statement; each row becomes a model as the loop reaches it
    int64_t total = 0;
    for (Author& a : Author::query().where(&Author::points, ">", 0).orderBy(&Author::id).cursor()) {
        total += a.points;
        if (a.id > 2000) break;   // the statement ends here, its connection goes back to the pool
    }
    // [end-snippet]
    EXPECT_EQ(total, 1001);
    EXPECT_EQ(db->from("authors").count(), 2500);  // the connection is usable again

    // [snippet:cursor-transaction]
    db->transaction([](lucid::Transaction& trx) {
        for (Author& a : Author::query(trx).where(&Author::points, 0).cursor()) {
            a.points = 2;
            a.save();   // in the transaction, between the cursor's rows
        }
    });
    // [end-snippet]
    EXPECT_EQ(db->from("authors").where("points", 2).count(), 1250);

    // [snippet:cursor-timeout]
    int64_t seen = 0;
    try {
        for (Author& a : Author::query().orderBy(&Author::id).timeout(std::chrono::milliseconds{2000}).cursor()) {
            seen += a.id > 0;   // the loop's own time counts against the 2 seconds
        }
    } catch (const lucid::QueryTimeout&) {
        // the statement ran (or the loop kept it open) past 2 s: it was stopped, the connection is free
    }
    // [end-snippet]
    EXPECT_EQ(seen, 2500);
}

LUCID_DB_TEST_SUITE(BigResultsGuide);
