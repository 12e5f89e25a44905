#include "support/blog_models.hpp"
#include "orm/relations/common/persist.hpp"
#include "support/db_test.hpp"

using namespace lucid;
using namespace blog;
using lucid_test::DbTest;
using lucid_test::QueryCounter;

class RelationshipTest : public DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        createTables(*db);
    }
    // n users, each with a profile and `postsEach` posts (every other one published)
    std::vector<User> seed(int n, int postsEach) {
        std::vector<User> users;
        for (int i = 0; i < n; ++i) {
            User u = User::create({.email = "u" + std::to_string(i) + "@x.com"});
            u.related(&User::profile).create({.avatarUrl = "a" + std::to_string(i) + ".jpg"});
            for (int k = 0; k < postsEach; ++k)
                u.related(&User::posts).create({.title = "p" + std::to_string(k), .points = k + 1, .isPublished = k % 2 == 0});
            users.push_back(u);
        }
        return users;
    }
};

TEST_P(RelationshipTest, DefaultKeysFollowLucid) {
    auto& r = Profile::meta().relation("user");
    EXPECT_EQ(r.ownerKey->property, "userId");
    EXPECT_EQ(r.relatedKey->property, "id");
    auto& h = User::meta().relation("profile");
    EXPECT_EQ(h.ownerKey->property, "id");
    EXPECT_EQ(h.relatedKey->property, "userId");
    EXPECT_THROW(Profile::query().preload("nope"), UndefinedRelationship);
}

TEST_P(RelationshipTest, PreloadBelongsToIsOneQueryAndSharesInstances) {
    auto users = seed(3, 0);
    Profile orphan = Profile::create({.avatarUrl = "none.jpg"});
    Profile second = Profile::create({.userId = users[0].id, .avatarUrl = "second.jpg"});
    QueryCounter counter(*db);
    auto profiles = Profile::query().orderBy(&Profile::id).preload(&Profile::user).all();
    EXPECT_EQ(counter.count, 2);
    ASSERT_EQ(profiles.size(), 5u);
    EXPECT_EQ(profiles[0].user->email, "u0@x.com");
    EXPECT_TRUE(profiles[3].user.isLoaded());
    EXPECT_EQ(profiles[3].user.get(), nullptr);  // null key: loaded as null
    EXPECT_EQ(profiles[0].user.get(), profiles[4].user.get());  // same key, same instance
    EXPECT_THROW(profiles[3].user.value(), RelationNotLoaded);
}

TEST_P(RelationshipTest, NoQueryWithoutParentsOrKeys) {
    Profile::create({.avatarUrl = "x"});
    QueryCounter counter(*db);
    auto none = Profile::query().where(&Profile::id, -1).preload(&Profile::user).all();
    EXPECT_EQ(counter.count, 1);
    auto nullKeys = Profile::query().preload(&Profile::user).all();
    EXPECT_EQ(counter.count, 2);  // the profiles only: no non-null key to look up
    ASSERT_EQ(nullKeys.size(), 1u);
    EXPECT_TRUE(nullKeys[0].user.isLoaded());
}

TEST_P(RelationshipTest, PreloadHasOneHasManyNestedAndConstrained) {
    seed(4, 3);
    User::create({.email = "lonely@x.com"});
    QueryCounter counter(*db);
    auto users = User::query().orderBy(&User::id)
                     .preload(&User::profile)
                     .preload(&User::posts, [](ModelQuery<Post>& q) { q.where(&Post::points, ">=", 2).orderBy(&Post::id).preload(&Post::author); })
                     .preload(&User::publishedPosts)
                     .all();
    EXPECT_EQ(counter.count, 5);  // users, profiles, posts, posts' authors, published posts
    ASSERT_EQ(users.size(), 5u);
    EXPECT_EQ(users[0].profile->avatarUrl, "a0.jpg");
    ASSERT_EQ(users[0].posts.size(), 2u);  // points 2 and 3
    EXPECT_EQ(users[0].posts[0].title, "p1");
    EXPECT_EQ(users[0].posts[0].author->id, users[0].id);
    EXPECT_EQ(users[0].publishedPosts.size(), 2u);  // onQuery: published only (p0, p2)
    EXPECT_TRUE(users[4].posts.isLoaded());
    EXPECT_TRUE(users[4].posts.empty());
    EXPECT_EQ(users[4].profile.get(), nullptr);
    int total = 0;
    for (Post& p : users[1].posts) total += p.points;
    EXPECT_EQ(total, 5);
}

