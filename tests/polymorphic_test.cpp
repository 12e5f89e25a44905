// Polymorphic relations (API.md §14): morphTo, morphOne, morphMany, morphToMany, morphedByMany.
#include "support/db_test.hpp"

#include <lucid/json.hpp>

using namespace lucid;
using lucid_test::DbTest;
using lucid_test::QueryCounter;

namespace poly {

struct Post;
struct Video;
struct Tag;

struct Comment : BaseModel<Comment> {
    int64_t id = 0;
    std::string body;
    int64_t votes = 0;
    std::optional<std::string> commentableType;
    std::optional<int64_t> commentableId;
    MorphTo<Post, Video> commentable;
    static void define(ModelDefinition<Comment>& m) {
        m.column(&Comment::id, "id", {.isPrimary = true});
        m.column(&Comment::body, "body");
        m.column(&Comment::votes, "votes");
        m.column(&Comment::commentableType, "commentableType");
        m.column(&Comment::commentableId, "commentableId");
        m.morphTo(&Comment::commentable, "commentable");
        m.beforeSave([](Comment& c) {
            if (c.body == "fail") throw std::runtime_error("refused");
        });
    }
};

struct Image : BaseModel<Image> {
    int64_t id = 0;
    std::string url;
    std::string imageableType;
    int64_t imageableId = 0;
    static void define(ModelDefinition<Image>& m) {
        m.column(&Image::id, "id", {.isPrimary = true});
        m.column(&Image::url, "url");
        m.column(&Image::imageableType, "imageableType");
        m.column(&Image::imageableId, "imageableId");
    }
};

struct Post : BaseModel<Post> {
    int64_t id = 0;
    std::string title;
    MorphMany<Comment> comments;
    MorphMany<Comment> popularComments;
    MorphOne<Image> image;
    MorphToMany<Tag> tags;
    static void define(ModelDefinition<Post>& m) {
        m.column(&Post::id, "id", {.isPrimary = true});
        m.column(&Post::title, "title");
        m.morphMany(&Post::comments, "comments", {.morphName = "commentable"});
        m.morphMany(&Post::popularComments, "popularComments",
                    {.morphName = "commentable", .onQuery = [](ModelQuery<Comment>& q) { q.where(&Comment::votes, ">=", 10); }});
        m.morphOne(&Post::image, "image", {.morphName = "imageable"});
        m.morphToMany(&Post::tags, "tags", {.morphName = "taggable"});
    }
};

struct Video : BaseModel<Video> {
    int64_t id = 0;
    std::string title;
    MorphMany<Comment> comments;
    MorphOne<Image> image;
    MorphToMany<Tag> tags;
    static void define(ModelDefinition<Video>& m) {
        m.column(&Video::id, "id", {.isPrimary = true});
        m.column(&Video::title, "title");
        m.morphMany(&Video::comments, "comments", {.morphName = "commentable"});
        m.morphOne(&Video::image, "image", {.morphName = "imageable"});
        m.morphToMany(&Video::tags, "tags", {.morphName = "taggable"});
    }
};

struct Tag : BaseModel<Tag> {
    int64_t id = 0;
    std::string name;
    MorphedByMany<Post> posts;
    MorphedByMany<Video> videos;
    static void define(ModelDefinition<Tag>& m) {
        m.column(&Tag::id, "id", {.isPrimary = true});
        m.column(&Tag::name, "name");
        m.morphedByMany(&Tag::posts, "posts", {.morphName = "taggable"});
        m.morphedByMany(&Tag::videos, "videos", {.morphName = "taggable"});
    }
};

// Definition errors, in Lucid's wording, at first use.
struct BadTypeKey : BaseModel<BadTypeKey> {
    int64_t id = 0;
    MorphTo<Post, Video> subject;
    static void define(ModelDefinition<BadTypeKey>& m) {
        m.column(&BadTypeKey::id, "id", {.isPrimary = true});
        m.morphTo(&BadTypeKey::subject, "subject", {.typeKey = "kind"});
    }
};
struct Slugged : BaseModel<Slugged> {
    int64_t id = 0;
    std::string slug;
    static void define(ModelDefinition<Slugged>& m) {
        m.column(&Slugged::id, "id", {.isPrimary = true});
        m.column(&Slugged::slug, "slug");
    }
};
struct BadTarget : BaseModel<BadTarget> {
    int64_t id = 0;
    std::string subjectType;
    std::string subjectId;
    MorphTo<Slugged, Video> subject;
    static void define(ModelDefinition<BadTarget>& m) {
        m.column(&BadTarget::id, "id", {.isPrimary = true});
        m.column(&BadTarget::subjectType, "subjectType");
        m.column(&BadTarget::subjectId, "subjectId");
        m.morphTo(&BadTarget::subject, "subject", {.localKey = "slug"});
    }
};

}  // namespace poly
using namespace poly;

