// The samples of docs/relationships/polymorphic.md: scripts/docs_snippets.py copies each snippet
// region of this file into the guide, and the test suite runs it on SQLite and PostgreSQL.
#include "support/db_test.hpp"

#include <lucid/json.hpp>

#include <iostream>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace polymorphic_guide {

// [snippet:models]
struct Post;
struct Video;
struct Tag;

struct Comment : lucid::BaseModel<Comment> {
    int64_t id = 0;
    std::string body;
    std::optional<std::string> commentableType;   // "Post" or "video" (see morphMap below)
    std::optional<int64_t> commentableId;
    lucid::MorphTo<Post, Video> commentable;      // every model it may point at, known at compile time

    static void define(lucid::ModelDefinition<Comment>& m) {
        m.column(&Comment::id, "id", {.isPrimary = true});
        m.column(&Comment::body, "body");
        m.column(&Comment::commentableType, "commentableType");
        m.column(&Comment::commentableId, "commentableId");
        m.morphTo(&Comment::commentable, "commentable");   // keys: commentableType, commentableId
    }
};

struct Post : lucid::BaseModel<Post> {
    int64_t id = 0;
    std::string title;
    lucid::MorphMany<Comment> comments;
    lucid::MorphToMany<Tag> tags;

    static void define(lucid::ModelDefinition<Post>& m) {
        m.column(&Post::id, "id", {.isPrimary = true});
        m.column(&Post::title, "title");
        m.morphMany(&Post::comments, "comments", {.morphName = "commentable"});
        m.morphToMany(&Post::tags, "tags", {.morphName = "taggable"});   // pivot "taggables"
    }
};

struct Video : lucid::BaseModel<Video> {
    int64_t id = 0;
    std::string title;
    lucid::MorphMany<Comment> comments;
    lucid::MorphToMany<Tag> tags;

    static void define(lucid::ModelDefinition<Video>& m) {
        m.column(&Video::id, "id", {.isPrimary = true});
        m.column(&Video::title, "title");
        m.morphMany(&Video::comments, "comments", {.morphName = "commentable"});
        m.morphToMany(&Video::tags, "tags", {.morphName = "taggable"});
    }
};

struct Tag : lucid::BaseModel<Tag> {
    int64_t id = 0;
    std::string name;
    lucid::MorphedByMany<Post> posts;     // the inverse of Post::tags
    lucid::MorphedByMany<Video> videos;

    static void define(lucid::ModelDefinition<Tag>& m) {
        m.column(&Tag::id, "id", {.isPrimary = true});
        m.column(&Tag::name, "name");
        m.morphedByMany(&Tag::posts, "posts", {.morphName = "taggable"});
        m.morphedByMany(&Tag::videos, "videos", {.morphName = "taggable"});
    }
};
// [end-snippet]

// [snippet:tables]
void createTables(lucid::QueryClient& db) {
    auto schema = db.schema();
    for (const char* table : {"posts", "videos"})
        schema.createTable(table, [](lucid::TableBuilder& t) {
            t.increments("id");
            t.string("title");
        });
    schema.createTable("comments", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.string("body");
        t.string("commentable_type").nullable();   // the model's morph type
        t.integer("commentable_id").nullable();    // its key
        t.index({"commentable_type", "commentable_id"});
    });
    schema.createTable("tags", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.string("name");
    });
    schema.createTable("taggables", [](lucid::TableBuilder& t) {   // the morph name, pluralized
        t.integer("tag_id");
        t.integer("taggable_id");
        t.string("taggable_type");
    });
}
// [end-snippet]

}  // namespace polymorphic_guide

using namespace polymorphic_guide;

class PolymorphicGuide : public lucid_test::DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"taggables", "tags", "comments", "videos", "posts"});
        createTables(*db);
        // [snippet:morph-map]
        static const bool once = (lucid::morphMap<Video>("video"), true);   // once, before first use
        // [end-snippet]
        (void)once;
    }
};