TEST_P(RelationshipTest, ConstraintCallbackThatPicksColumnsStillMatches) {
    seed(2, 2);
    auto users = User::query().preload(&User::posts, [](ModelQuery<Post>& q) { q.select(&Post::id, &Post::title); }).all();
    ASSERT_EQ(users.size(), 2u);
    EXPECT_EQ(users[0].posts.size(), 2u);
    auto profiles = Profile::query().preload(&Profile::user, [](ModelQuery<User>& q) { q.select(&User::email); }).all();
    ASSERT_NE(profiles[0].user.get(), nullptr);
}

TEST_P(RelationshipTest, PreloadOverSeventyThousandParents) {
    const int n = 70000;
    std::vector<Attributes> rows;
    rows.reserve(n);
    int64_t uid = db->table("users").insert({{"email", "owner@x.com"}});
    for (int i = 0; i < n; ++i) rows.push_back({{"user_id", i % 2 ? Value(uid) : Value(int64_t{1000000} + i)}, {"avatar_url", "x"}});
    db->table("profiles").insertMany(rows);
    std::vector<Attributes> posts;
    for (int i = 0; i < n; ++i) posts.push_back({{"user_id", uid}, {"title", "t"}});
    db->table("posts").insertMany(posts);
    QueryCounter counter(*db);
    auto profiles = Profile::query().preload(&Profile::user).all();
    EXPECT_EQ(counter.count, 2);
    ASSERT_EQ(profiles.size(), static_cast<std::size_t>(n));
    std::size_t loaded = 0;
    for (auto& p : profiles) loaded += p.user.get() != nullptr;
    EXPECT_EQ(loaded, static_cast<std::size_t>(n / 2));
    // 70,000 distinct parents on the hasMany side too
    for (int i = 0; i < n; ++i) rows[i] = {{"email", "e"}};
    db->table("users").insertMany(rows);
    QueryCounter counter2(*db);
    auto users = User::query().preload(&User::posts).all();
    EXPECT_EQ(counter2.count, 2);
    EXPECT_EQ(users.size(), static_cast<std::size_t>(n + 1));
}

TEST_P(RelationshipTest, LoadLoadOnceAndLoadCount) {
    auto users = seed(1, 3);
    User u = User::findOrFail(users[0].id);
    EXPECT_FALSE(u.posts.isLoaded());
    EXPECT_THROW(u.posts.value(), RelationNotLoaded);
    u.load(&User::posts);
    EXPECT_EQ(u.posts.size(), 3u);
    QueryCounter counter(*db);
    u.loadOnce(&User::posts);
    EXPECT_EQ(counter.count, 0);
    u.load(&User::posts, [](ModelQuery<Post>& q) { q.where(&Post::isPublished, true); });
    EXPECT_EQ(u.posts.size(), 2u);
    u.loadCount(&User::posts);
    ASSERT_EQ(u.extras().size(), 1u);
    EXPECT_EQ(u.extras()[0].first, "posts_count");
    EXPECT_EQ(u.extras()[0].second.as<int64_t>(), 3);
    User local;
    EXPECT_THROW(local.load(&User::posts), Error);
    try {
        local.load(&User::posts);
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()), "Cannot lazy load relationship for an unpersisted model instance");
    }
}

TEST_P(RelationshipTest, AssociateAndDissociate) {
    User user = User::create({.email = "a@x.com"});
    Profile profile;
    profile.avatarUrl = "a.jpg";
    QueryCounter counter(*db);
    profile.related(&Profile::user).associate(user);
    EXPECT_TRUE(profile.isPersisted());
    EXPECT_EQ(profile.userId, std::optional<int64_t>(user.id));
    EXPECT_EQ(profile.user->email, "a@x.com");
    EXPECT_TRUE(counter.sqls.front().starts_with("begin")) << counter.sqls.front();  // "begin immediate" on SQLite
    EXPECT_EQ(counter.sqls.back(), "commit");
    profile.related(&Profile::user).dissociate();
    EXPECT_FALSE(profile.userId);
    EXPECT_TRUE(profile.user.isLoaded());
    EXPECT_EQ(profile.user.get(), nullptr);
    EXPECT_TRUE(db->from("profiles").where("id", profile.id).first()->operator[]("user_id").isNull());
}