namespace {
// Videos are stored as "video"; posts by their model name, "Post".
const bool aliased = (morphMap<Video>("video"), true);
}  // namespace

class PolymorphicTest : public DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        ASSERT_TRUE(aliased);
        dropTables({"taggables", "tags", "images", "comments", "videos", "posts"});
        auto s = db->schema();
        for (const char* t : {"posts", "videos"})
            s.createTable(t, [](TableBuilder& t) {
                t.increments("id");
                t.string("title");
            });
        s.createTable("comments", [](TableBuilder& t) {
            t.increments("id");
            t.string("body").unique();
            t.integer("votes").defaultTo(0);
            t.string("commentable_type").nullable();
            t.integer("commentable_id").nullable();
        });
        s.createTable("images", [](TableBuilder& t) {
            t.increments("id");
            t.string("url");
            t.string("imageable_type");
            t.integer("imageable_id");
        });
        s.createTable("tags", [](TableBuilder& t) {
            t.increments("id");
            t.string("name");
        });
        s.createTable("taggables", [](TableBuilder& t) {
            t.integer("tag_id").notNullable();
            t.integer("taggable_id").notNullable();
            t.string("taggable_type").notNullable();
            t.string("note").nullable();
        });
        // the same ids in both tables: post 1 and video 1, post 2 and video 2
        for (int i = 1; i <= 2; ++i) {
            posts.push_back(Post::create({.title = "P" + std::to_string(i)}));
            videos.push_back(Video::create({.title = "V" + std::to_string(i)}));
        }
        for (const char* n : {"a", "b", "c", "d"}) tags.push_back(Tag::create({.name = n}));
    }
    std::vector<Post> posts;
    std::vector<Video> videos;
    std::vector<Tag> tags;
};

TEST_P(PolymorphicTest, DefaultKeysAndTypes) {
    ASSERT_EQ(posts[0].id, videos[0].id);
    Comment c = posts[0].related(&Post::comments).create({.body = "hi"});
    EXPECT_EQ(c.commentableType, "Post");
    EXPECT_EQ(c.commentableId, posts[0].id);
    Comment v = videos[0].related(&Video::comments).create({.body = "yo"});
    EXPECT_EQ(v.commentableType, "video");  // the morphMap alias
    auto row = db->from("comments").where("id", v.id).first();
    EXPECT_EQ(row->get<std::string>("commentable_type"), "video");
    EXPECT_EQ(row->get<int64_t>("commentable_id"), videos[0].id);
}

TEST_P(PolymorphicTest, DefinitionErrorsAtFirstUse) {
    try {
        BadTypeKey::query();
        FAIL() << "expected a DefinitionError";
    } catch (const DefinitionError& e) {
        EXPECT_STREQ(e.what(), "\"BadTypeKey.subject\" expects \"kind\" to exist on \"BadTypeKey\" model, but is missing");
    }
    try {
        BadTarget::query();
        FAIL() << "expected a DefinitionError";
    } catch (const DefinitionError& e) {
        EXPECT_STREQ(e.what(), "\"BadTarget.subject\" expects \"slug\" to exist on \"Video\" model, but is missing");
    }
}