TEST_P(PolymorphicGuide, CreateAndPreload) {
    // [snippet:create]
    Post post = Post::create({.title = "Hello"});
    Video video = Video::create({.title = "Intro"});
    Comment first = post.related(&Post::comments).create({.body = "Nice post"});
    // first.commentableType == "Post", first.commentableId == post.id
    video.related(&Video::comments).createMany({{.body = "Great video"}, {.body = "Thanks"}});
    // their commentableType is "video": the morphMap alias
    // [end-snippet]
    EXPECT_EQ(first.commentableType, "Post");
    EXPECT_EQ(first.commentableId, post.id);
    EXPECT_EQ(post.id, video.id);  // the same id in both tables: the type tells them apart

    lucid_test::QueryCounter counter(*db);
    // [snippet:preload-morph-to]
    auto comments = Comment::query().orderBy(&Comment::id).preload(&Comment::commentable).all();
    // three queries: the comments, the posts, the videos (one per type present, whatever the count)
    for (const Comment& c : comments) {
        if (Post* p = c.commentable.get<Post>()) std::cout << "on post " << p->title << "\n";
        c.commentable.visit([](auto& model) { std::cout << "on " << model.title << "\n"; });   // Post& or Video&
    }
    // [end-snippet]
    EXPECT_EQ(counter.count, 3);
    ASSERT_EQ(comments.size(), 3u);
    EXPECT_TRUE(comments[0].commentable.is<Post>());
    EXPECT_TRUE(comments[1].commentable.is<Video>());

    // [snippet:preload-morph-many]
    auto posts = Post::query().preload(&Post::comments).withCount(&Post::comments).all();
    // posts[0].comments: the post's comments only, never those of the video with the same id
    auto videos = Video::query()
                      .whereHas(&Video::comments, [](lucid::ModelQuery<Comment>& q) { q.where(&Comment::body, "Thanks"); })
                      .all();
    // [end-snippet]
    ASSERT_EQ(posts[0].comments.size(), 1u);
    EXPECT_EQ(posts[0].extra("comments_count").as<int64_t>(), 1);
    EXPECT_EQ(videos.size(), 1u);

    // [snippet:serialize]
    nlohmann::json j = comments[1].serialize();
    // {"id": 2, "body": "Great video", "commentableType": "video", "commentableId": 1,
    //  "commentable": {"id": 1, "title": "Intro"}}
    // [end-snippet]
    EXPECT_EQ(j["commentable"]["title"], "Intro");
}

TEST_P(PolymorphicGuide, AssociateAndDissociate) {
    Post post = Post::create({.title = "Hello"});
    Video video = Video::create({.title = "Intro"});
    Comment comment = Comment::create({.body = "Moved around"});
    // [snippet:associate]
    comment.related(&Comment::commentable).associate(video);   // type "video", id video.id: one transaction
    comment.related(&Comment::commentable).associate(post);    // now the post's
    comment.related(&Comment::commentable).dissociate();       // both columns null
    // [end-snippet]
    EXPECT_FALSE(comment.commentableType.has_value());
    EXPECT_TRUE(comment.commentable.isLoaded());
    EXPECT_FALSE(comment.commentable);
}

TEST_P(PolymorphicGuide, Tags) {
    Post post = Post::create({.title = "Hello"});
    Video video = Video::create({.title = "Intro"});
    Tag cpp = Tag::create({.name = "c++"});
    Tag sql = Tag::create({.name = "sql"});
    // [snippet:tags]
    post.related(&Post::tags).attach({cpp.id, sql.id});   // taggables rows: (tag_id, post.id, "Post")
    video.related(&Video::tags).attach({cpp.id});         // (tag_id, video.id, "video")
    post.related(&Post::tags).sync({sql.id});             // the post keeps sql only; the video's rows stay
    auto tags = Tag::query().orderBy(&Tag::id).preload(&Tag::posts).preload(&Tag::videos).all();
    // tags[0] (c++): no post, one video; tags[1] (sql): one post, no video
    // [end-snippet]
    ASSERT_EQ(tags.size(), 2u);
    EXPECT_EQ(tags[0].posts.size(), 0u);
    EXPECT_EQ(tags[0].videos.size(), 1u);
    EXPECT_EQ(tags[1].posts.size(), 1u);
    EXPECT_EQ(tags[1].videos.size(), 0u);
    EXPECT_TRUE((lucid::checkSchema<Comment, Post, Video, Tag>(*db)).empty());
}

LUCID_DB_TEST_SUITE(PolymorphicGuide);