TEST_P(RelationshipTest, AssociateFailureLeavesNothing) {
    User fresh;
    fresh.email = "new@x.com";
    Profile profile;
    profile.avatarUrl = "a.jpg";
    // the second write (the profile's INSERT) fails after the user was inserted
    if (isPostgres()) {
        db->rawQuery("create or replace function fail_profile() returns trigger as $$ begin raise exception 'no profiles'; end $$ language plpgsql");
        db->rawQuery("create trigger fail_profile before insert on profiles for each row execute function fail_profile()");
    } else {
        db->rawQuery("create trigger fail_profile before insert on profiles begin select raise(abort, 'no profiles'); end");
    }
    EXPECT_THROW(profile.related(&Profile::user).associate(fresh), QueryError);
    EXPECT_EQ(db->from("users").count(), 0);  // the user saved first was rolled back too
    EXPECT_FALSE(fresh.isPersisted());
    EXPECT_EQ(fresh.id, 0);
    EXPECT_FALSE(profile.isPersisted());
    EXPECT_FALSE(profile.userId);
    EXPECT_FALSE(profile.user.isLoaded());
}

TEST_P(RelationshipTest, HasManyPersistenceFailureLeavesNothing) {
    db->schema().dropTable("posts");
    db->schema().createTable("posts", [](TableBuilder& t) {
        t.increments("id");
        t.integer("user_id").nullable();
        t.string("title").notNullable();
        t.text("body").notNullable();
        t.integer("points").defaultTo(0);
        t.boolean("is_published").defaultTo(false);
    });
    User user;
    user.email = "u@x.com";
    std::vector<Post> posts(2);
    posts[0].title = "ok";
    posts[0].body = "fine";
    posts[1].title = "bad";  // body stays null: NOT NULL violation on the third write
    EXPECT_THROW(user.related(&User::posts).saveMany(posts), QueryError);
    EXPECT_EQ(db->from("users").count(), 0);
    EXPECT_EQ(db->from("posts").count(), 0);
    EXPECT_FALSE(user.isPersisted());
    EXPECT_FALSE(posts[0].isPersisted());
    EXPECT_EQ(posts[0].id, 0);
    EXPECT_FALSE(posts[0].userId);

    // hasOne save: the parent is written, then the related row fails
    Profile bad;
    db->schema().alterTable("profiles", [](TableBuilder& t) { t.string("nick").nullable(); });
    if (isPostgres()) db->rawQuery("alter table profiles alter column nick set not null");
    else {
        db->schema().dropTable("profiles");
        db->schema().createTable("profiles", [](TableBuilder& t) {
            t.increments("id");
            t.integer("user_id").nullable();
            t.string("avatar_url").notNullable();
            t.boolean("is_active").defaultTo(false);
            t.string("nick").notNullable();
        });
    }
    EXPECT_THROW(user.related(&User::profile).save(bad), QueryError);
    EXPECT_EQ(db->from("users").count(), 0);
    EXPECT_FALSE(user.isPersisted());
}