TEST_P(PolymorphicTest, MorphToHolder) {
    Comment c{};
    EXPECT_FALSE(c.commentable.isLoaded());
    EXPECT_EQ(c.commentable.get<Post>(), nullptr);
    c.commentable.set(videos[1]);
    EXPECT_TRUE(c.commentable.isLoaded());
    EXPECT_TRUE(c.commentable.is<Video>());
    EXPECT_FALSE(c.commentable.is<Post>());
    EXPECT_EQ(c.commentable.get<Post>(), nullptr);
    EXPECT_EQ(c.commentable.get<Video>()->title, "V2");
    std::string seen;
    EXPECT_TRUE(c.commentable.visit([&](auto& m) { seen = m.title; }));
    EXPECT_EQ(seen, "V2");
    c.commentable.setNull();
    EXPECT_TRUE(c.commentable.isLoaded());
    EXPECT_FALSE(c.commentable.visit([&](auto&) { seen = "called"; }));
    c.commentable.reset();
    EXPECT_FALSE(c.commentable.isLoaded());
}

TEST_P(PolymorphicTest, MorphToPreloadRunsOneQueryPerTypePresent) {
    for (int i = 0; i < 12; ++i) {
        if (i % 3 == 0) videos[i % 2].related(&Video::comments).create({.body = "v" + std::to_string(i)});
        else posts[i % 2].related(&Post::comments).create({.body = "p" + std::to_string(i)});
    }
    Comment::create({.body = "orphan"});
    QueryCounter counter(*db);
    auto comments = Comment::query().orderBy(&Comment::id).preload(&Comment::commentable).all();
    EXPECT_EQ(counter.count, 3);  // the comments, the posts, the videos
    ASSERT_EQ(comments.size(), 13u);
    for (const Comment& c : comments) {
        ASSERT_TRUE(c.commentable.isLoaded());
        if (c.body == "orphan") {
            EXPECT_FALSE(c.commentable);
        } else if (c.body[0] == 'v') {
            ASSERT_TRUE(c.commentable.is<Video>());
            EXPECT_EQ(c.commentable.get<Video>()->id, *c.commentableId);
        } else {
            ASSERT_TRUE(c.commentable.is<Post>());
            EXPECT_EQ(c.commentable.get<Post>()->id, *c.commentableId);
        }
    }
    // only posts present: one query for them
    QueryCounter counter2(*db);
    Comment::query().where(&Comment::commentableType, "Post").preload(&Comment::commentable).all();
    EXPECT_EQ(counter2.count, 2);
}

TEST_P(PolymorphicTest, SameIdDifferentTypeNeverMeet) {
    posts[0].related(&Post::comments).createMany({{.body = "post a"}, {.body = "post b"}});
    videos[0].related(&Video::comments).create({.body = "video a"});
    posts[0].related(&Post::image).create({.url = "post.jpg"});
    videos[0].related(&Video::image).create({.url = "video.jpg"});
    posts[0].related(&Post::tags).attach({tags[0].id, tags[1].id});
    videos[0].related(&Video::tags).attach({tags[2].id});

    auto ps = Post::query().where(&Post::id, posts[0].id).preload(&Post::comments).preload(&Post::image).preload(&Post::tags).all();
    ASSERT_EQ(ps[0].comments.size(), 2u);
    for (const Comment& c : ps[0].comments) EXPECT_EQ(c.body.rfind("post", 0), 0u);
    EXPECT_EQ(ps[0].image->url, "post.jpg");
    ASSERT_EQ(ps[0].tags.size(), 2u);
    auto vs = Video::query().where(&Video::id, videos[0].id).preload(&Video::comments).preload(&Video::image).preload(&Video::tags).all();
    ASSERT_EQ(vs[0].comments.size(), 1u);
    EXPECT_EQ(vs[0].comments[0].body, "video a");
    EXPECT_EQ(vs[0].image->url, "video.jpg");
    ASSERT_EQ(vs[0].tags.size(), 1u);
    EXPECT_EQ(vs[0].tags[0].name, "c");
    // related(...).query(), load, and the inverse side
    EXPECT_EQ(videos[0].related(&Video::comments).query().count(), 1);
    EXPECT_EQ(posts[0].related(&Post::tags).query().count(), 2);
    Video v = videos[0];
    v.load(&Video::comments);
    EXPECT_EQ(v.comments.size(), 1u);
    auto ts = Tag::query().orderBy(&Tag::id).preload(&Tag::posts).preload(&Tag::videos).all();
    EXPECT_EQ(ts[0].posts.size(), 1u);
    EXPECT_EQ(ts[0].videos.size(), 0u);
    EXPECT_EQ(ts[2].posts.size(), 0u);
    ASSERT_EQ(ts[2].videos.size(), 1u);
    EXPECT_EQ(ts[2].videos[0].title, "V1");
}

