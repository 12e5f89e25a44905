// The samples of docs/soft-deletes.md: scripts/docs_snippets.py copies each snippet region of this file
// into the guide, and the test suite runs it on SQLite and PostgreSQL.
#include "support/db_test.hpp"

#include <string>
#include <vector>

namespace soft_deletes_guide {

struct Post;

struct Writer : lucid::BaseModel<Writer> {
    int64_t id = 0;
    std::string name;
    lucid::HasMany<Post> posts;
    static void define(lucid::ModelDefinition<Writer>& m) {
        m.table("guide_writers");
        m.column(&Writer::id, "id", {.isPrimary = true});
        m.column(&Writer::name, "name");
        m.hasMany(&Writer::posts, "posts", {.foreignKey = "writerId"});
    }
};

// [snippet:model]
struct Post : lucid::BaseModel<Post> {
    int64_t id = 0;
    int64_t writerId = 0;
    std::string title;
    std::optional<lucid::DateTime> deletedAt;  // null: not trashed
    static void define(lucid::ModelDefinition<Post>& m) {
        m.table("guide_posts");
        m.column(&Post::id, "id", {.isPrimary = true});
        m.column(&Post::writerId, "writerId");
        m.column(&Post::title, "title");
        m.softDeletes(&Post::deletedAt);  // the column "deleted_at" (no m.column for it)
    }
};
// [end-snippet]

class SoftDeletesGuide : public lucid_test::DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"guide_posts", "guide_writers"});
        db->schema().createTable("guide_writers", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.string("name");
        });
        // [snippet:schema]
        db->schema().createTable("guide_posts", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.integer("writer_id");
            t.string("title");
            t.timestamp("deleted_at").nullable();
        });
        // [end-snippet]
        writer = Writer::create({.name = "ann"});
        for (const char* title : {"first", "second", "third"}) Post::create({.writerId = writer.id, .title = title});
    }
    Writer writer;
};

}  // namespace soft_deletes_guide

using namespace soft_deletes_guide;

TEST_P(SoftDeletesGuide, RemoveAndRestore) {
    // [snippet:remove]
    Post post = Post::findByOrFail(&Post::title, "first");
    post.remove();                      // UPDATE guide_posts SET deleted_at = <now> WHERE id = ?
    EXPECT_TRUE(post.isTrashed());      // deletedAt is set
    EXPECT_FALSE(post.isDeleted());     // the row is still there
    EXPECT_FALSE(Post::find(post.id));  // ...but no query sees it

    post.restore();                     // deleted_at = null, through save() (its update hooks run)
    EXPECT_TRUE(Post::find(post.id));

    post.forceDelete();                 // DELETE: gone for good
    EXPECT_TRUE(post.isDeleted());      // restore() and save() now throw
    // [end-snippet]
    EXPECT_EQ(db->from("guide_posts").count(), 2);
}

TEST_P(SoftDeletesGuide, Queries) {
    Post::findByOrFail(&Post::title, "first").remove();
    // [snippet:queries]
    std::vector<Post> live = Post::query().all();                 // "second", "third"
    int64_t all = Post::query().withTrashed().count();            // 3
    std::vector<Post> bin = Post::query().onlyTrashed().all();    // "first"

    // del() on a query marks its rows trashed; forceDelete() really deletes
    int64_t marked = Post::query().where(&Post::title, "second").del();          // 1
    int64_t gone = Post::query().onlyTrashed().forceDelete();                    // 2
    // [end-snippet]
    EXPECT_EQ(live.size(), 2u);
    EXPECT_EQ(all, 3);
    ASSERT_EQ(bin.size(), 1u);
    EXPECT_EQ(bin[0].title, "first");
    EXPECT_EQ(marked, 1);
    EXPECT_EQ(gone, 2);
    EXPECT_EQ(db->from("guide_posts").count(), 1);
}

TEST_P(SoftDeletesGuide, Relations) {
    Post::findByOrFail(&Post::title, "first").remove();
    // [snippet:relations]
    auto writers = Writer::query().preload(&Writer::posts).withCount(&Writer::posts).all();
    EXPECT_EQ(writers[0].posts.size(), 2u);                         // the trashed post is left out
    EXPECT_EQ(writers[0].extra("posts_count").as<int64_t>(), 2);

    auto everything = Writer::query().preload(&Writer::posts, [](lucid::ModelQuery<Post>& q) { q.withTrashed(); }).all();
    EXPECT_EQ(everything[0].posts.size(), 3u);
    EXPECT_EQ(writer.related(&Writer::posts).query().onlyTrashed().count(), 1);
    // [end-snippet]
}

INSTANTIATE_TEST_SUITE_P(Databases, SoftDeletesGuide, ::testing::ValuesIn(lucid_test::databaseUrls()), lucid_test::databaseName);