TEST_P(RelationshipTest, HasOneAndHasManyPersistence) {
    User user;
    user.email = "parent@x.com";
    Profile p;
    p.avatarUrl = "p.jpg";
    user.related(&User::profile).save(p);  // the parent is saved first
    EXPECT_TRUE(user.isPersisted());
    EXPECT_EQ(p.userId, std::optional<int64_t>(user.id));
    Profile c = user.related(&User::profile).create({.avatarUrl = "c.jpg"});
    EXPECT_EQ(c.userId, std::optional<int64_t>(user.id));

    auto created = user.related(&User::posts).createMany({{.title = "a"}, {.title = "b"}});
    ASSERT_EQ(created.size(), 2u);
    EXPECT_TRUE(created[1].isPersisted());
    Post f1 = user.related(&User::posts).firstOrCreate({{"title", "a"}}, {{"body", "y"}});
    EXPECT_EQ(f1.id, created[0].id);
    Post f2 = user.related(&User::posts).firstOrCreate({{"title", "x"}}, {{"body", "y"}});
    EXPECT_EQ(f2.body, "y");
    EXPECT_EQ(f2.userId, std::optional<int64_t>(user.id));
    Post u1 = user.related(&User::posts).updateOrCreate({{"title", "x"}}, {{"body", "z"}});
    EXPECT_EQ(u1.id, f2.id);
    EXPECT_EQ(Post::findOrFail(f2.id).body, "z");

    auto fetched = user.related(&User::posts).fetchOrCreateMany({{.title = "a"}, {.title = "new"}}, {"title"});
    ASSERT_EQ(fetched.size(), 2u);
    EXPECT_EQ(fetched[0].id, created[0].id);
    EXPECT_TRUE(fetched[1].isPersisted());
    auto updated = user.related(&User::posts).updateOrCreateMany({{.title = "a", .body = "x"}, {.title = "c", .body = "c"}}, {"title"});
    EXPECT_EQ(updated[0].id, created[0].id);
    EXPECT_EQ(Post::findOrFail(created[0].id).body, "x");
    EXPECT_EQ(user.related(&User::posts).query().count(), 5);

    User noKey;
    noKey.email = "k";
    // a parent whose local key stays null cannot persist children
    auto& rel = User::meta().relation("posts");
    Post orphan;
    try {
        detail::copyKeyToRelated(rel, &noKey, &orphan);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()), "Cannot persist \"posts\", value of \"User.id\" is undefined");
    }
}

// Payload rows match existing rows on every key (loosely, through a hash of the keys): the last of equal
// existing rows wins, and payload rows that match none are each created.
TEST_P(RelationshipTest, ManyByKeysMatchesOnEveryKey) {
    User user = User::create({.email = "keys@example.com"});
    auto created = user.related(&User::posts).createMany({{.title = "a", .points = 1}, {.title = "a", .points = 2}, {.title = "b", .points = 1}});
    auto fetched = user.related(&User::posts)
                       .fetchOrCreateMany({{.title = "a", .points = 2}, {.title = "b", .points = 1}, {.title = "b", .points = 2},
                                           {.title = "b", .points = 2}},
                                          {"title", "points"});
    ASSERT_EQ(fetched.size(), 4u);
    EXPECT_EQ(fetched[0].id, created[1].id);
    EXPECT_EQ(fetched[1].id, created[2].id);
    EXPECT_TRUE(fetched[2].isPersisted());
    EXPECT_TRUE(fetched[3].isPersisted());
    EXPECT_NE(fetched[2].id, fetched[3].id);  // created rows are not matched again
    EXPECT_EQ(fetched[2].userId, std::optional<int64_t>(user.id));
    EXPECT_EQ(user.related(&User::posts).query().count(), 5);
    try {
        user.related(&User::posts).fetchOrCreateMany({{.title = "a"}}, {});
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "E_MISSING_PREDICATE");
    }
}

// wherePivot needs the scope of a manyToMany query; a hasMany query has none, and may paginate.
TEST_P(RelationshipTest, RelatedQueryScopes) {
    auto users = seed(1, 3);
    try {
        users[0].related(&User::posts).query().wherePivot("x", 1);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "E_NOT_A_PIVOT_QUERY");
    }
    auto page = users[0].related(&User::posts).query().paginate(1, 2);
    EXPECT_EQ(page.total(), 3);
}

TEST_P(RelationshipTest, RelatedQueryIsScoped) {
    auto users = seed(2, 3);
    User& u = users[1];
    EXPECT_EQ(u.related(&User::posts).query().count(), 3);
    EXPECT_EQ(u.related(&User::posts).query().where(&Post::isPublished, true).count(), 2);
    EXPECT_EQ(u.related(&User::publishedPosts).query().count(), 2);  // onQuery
    auto first = u.related(&User::posts).query().orderBy(&Post::id).first();
    EXPECT_EQ(first->userId, std::optional<int64_t>(u.id));
    EXPECT_EQ(u.related(&User::posts).query().update({{"body", "b"}}), 3);
    EXPECT_EQ(db->from("posts").whereNotNull("body").count(), 3);
    auto page = u.related(&User::posts).query().paginate(1, 2);
    EXPECT_EQ(page.total(), 3);
    Profile p = Profile::query().where(&Profile::userId, u.id).firstOrFail();
    EXPECT_EQ(p.related(&Profile::user).query().firstOrFail().id, u.id);
    try {
        p.related(&Profile::user).query().paginate(1);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()), "Cannot paginate a belongsTo relationship \"(user)\"");
    }
    EXPECT_THROW(u.related(&User::profile).query().paginate(1), Error);
    EXPECT_EQ(u.related(&User::posts).query().del(), 3);
    EXPECT_EQ(db->from("posts").count(), 3);
}