TEST_P(PolymorphicTest, ConstrainedAndNestedPreloads) {
    posts[0].related(&Post::comments).createMany({{.body = "low", .votes = 1}, {.body = "high", .votes = 12}});
    posts[0].related(&Post::image).create({.url = "p.jpg"});
    videos[1].related(&Video::comments).create({.body = "vid", .votes = 30});
    auto ps = Post::query().orderBy(&Post::id).preload(&Post::comments, [](ModelQuery<Comment>& q) {
        q.where(&Comment::votes, ">", 5).preload(&Comment::commentable);
    }).preload(&Post::popularComments).all();
    ASSERT_EQ(ps[0].comments.size(), 1u);
    EXPECT_EQ(ps[0].comments[0].body, "high");
    EXPECT_EQ(ps[0].comments[0].commentable.get<Post>()->title, "P1");  // nested: back to its post
    ASSERT_EQ(ps[0].popularComments.size(), 1u);                       // onQuery
    EXPECT_TRUE(ps[1].comments.empty());
    // a morphTo's callback runs on the query of each type present
    std::vector<std::string> constrained;
    auto cs = Comment::query().orderBy(&Comment::id).preload(&Comment::commentable, [&](auto& q) {
        using Q = std::decay_t<decltype(q)>;
        if constexpr (std::is_same_v<Q, ModelQuery<Post>>) {
            constrained.push_back("Post");
            q.preload(&Post::image);
        } else {
            constrained.push_back("Video");
            q.where(&Video::title, "nothing");
        }
    }).all();
    EXPECT_EQ(constrained, (std::vector<std::string>{"Post", "Video"}));
    EXPECT_EQ(cs[0].commentable.get<Post>()->image->url, "p.jpg");
    EXPECT_TRUE(cs[2].commentable.isLoaded());
    EXPECT_FALSE(cs[2].commentable);  // the video did not pass the callback's where
    // load / loadOnce
    Comment one = Comment::findOrFail(cs[2].id);
    one.load(&Comment::commentable);
    EXPECT_EQ(one.commentable.get<Video>()->id, videos[1].id);
    QueryCounter counter(*db);
    one.loadOnce(&Comment::commentable);
    EXPECT_EQ(counter.count, 0);
}

TEST_P(PolymorphicTest, UnknownTypeIsAClearError) {
    db->table("comments").insert({{"body", "x"}, {"commentable_type", "Photo"}, {"commentable_id", 1}});
    try {
        Comment::query().preload(&Comment::commentable).all();
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "E_UNKNOWN_MORPH_TYPE");
        EXPECT_NE(std::string(e.what()).find("\"Photo\""), std::string::npos) << e.what();
    }
}

TEST_P(PolymorphicTest, AssociateAndDissociate) {
    Comment c = Comment::create({.body = "c"});
    c.related(&Comment::commentable).associate(videos[1]);
    EXPECT_EQ(c.commentableType, "video");
    EXPECT_EQ(c.commentableId, videos[1].id);
    EXPECT_TRUE(c.commentable.is<Video>());
    auto fresh = Comment::findOrFail(c.id);
    EXPECT_EQ(fresh.commentableType, "video");
    Post p{.title = "new"};
    c.related(&Comment::commentable).associate(p);  // saves the new post first
    EXPECT_TRUE(p.isPersisted());
    EXPECT_EQ(Comment::findOrFail(c.id).commentableId, p.id);
    EXPECT_EQ(Comment::findOrFail(c.id).commentableType, "Post");
    c.related(&Comment::commentable).dissociate();
    EXPECT_TRUE(c.commentable.isLoaded());
    EXPECT_FALSE(c.commentable);
    auto row = db->from("comments").where("id", c.id).first();
    EXPECT_TRUE((*row)["commentable_type"].isNull());
    EXPECT_TRUE((*row)["commentable_id"].isNull());
}