TEST_P(RelationshipTest, AParentWithoutKeyHasNoRelatedRows) {
    Profile::create({.avatarUrl = "orphan"});  // user_id null
    Profile noUser = Profile::create({.avatarUrl = "mine"});
    EXPECT_EQ(noUser.related(&Profile::user).query().count(), 0);
    User u = User::create({.email = "e"});
    db->from("users").where("id", u.id).update({{"uuid", nullptr}});
    EXPECT_EQ(db->from("profiles").count(), 2);
    EXPECT_EQ(noUser.related(&Profile::user).query().del(), 0);
    EXPECT_EQ(db->from("users").count(), 1);
}

TEST_P(RelationshipTest, HasWhereHasAndCounts) {
    auto users = seed(3, 0);
    users[0].related(&User::posts).createMany({{.title = "a", .isPublished = true}, {.title = "b"}, {.title = "c", .isPublished = true}});
    users[1].related(&User::posts).create({.title = "d"});
    EXPECT_EQ(User::query().has(&User::posts).count(), 2);
    EXPECT_EQ(User::query().has(&User::posts, ">=", 2).count(), 1);
    EXPECT_EQ(User::query().has("posts").count(), 2);
    EXPECT_EQ(User::query().doesntHave(&User::posts).count(), 1);
    EXPECT_EQ(User::query().where(&User::id, users[2].id).orHas(&User::posts, ">", 2).count(), 2);
    EXPECT_EQ(User::query().whereHas(&User::posts, [](auto& q) { q.where(&Post::isPublished, true); }).count(), 1);
    EXPECT_EQ(User::query().whereHas(&User::posts, [](auto& q) { q.where(&Post::isPublished, false); }, ">", 0).count(), 2);
    EXPECT_EQ(User::query().whereDoesntHave(&User::posts, [](auto& q) { q.where(&Post::isPublished, true); }).count(), 2);
    EXPECT_EQ(User::query().has(&User::publishedPosts).count(), 1);  // onQuery applies inside has()
    EXPECT_EQ(Profile::query().whereHas(&Profile::user, [](auto& q) { q.where(&User::email, "u1@x.com"); }).count(), 1);

    auto counted = User::query().withCount(&User::posts).orderBy(&User::id).all();
    ASSERT_EQ(counted.size(), 3u);
    ASSERT_EQ(counted[0].extras().size(), 1u);
    EXPECT_EQ(counted[0].extras()[0].first, "posts_count");
    EXPECT_EQ(counted[0].extras()[0].second.as<int64_t>(), 3);
    EXPECT_EQ(counted[2].extras()[0].second.as<int64_t>(), 0);
    auto aliased = User::query().withCount(&User::posts, [](ModelQuery<Post>& q) { q.where(&Post::isPublished, true).as("livePosts"); })
                       .orderBy(&User::id).first();
    EXPECT_EQ(aliased->extras()[0].first, "livePosts");
    EXPECT_EQ(aliased->extras()[0].second.as<int64_t>(), 2);
    auto agg = User::query().withAggregate(&User::posts, lucid::sum(&Post::points).as("totalPoints")).orderBy(&User::id).first();
    EXPECT_EQ(agg->extras()[0].first, "totalPoints");
    EXPECT_EQ(agg->extras()[0].second.as<int64_t>(), 0);
    users[0].related(&User::posts).create({.title = "e", .points = 7});
    auto best = User::query().withAggregate(&User::posts, lucid::max(&Post::points).as("best"), [](auto& q) { q.where(&Post::title, "e"); })
                    .orderBy(&User::id).first();
    EXPECT_EQ(best->extras()[0].second.as<int64_t>(), 7);
}

TEST_P(RelationshipTest, SerializationNestsLoadedRelations) {
    seed(1, 2);
    User lonely = User::create({.email = "lonely"});
    auto users = User::query().orderBy(&User::id).preload(&User::profile).preload(&User::posts).preload(&User::publishedPosts).all();
    auto j = users[0].serialize();
    EXPECT_EQ(j["profile"]["avatarUrl"], "a0.jpg");
    ASSERT_TRUE(j["posts"].is_array());
    EXPECT_EQ(j["posts"].size(), 2u);
    EXPECT_EQ(j["published"].size(), 1u);  // serializeAs
    EXPECT_FALSE(j.contains("publishedPosts"));
    auto k = users[1].serialize();
    EXPECT_TRUE(k["profile"].is_null());
    EXPECT_TRUE(k["posts"].empty());
    auto plain = User::findOrFail(lonely.id).serialize();
    EXPECT_FALSE(plain.contains("profile"));  // not loaded: absent
    EXPECT_FALSE(plain.contains("posts"));
}

TEST_P(RelationshipTest, HoldersSetResetAndShare) {
    User u = User::create({.email = "s"});
    Profile p;
    EXPECT_FALSE(p.user.isLoaded());
    p.user.set(u);
    EXPECT_TRUE(p.user.isLoaded());
    EXPECT_EQ(p.user->email, "s");
    Profile copy = p;
    EXPECT_EQ(copy.user.get(), p.user.get());  // copies share the related instance
    p.user.reset();
    EXPECT_FALSE(p.user.isLoaded());
    EXPECT_EQ(p.user.get(), nullptr);
}

TEST_P(RelationshipTest, TransactionReachesEveryPreload) {
    seed(2, 1);
    db->transaction([&](Transaction& trx) {
        int outside = 0, inside = 0;
        auto sub = db->onQuery([&](const QueryEvent& e) { (e.inTransaction ? inside : outside)++; });
        auto users = User::query(trx).preload(&User::posts, [](ModelQuery<Post>& q) { q.preload(&Post::author); }).preload(&User::profile).all();
        EXPECT_EQ(outside, 0);
        EXPECT_EQ(inside, 4);
        // and models fetched in it persist through it
        Profile p;
        p.avatarUrl = "t";
        p.useTransaction(trx);
        p.related(&Profile::user).associate(users[0]);
    });
    EXPECT_EQ(db->from("profiles").count(), 3);
}

TEST_P(RelationshipTest, CheckSchemaReportsProblems) {
    EXPECT_TRUE((checkSchema<User, Profile, Post>(*db)).empty());
    db->schema().dropTable("profiles");
    db->schema().createTable("profiles", [](TableBuilder& t) {
        t.increments("id");
        t.string("user_id").nullable();
        t.boolean("is_active");
    });
    auto problems = checkSchema<Profile>(*db);
    ASSERT_EQ(problems.size(), 2u);
    EXPECT_EQ(problems[0].message, "table \"profiles\" has no column \"avatar_url\" for \"Profile.avatarUrl\"");
    EXPECT_EQ(problems[1].message, "profiles.user_id is text, but users.id is integer: \"Profile.user\" needs both of one type");
}

namespace geo {
struct City;
struct Country : BaseModel<Country> {
    int64_t id = 0;
    std::string code;
    lucid::HasMany<City> cities;
    static void define(ModelDefinition<Country>& m);
};
struct City : BaseModel<City> {
    int64_t id = 0;
    std::string name;
    std::optional<std::string> countryCode;
    lucid::BelongsTo<Country> country;
    static void define(ModelDefinition<City>& m) {
        m.column(&City::id, "id", {.isPrimary = true});
        m.column(&City::name, "name");
        m.column(&City::countryCode, "countryCode");
        m.belongsTo(&City::country, "country", {.localKey = "code", .foreignKey = "countryCode"});
    }
};
inline void Country::define(ModelDefinition<Country>& m) {
    m.column(&Country::id, "id", {.isPrimary = true});
    m.column(&Country::code, "code");
    m.hasMany(&Country::cities, "cities", {.localKey = "code", .foreignKey = "countryCode"});
}
}  // namespace geo