TEST_P(PolymorphicTest, FailedPersistenceRollsBack) {
    // associate: the new video is saved, then the comment's save fails: neither stays
    Comment c = Comment::create({.body = "ok"});
    c.body = "fail";
    Video v{.title = "unsaved"};
    EXPECT_THROW(c.related(&Comment::commentable).associate(v), std::runtime_error);
    EXPECT_FALSE(v.isPersisted());
    EXPECT_FALSE(c.commentableType.has_value());
    EXPECT_EQ(db->from("videos").where("title", "unsaved").count(), 0);
    EXPECT_TRUE((*db->from("comments").where("id", c.id).first())["commentable_type"].isNull());
    // createMany: the second row breaks the unique body
    EXPECT_THROW(posts[0].related(&Post::comments).createMany({{.body = "same"}, {.body = "same"}}), QueryError);
    EXPECT_EQ(db->from("comments").where("body", "same").count(), 0);
    // sync: the detach is undone when the insert fails
    posts[0].related(&Post::tags).attach({tags[0].id, tags[1].id});
    EXPECT_THROW(posts[0].related(&Post::tags).sync({{tags[2].id, {{"no_such_column", 1}}}}), QueryError);
    EXPECT_EQ(db->from("taggables").count(), 2);
}

TEST_P(PolymorphicTest, MorphToManyAttachDetachSync) {
    posts[0].related(&Post::tags).attach({{tags[0].id, {{"note", "first"}}}, {tags[1].id, {}}});
    videos[0].related(&Video::tags).attach({tags[0].id, tags[1].id});  // same ids, other type
    auto row = db->from("taggables").where("taggable_type", "Post").where("tag_id", tags[0].id).first();
    ASSERT_TRUE(row);
    EXPECT_EQ(row->get<std::string>("note"), "first");
    EXPECT_EQ(row->get<int64_t>("taggable_id"), posts[0].id);
    posts[0].related(&Post::tags).detach({tags[0].id});
    EXPECT_EQ(db->from("taggables").where("taggable_type", "video").count(), 2);  // the video's untouched
    posts[0].related(&Post::tags).sync({{tags[1].id, {{"note", "kept"}}}, {tags[3].id, {}}});
    EXPECT_EQ(db->from("taggables").where("taggable_type", "Post").count(), 2);
    EXPECT_EQ(db->from("taggables").where("taggable_type", "Post").where("tag_id", tags[1].id).first()->get<std::string>("note"), "kept");
    posts[0].related(&Post::tags).detach();
    EXPECT_EQ(db->from("taggables").where("taggable_type", "Post").count(), 0);
    EXPECT_EQ(db->from("taggables").where("taggable_type", "video").count(), 2);
    tags[3].related(&Tag::posts).attach({posts[1].id});  // from the inverse side
    auto p = Post::query().where(&Post::id, posts[1].id).preload(&Post::tags).first();
    ASSERT_EQ(p->tags.size(), 1u);
    EXPECT_EQ(p->tags[0].name, "d");
}