// Keys that are not integers match as values (text here), both ways, with a null key matching nothing.
TEST_P(RelationshipTest, PreloadMatchesTextKeys) {
    dropTables({"cities", "countries"});
    db->schema().createTable("countries", [](TableBuilder& t) {
        t.increments("id");
        t.string("code").notNullable();
    });
    db->schema().createTable("cities", [](TableBuilder& t) {
        t.increments("id");
        t.string("name").notNullable();
        t.string("country_code").nullable();
    });
    geo::Country::createMany({{.code = "FR"}, {.code = "JP"}, {.code = "1"}});
    geo::City::createMany({{.name = "Paris", .countryCode = "FR"}, {.name = "Osaka", .countryCode = "JP"},
                           {.name = "Lyon", .countryCode = "FR"}, {.name = "Nowhere"}, {.name = "Atlantis", .countryCode = "AT"},
                           {.name = "One", .countryCode = "1"}});
    QueryCounter counter(*db);
    auto cities = geo::City::query().orderBy(&geo::City::id).preload(&geo::City::country).all();
    EXPECT_EQ(counter.count, 2);
    ASSERT_EQ(cities.size(), 6u);
    EXPECT_EQ(cities[0].country->code, "FR");
    EXPECT_EQ(cities[1].country->code, "JP");
    EXPECT_EQ(cities[0].country.get(), cities[2].country.get());  // same key, same instance
    EXPECT_EQ(cities[3].country.get(), nullptr);                  // null key
    EXPECT_EQ(cities[4].country.get(), nullptr);                  // no such country
    EXPECT_EQ(cities[5].country->code, "1");
    auto countries = geo::Country::query().orderBy(&geo::Country::id)
                         .preload(&geo::Country::cities, [](ModelQuery<geo::City>& q) { q.orderBy(&geo::City::id); })
                         .all();
    ASSERT_EQ(countries.size(), 3u);
    ASSERT_EQ(countries[0].cities.size(), 2u);
    EXPECT_EQ(countries[0].cities[0].name, "Paris");
    EXPECT_EQ(countries[0].cities[1].name, "Lyon");
    ASSERT_EQ(countries[1].cities.size(), 1u);
    EXPECT_EQ(countries[1].cities[0].name, "Osaka");
    ASSERT_EQ(countries[2].cities.size(), 1u);
    EXPECT_EQ(countries[2].cities[0].name, "One");
}

LUCID_DB_TEST_SUITE(RelationshipTest);

// ---- definition errors ----
namespace broken {
struct User : BaseModel<User> {
    int64_t id = 0;
    static void define(ModelDefinition<User>& m) { m.column(&User::id, "id", {.isPrimary = true}); }
};
struct Profile : BaseModel<Profile> {
    int64_t id = 0;
    lucid::BelongsTo<User> user;
    static void define(ModelDefinition<Profile>& m) {
        m.column(&Profile::id, "id", {.isPrimary = true});
        m.belongsTo(&Profile::user, "user");
    }
};
struct Card : BaseModel<Card> {
    int64_t id = 0;
    std::optional<int64_t> userId;
    lucid::BelongsTo<User> user;
    static void define(ModelDefinition<Card>& m) {
        m.column(&Card::id, "id", {.isPrimary = true});
        m.column(&Card::userId, "userId");
        m.belongsTo(&Card::user, "user", {.localKey = "uuid"});
    }
};
struct NoKey : BaseModel<NoKey> {
    int64_t id = 0;
    static void define(ModelDefinition<NoKey>& m) { m.column(&NoKey::id, "id"); }
};
struct Twice : BaseModel<Twice> {
    int64_t id = 0, other = 0;
    static void define(ModelDefinition<Twice>& m) {
        m.column(&Twice::id, "id", {.isPrimary = true});
        m.column(&Twice::other, "id");
    }
};
}  // namespace broken

TEST(RelationDefinitions, MissingKeysUseLucidsWords) {
    for (int attempt = 0; attempt < 2; ++attempt) {  // and again on every later use
        try {
            broken::Profile::query();
            FAIL();
        } catch (const DefinitionError& e) {
            EXPECT_EQ(std::string(e.what()), "\"Profile.user\" expects \"userId\" to exist on \"Profile\" model, but is missing");
            EXPECT_EQ(e.code(), "E_MISSING_MODEL_ATTRIBUTE");
        }
    }
    try {
        broken::Card::query();
        FAIL();
    } catch (const DefinitionError& e) {
        EXPECT_EQ(std::string(e.what()), "\"Card.user\" expects \"uuid\" to exist on \"User\" model, but is missing");
    }
    EXPECT_THROW(broken::NoKey::query(), DefinitionError);
    EXPECT_THROW(broken::Twice::query(), DefinitionError);
}