TEST_P(PolymorphicTest, ExistenceAndAggregates) {
    // post 1: two comments; post 2: none. video 2 (same id as post 2): three
    posts[0].related(&Post::comments).createMany({{.body = "a", .votes = 2}, {.body = "b", .votes = 3}});
    videos[1].related(&Video::comments).createMany({{.body = "c", .votes = 1}, {.body = "d"}, {.body = "e"}});
    posts[0].related(&Post::tags).attach({tags[0].id});
    videos[1].related(&Video::tags).attach({tags[0].id});
    auto has = Post::query().has(&Post::comments).all();
    ASSERT_EQ(has.size(), 1u);
    EXPECT_EQ(has[0].id, posts[0].id);
    EXPECT_EQ(Post::query().doesntHave(&Post::comments).count(), 1);
    EXPECT_EQ(Post::query().has(&Post::tags).count(), 1);
    EXPECT_EQ(Post::query().whereHas(&Post::comments, [](ModelQuery<Comment>& q) { q.where(&Comment::votes, 3); }).count(), 1);
    auto counted = Post::query().orderBy(&Post::id).withCount(&Post::comments).withCount(&Post::tags)
                       .withAggregate(&Post::comments, sum(&Comment::votes).as("votes")).all();
    EXPECT_EQ(counted[0].extra("comments_count").as<int64_t>(), 2);
    EXPECT_EQ(counted[1].extra("comments_count").as<int64_t>(), 0);
    EXPECT_EQ(counted[1].extra("tags_count").as<int64_t>(), 0);
    EXPECT_EQ(counted[0].extra("votes").as<int64_t>(), 5);
    auto tagged = Tag::query().withCount(&Tag::videos).withCount(&Tag::posts).where(&Tag::id, tags[0].id).all();
    EXPECT_EQ(tagged[0].extra("videos_count").as<int64_t>(), 1);
    EXPECT_EQ(tagged[0].extra("posts_count").as<int64_t>(), 1);
    Post p = posts[1];
    p.loadCount(&Post::comments);
    EXPECT_EQ(p.extra("comments_count").as<int64_t>(), 0);
}

TEST_P(PolymorphicTest, RelatedQueriesHoldAgainstOrWhere) {
    videos[1].related(&Video::comments).create({.body = "video two"});
    posts[0].related(&Post::comments).create({.body = "post one"});
    // post 2 has no comments; video 2 (same id) has one: neither the type nor the id escapes
    auto none = posts[1].related(&Post::comments).query().where(&Comment::body, "x").orWhere(&Comment::body, "video two").all();
    EXPECT_TRUE(none.empty());
    EXPECT_EQ(posts[1].related(&Post::comments).query().where(&Comment::body, "x").orWhere(&Comment::votes, 0).count(), 0);
    videos[1].related(&Video::tags).attach({tags[0].id});
    EXPECT_EQ(posts[1].related(&Post::tags).query().where(&Tag::name, "x").orWhere(&Tag::name, "a").count(), 0);
    EXPECT_EQ(posts[1].related(&Post::comments).query().where(&Comment::body, "x").orWhere(&Comment::votes, 0).update({{"votes", 7}}), 0);
    EXPECT_EQ(db->from("comments").where("votes", 7).count(), 0);
}

TEST_P(PolymorphicTest, SerializesAsTheRelatedModel) {
    Comment c = videos[0].related(&Video::comments).create({.body = "s"});
    auto cs = Comment::query().preload(&Comment::commentable).all();
    nlohmann::json j = cs[0].serialize();
    EXPECT_EQ(j["commentable"]["title"], "V1");
    EXPECT_EQ(j["commentable"]["id"], videos[0].id);
    c.related(&Comment::commentable).dissociate();
    EXPECT_TRUE(c.serialize()["commentable"].is_null());
}

TEST_P(PolymorphicTest, CheckSchemaCoversTypeAndIdColumns) {
    EXPECT_TRUE((checkSchema<Comment, Post, Video, Tag, Image>(*db)).empty());
    dropTables({"images", "taggables"});
    db->schema().createTable("images", [](TableBuilder& t) {
        t.increments("id");
        t.string("url");
        t.integer("imageable_type");
        t.string("imageable_id");
    });
    db->schema().createTable("taggables", [](TableBuilder& t) {
        t.integer("tag_id");
        t.integer("taggable_id");
    });
    std::vector<std::string> messages;
    for (auto& p : checkSchema<Post>(*db)) messages.push_back(p.message);
    auto has = [&](const std::string& text) {
        for (const auto& m : messages)
            if (m.find(text) != std::string::npos) return true;
        return false;
    };
    EXPECT_TRUE(has("images.imageable_type is integer, but \"Post.image\" stores model names in it")) << ::testing::PrintToString(messages);
    EXPECT_TRUE(has("posts.id is integer, but images.imageable_id is text")) << ::testing::PrintToString(messages);
    EXPECT_TRUE(has("table \"taggables\" has no column \"taggable_type\" for \"Post.tags\"")) << ::testing::PrintToString(messages);
}

LUCID_DB_TEST_SUITE(PolymorphicTest);