// A user's orWhere on a relation's query never escapes the relation's own constraint (a data leak across
// parents, or tenants): related(), onQuery, whereHas and withCount callbacks, preload callbacks, writes.
TEST_P(RelationshipTest, RelationConstraintsHoldAgainstOrWhere) {
    auto users = seed(2, 3);  // posts p0 (1 point, published), p1 (2), p2 (3, published) each
    User lonely = User::create({.email = "lonely@x.com"});
    auto mine = users[0].related(&User::posts).query().where(&Post::title, "p0").orWhere(&Post::title, "p1").all();
    ASSERT_EQ(mine.size(), 2u);
    for (const auto& p : mine) EXPECT_EQ(p.userId, users[0].id);
    EXPECT_EQ(users[0].related(&User::posts).query().where(&Post::title, "p0").orWhere(&Post::title, "p1").count(), 2);
    // onQuery (published only) and the parent's key both hold
    EXPECT_TRUE(users[0].related(&User::publishedPosts).query().where(&Post::title, "zzz").orWhere(&Post::points, 2).all().empty());
    // belongsTo
    Post first = *Post::query().where(&Post::userId, users[0].id).first();
    EXPECT_FALSE(first.related(&Post::author).query().where(&User::email, "none").orWhere(&User::email, "u1@x.com").first());
    // whereHas / withCount callbacks: the lonely user has no posts at all
    auto either = [](ModelQuery<Post>& q) { q.where(&Post::title, "p0").orWhere(&Post::title, "p1"); };
    EXPECT_EQ(User::query().whereHas(&User::posts, either).count(), 2);
    auto counted = User::query().withCount(&User::posts, either).orderBy(&User::id).all();
    ASSERT_EQ(counted.size(), 3u);
    EXPECT_EQ(counted[0].extras()[0].second.as<int64_t>(), 2);
    EXPECT_EQ(counted[2].extras()[0].second.as<int64_t>(), 0);
    // preload callback: the lonely user's posts query fetches no row, so its nested preload runs no query
    QueryCounter counter(*db);
    auto loaded = User::query().where(&User::id, lonely.id).preload(&User::posts, [&](ModelQuery<Post>& q) {
        either(q);
        q.preload(&Post::author);
    }).all();
    EXPECT_EQ(counter.count, 2);
    EXPECT_TRUE(loaded[0].posts.empty());
    // writes through a related query: only the parent's rows
    EXPECT_EQ(users[0].related(&User::posts).query().where(&Post::title, "p0").orWhere(&Post::title, "p1").update({{"points", 100}}), 2);
    EXPECT_EQ(db->rawQuery("select id from posts where points = ? and user_id = ?", {100, users[0].id}).size(), 2u);
    EXPECT_EQ(db->rawQuery("select id from posts where points = ?", {100}).size(), 2u);
    EXPECT_EQ(users[0].related(&User::posts).query().where(&Post::title, "p0").orWhere(&Post::title, "p2").del(), 2);
    EXPECT_EQ(db->from("posts").count(), 4);
}

// API.md §12: an aggregate's alias orders the query.
TEST_P(RelationshipTest, OrderByAnAggregateAlias) {
    auto users = seed(3, 0);
    users[1].related(&User::posts).createMany({{.title = "a", .points = 5}, {.title = "b", .points = 5}});
    users[2].related(&User::posts).create({.title = "c", .points = 1});
    auto ordered = User::query().withCount(&User::posts).orderBy("posts_count", Desc).all();
    ASSERT_EQ(ordered.size(), 3u);
    EXPECT_EQ(ordered[0].id, users[1].id);
    EXPECT_EQ(ordered[1].id, users[2].id);
    EXPECT_EQ(ordered[2].id, users[0].id);
    auto bySum = User::query().withAggregate(&User::posts, lucid::sum(&Post::points).as("points")).has(&User::posts)
                     .orderBy("points", Asc).first();
    EXPECT_EQ(bySum->id, users[2].id);
    EXPECT_THROW(User::query().orderBy("nope_count"), Error);  // not an alias of this query: still refused
}
