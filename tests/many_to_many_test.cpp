#include "support/db_test.hpp"

using namespace lucid;
using lucid_test::DbTest;
using lucid_test::QueryCounter;

namespace m2m {

struct Skill;
struct Post;

struct User : BaseModel<User> {
    int64_t id = 0;
    std::string email;
    std::optional<int64_t> countryId;
    ManyToMany<Skill> skills;
    ManyToMany<Skill> ratedSkills;
    HasMany<Post> posts;

    static void define(ModelDefinition<User>& m);
};

struct Skill : BaseModel<Skill> {
    int64_t id = 0;
    std::string name;
    ManyToMany<User> users;
    static void define(ModelDefinition<Skill>& m) {
        m.column(&Skill::id, "id", {.isPrimary = true});
        m.column(&Skill::name, "name");
        m.manyToMany(&Skill::users, "users");
    }
};

struct Post : BaseModel<Post> {
    int64_t id = 0;
    std::optional<int64_t> userId;
    std::string title;
    bool isPublished = false;
    static void define(ModelDefinition<Post>& m) {
        m.column(&Post::id, "id", {.isPrimary = true});
        m.column(&Post::userId, "userId");
        m.column(&Post::title, "title");
        m.column(&Post::isPublished, "isPublished");
    }
};

struct Country : BaseModel<Country> {
    int64_t id = 0;
    std::string name;
    HasManyThrough<Post, User> posts;
    static void define(ModelDefinition<Country>& m) {
        m.column(&Country::id, "id", {.isPrimary = true});
        m.column(&Country::name, "name");
        m.hasManyThrough(&Country::posts, "posts");
    }
};

inline void User::define(ModelDefinition<User>& m) {
    m.column(&User::id, "id", {.isPrimary = true});
    m.column(&User::email, "email");
    m.column(&User::countryId, "countryId");
    m.manyToMany(&User::skills, "skills");
    m.manyToMany(&User::ratedSkills, "ratedSkills",
                 {.pivotTable = "user_skills", .pivotColumns = {"proficiency"}, .pivotTimestamps = true});
    m.hasMany(&User::posts, "posts");
}

}  // namespace m2m
using namespace m2m;

class ManyToManyTest : public DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"skill_user", "user_skills", "posts", "skills", "users", "countries"});
        auto s = db->schema();
        s.createTable("countries", [](TableBuilder& t) {
            t.increments("id");
            t.string("name");
        });
        s.createTable("users", [](TableBuilder& t) {
            t.increments("id");
            t.string("email");
            t.integer("country_id").nullable();
        });
        s.createTable("skills", [](TableBuilder& t) {
            t.increments("id");
            t.string("name");
        });
        s.createTable("skill_user", [](TableBuilder& t) {
            t.increments("id");
            t.integer("user_id").notNullable();
            t.integer("skill_id").notNullable();
            t.unique({"user_id", "skill_id"});
        });
        s.createTable("user_skills", [](TableBuilder& t) {
            t.integer("user_id").notNullable();
            t.integer("skill_id").notNullable();
            t.string("proficiency").nullable();
            t.timestamps();
        });
        s.createTable("posts", [](TableBuilder& t) {
            t.increments("id");
            t.integer("user_id").nullable();
            t.string("title");
            t.boolean("is_published").defaultTo(false);
        });
        for (const char* n : {"C++", "SQL", "Go", "Rust"}) skills.push_back(Skill::create({.name = n}));
    }
    std::vector<Skill> skills;
    int64_t pivotRows(const char* table = "skill_user") { return db->from(table).count(); }
};

TEST_P(ManyToManyTest, DefaultsFollowLucid) {
    EXPECT_EQ(NamingStrategy{}.relationPivotTable("User", "Skill"), "skill_user");
    User u = User::create({.email = "a"});
    u.related(&User::skills).attach({skills[0].id});
    auto row = db->from("skill_user").first();
    ASSERT_TRUE(row);
    EXPECT_EQ(row->get<int64_t>("user_id"), u.id);
    EXPECT_EQ(row->get<int64_t>("skill_id"), skills[0].id);
}

TEST_P(ManyToManyTest, AttachDetachSync) {
    User u = User::create({.email = "a"});
    QueryCounter counter(*db);
    u.related(&User::skills).attach({skills[0].id, skills[1].id, skills[2].id});
    EXPECT_EQ(counter.count, 3);  // begin, one multi-row INSERT, commit
    EXPECT_EQ(pivotRows(), 3);
    u.related(&User::skills).detach({skills[0].id});
    EXPECT_EQ(pivotRows(), 2);
    auto keptId = db->from("skill_user").where("skill_id", skills[1].id).first()->get<int64_t>("id");
    u.related(&User::skills).sync({skills[1].id, skills[3].id});
    EXPECT_EQ(pivotRows(), 2);
    EXPECT_EQ(db->from("skill_user").where("skill_id", skills[1].id).first()->get<int64_t>("id"), keptId);  // kept in place
    EXPECT_EQ(db->from("skill_user").where("skill_id", skills[3].id).count(), 1);
    u.related(&User::skills).sync({skills[0].id}, /*detach=*/false);
    EXPECT_EQ(pivotRows(), 3);
    u.related(&User::skills).detach();
    EXPECT_EQ(pivotRows(), 0);
    u.related(&User::skills).attach({skills[2].id});
    EXPECT_EQ(pivotRows(), 1);
}

TEST_P(ManyToManyTest, PivotAttributesAndTimestamps) {
    User u = User::create({.email = "a"});
    u.related(&User::ratedSkills).attach({{skills[0].id, {{"proficiency", "expert"}}}, {skills[1].id, {{"proficiency", "novice"}}}});
    auto loaded = User::query().preload(&User::ratedSkills, [](ModelQuery<Skill>& q) { q.orderBy(&Skill::id); }).firstOrFail();
    ASSERT_EQ(loaded.ratedSkills.size(), 2u);
    const Skill& s = loaded.ratedSkills[0];
    auto extra = [&](const Skill& sk, const std::string& k) {
        for (const auto& [name, v] : sk.extras())
            if (name == k) return v;
        return Value("<missing>");
    };
    EXPECT_EQ(extra(s, "pivot_proficiency").as<std::string>(), "expert");
    EXPECT_EQ(extra(s, "pivot_user_id").as<int64_t>(), u.id);
    EXPECT_EQ(extra(s, "pivot_skill_id").as<int64_t>(), skills[0].id);
    EXPECT_NO_THROW(extra(s, "pivot_created_at").as<DateTime>());
    EXPECT_NO_THROW(extra(s, "pivot_updated_at").as<DateTime>());
    // sync updates the changed attributes only
    u.related(&User::ratedSkills).sync({{skills[0].id, {{"proficiency", "master"}}}, {skills[1].id, {}}});
    EXPECT_EQ(db->from("user_skills").where("skill_id", skills[0].id).first()->get<std::string>("proficiency"), "master");
    EXPECT_EQ(db->from("user_skills").where("skill_id", skills[1].id).first()->get<std::string>("proficiency"), "novice");
    // wherePivot on the related query and in preload callbacks
    EXPECT_EQ(u.related(&User::ratedSkills).query().wherePivot("proficiency", "master").count(), 1);
    EXPECT_EQ(u.related(&User::ratedSkills).query().whereInPivot("proficiency", {"master", "novice"}).count(), 2);
    EXPECT_EQ(u.related(&User::ratedSkills).query().whereNotPivot("proficiency", "master").count(), 1);
    EXPECT_EQ(u.related(&User::ratedSkills).query().whereNullPivot("proficiency").count(), 0);
    EXPECT_EQ(u.related(&User::ratedSkills).query().wherePivot("proficiency", "master").orWherePivot("proficiency", "novice").count(), 2);
    EXPECT_THROW(User::query().wherePivot("x", 1), Error);
}

TEST_P(ManyToManyTest, PreloadIsOneQueryPerLevel) {
    std::vector<User> users;
    for (int i = 0; i < 6; ++i) users.push_back(User::create({.email = "u" + std::to_string(i)}));
    for (int i = 0; i < 5; ++i) users[i].related(&User::skills).attach({skills[i % 4].id, skills[(i + 1) % 4].id});
    QueryCounter counter(*db);
    auto loaded = User::query().orderBy(&User::id).preload(&User::skills, [](ModelQuery<Skill>& q) { q.preload(&Skill::users); }).all();
    EXPECT_EQ(counter.count, 3);
    ASSERT_EQ(loaded.size(), 6u);
    EXPECT_EQ(loaded[0].skills.size(), 2u);
    EXPECT_TRUE(loaded[5].skills.isLoaded());
    EXPECT_TRUE(loaded[5].skills.empty());
    EXPECT_EQ(loaded[0].skills[0].users.size() + loaded[0].skills[1].users.size(), 6u);  // skill 0: users 0,3,4; skill 1: users 0,1,4
    auto j = loaded[0].serialize();
    EXPECT_EQ(j["skills"].size(), 2u);
    // constraints
    auto cpp = User::query().orderBy(&User::id).preload(&User::skills, [&](ModelQuery<Skill>& q) { q.where(&Skill::name, "C++"); }).all();
    EXPECT_EQ(cpp[0].skills.size(), 1u);
    User one = User::findOrFail(users[1].id);
    one.load(&User::skills);
    EXPECT_EQ(one.skills.size(), 2u);
}

TEST_P(ManyToManyTest, SaveCreateAndRelatedQuery) {
    User u;
    u.email = "new";
    Skill s;
    s.name = "Zig";
    u.related(&User::skills).save(s);  // saves the parent, the skill and the pivot row
    EXPECT_TRUE(u.isPersisted());
    EXPECT_TRUE(s.isPersisted());
    u.related(&User::skills).save(s);  // already attached: no second pivot row
    EXPECT_EQ(pivotRows(), 1);
    Skill c = u.related(&User::ratedSkills).create({.name = "Haskell"}, {{"proficiency", "expert"}});
    EXPECT_EQ(db->from("user_skills").where("skill_id", c.id).first()->get<std::string>("proficiency"), "expert");
    auto many = u.related(&User::skills).createMany({{.name = "A"}, {.name = "B"}});
    EXPECT_EQ(many.size(), 2u);
    EXPECT_EQ(pivotRows(), 3);
    EXPECT_EQ(u.related(&User::skills).query().count(), 3);
    EXPECT_EQ(u.related(&User::skills).query().where(&Skill::name, "A").count(), 1);
    auto page = u.related(&User::skills).query().orderBy(&Skill::id).paginate(1, 2);
    EXPECT_EQ(page.total(), 3);
    EXPECT_EQ(page.items().size(), 2u);
    // update()/del() act on the pivot rows
    EXPECT_EQ(u.related(&User::skills).query().where(&Skill::name, "A").del(), 1);
    EXPECT_EQ(pivotRows(), 2);
    EXPECT_EQ(db->from("skills").where("name", "A").count(), 1);  // the skill itself stays
    EXPECT_EQ(u.related(&User::ratedSkills).query().update({{"proficiency", "rusty"}}), 1);
    EXPECT_EQ(db->from("user_skills").first()->get<std::string>("proficiency"), "rusty");
}

TEST_P(ManyToManyTest, HasWhereHasAndCountsThroughThePivot) {
    User a = User::create({.email = "a"}), b = User::create({.email = "b"});
    User::create({.email = "c"});
    a.related(&User::skills).attach({skills[0].id, skills[1].id});
    b.related(&User::skills).attach({skills[1].id});
    EXPECT_EQ(User::query().has(&User::skills).count(), 2);
    EXPECT_EQ(User::query().has(&User::skills, ">", 1).count(), 1);
    EXPECT_EQ(User::query().doesntHave(&User::skills).count(), 1);
    EXPECT_EQ(User::query().whereHas(&User::skills, [](auto& q) { q.where(&Skill::name, "C++"); }).count(), 1);
    auto counted = User::query().withCount(&User::skills).orderBy(&User::id).all();
    EXPECT_EQ(counted[0].extras()[0].second.as<int64_t>(), 2);
    EXPECT_EQ(counted[2].extras()[0].second.as<int64_t>(), 0);
    auto maxId = User::query().withAggregate(&User::skills, lucid::max(&Skill::id).as("topSkill")).orderBy(&User::id).first();
    EXPECT_EQ(maxId->extras()[0].second.as<int64_t>(), skills[1].id);
    EXPECT_EQ(Skill::query().whereHas(&Skill::users, [](auto& q) { q.where(&User::email, "b"); }).count(), 1);
}

TEST_P(ManyToManyTest, FailuresLeaveThePivotAsItWas) {
    User u = User::create({.email = "a"});
    u.related(&User::skills).attach({skills[0].id});
    // the unique (user_id, skill_id) index makes the second row of this attach fail
    EXPECT_THROW(u.related(&User::skills).attach({skills[1].id, skills[0].id}), QueryError);
    EXPECT_EQ(pivotRows(), 1);
    // sync: the detach happens, then the insert fails on a null id... use a NOT NULL column instead
    db->schema().alterTable("skill_user", [](TableBuilder& t) { t.string("note").nullable(); });
    EXPECT_THROW(u.related(&User::skills).sync({{skills[2].id, {{"no_such_column", 1}}}}), QueryError);
    EXPECT_EQ(pivotRows(), 1);
    EXPECT_EQ(db->from("skill_user").first()->get<int64_t>("skill_id"), skills[0].id);
    // createMany: the second related row fails, nothing remains
    db->schema().alterTable("skills", [](TableBuilder& t) { t.string("code").nullable().unique(); });
    std::vector<Skill> dup(2);
    dup[0].name = "X";
    dup[1].name = "X";
    db->rawQuery(isPostgres() ? "create unique index skills_name_unique on skills (name)" : "create unique index skills_name_unique on skills (name)");
    EXPECT_THROW(u.related(&User::skills).saveMany(dup), QueryError);
    EXPECT_EQ(db->from("skills").where("name", "X").count(), 0);
    EXPECT_EQ(pivotRows(), 1);
    EXPECT_FALSE(dup[0].isPersisted());
}

TEST_P(ManyToManyTest, HasManyThrough) {
    Country fr = Country::create({.name = "FR"}), de = Country::create({.name = "DE"});
    Country empty = Country::create({.name = "XX"});
    User a = User::create({.email = "a", .countryId = fr.id}), b = User::create({.email = "b", .countryId = fr.id});
    User c = User::create({.email = "c", .countryId = de.id});
    a.related(&User::posts).createMany({{.title = "a1", .isPublished = true}, {.title = "a2"}});
    b.related(&User::posts).create({.title = "b1"});
    c.related(&User::posts).create({.title = "c1", .isPublished = true});
    QueryCounter counter(*db);
    auto countries = Country::query().orderBy(&Country::id).preload(&Country::posts).all();
    EXPECT_EQ(counter.count, 2);
    ASSERT_EQ(countries.size(), 3u);
    EXPECT_EQ(countries[0].posts.size(), 3u);
    EXPECT_EQ(countries[1].posts.size(), 1u);
    EXPECT_TRUE(countries[2].posts.isLoaded());
    EXPECT_TRUE(countries[2].posts.empty());
    auto constrained = Country::query().orderBy(&Country::id).preload(&Country::posts, [](ModelQuery<Post>& q) { q.where(&Post::isPublished, true); }).all();
    EXPECT_EQ(constrained[0].posts.size(), 1u);
    EXPECT_EQ(fr.related(&Country::posts).query().count(), 3);
    EXPECT_EQ(fr.related(&Country::posts).query().where(&Post::title, "b1").count(), 1);
    EXPECT_EQ(fr.related(&Country::posts).query().orderBy(&Post::id).paginate(1, 2).items().size(), 2u);
    EXPECT_EQ(Country::query().has(&Country::posts).count(), 2);
    EXPECT_EQ(Country::query().whereHas(&Country::posts, [](auto& q) { q.where(&Post::isPublished, true); }, ">=", 1).count(), 2);
    auto counts = Country::query().withCount(&Country::posts).orderBy(&Country::id).all();
    EXPECT_EQ(counts[0].extras()[0].second.as<int64_t>(), 3);
    EXPECT_EQ(counts[2].extras()[0].second.as<int64_t>(), 0);
    (void)empty;
}

TEST_P(ManyToManyTest, SelectNarrowsTheRelatedQuery) {
    User u = User::create({.email = "a"});
    u.related(&User::skills).attach({skills[0].id});
    auto [sql, b] = u.related(&User::skills).query().select(&Skill::name).toSQL();
    EXPECT_EQ(sql.find("\"skills\".*"), std::string::npos) << sql;
    auto rows = u.related(&User::skills).query().select(&Skill::name).all();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].name, "C++");
    EXPECT_EQ(rows[0].id, 0);  // not selected
    EXPECT_EQ(rows[0].extra("pivot_user_id").as<int64_t>(), u.id);
}

LUCID_DB_TEST_SUITE(ManyToManyTest);

namespace m2m_broken {
struct Skill;
struct User : BaseModel<User> {
    int64_t id = 0;
    ManyToMany<Skill> skills;
    static void define(ModelDefinition<User>& m) {
        m.column(&User::id, "id", {.isPrimary = true});
        m.manyToMany(&User::skills, "skills", {.relatedKey = "code"});
    }
};
struct Skill : BaseModel<Skill> {
    int64_t id = 0;
    static void define(ModelDefinition<Skill>& m) { m.column(&Skill::id, "id", {.isPrimary = true}); }
};
}  // namespace m2m_broken

TEST(ManyToManyDefinitions, MissingKeysUseLucidsWords) {
    try {
        m2m_broken::User::query();
        FAIL();
    } catch (const DefinitionError& e) {
        EXPECT_EQ(std::string(e.what()), "\"User.skills\" expects \"code\" to exist on \"Skill\" model, but is missing");
    }
}

// An orWhere added to a related query stays inside the relation: the parent's key is ANDed with the
// user's bracketed conditions (Lucid's wrapExisting), on every path that adds a relation constraint.
TEST_P(ManyToManyTest, RelatedQueriesKeepTheirScopeUnderOrWhere) {
    User a = User::create({.email = "a"}), b = User::create({.email = "b"});
    a.related(&User::skills).attach({skills[0].id});
    b.related(&User::skills).attach({skills[1].id});
    auto mine = a.related(&User::skills).query().where(&Skill::name, "C++").orWhere(&Skill::name, "SQL").all();
    ASSERT_EQ(mine.size(), 1u);  // b's SQL skill is not a's
    EXPECT_EQ(mine[0].name, "C++");
    // update()/del() reach a's pivot rows only
    EXPECT_EQ(a.related(&User::skills).query().where(&Skill::name, "Go").orWhere(&Skill::name, "SQL").del(), 0);
    EXPECT_EQ(pivotRows(), 2);
    EXPECT_EQ(User::query().whereHas(&User::skills, [](auto& q) { q.where(&Skill::name, "Rust").orWhere(&Skill::name, "SQL"); }).count(), 1);
}

TEST_P(ManyToManyTest, HasManyThroughScopeAndWrites) {
    Country fr = Country::create({.name = "FR"}), de = Country::create({.name = "DE"});
    User a = User::create({.email = "a", .countryId = fr.id}), c = User::create({.email = "c", .countryId = de.id});
    a.related(&User::posts).createMany({{.title = "a1", .isPublished = true}, {.title = "a2"}});
    c.related(&User::posts).createMany({{.title = "c1", .isPublished = true}, {.title = "c2"}});
    auto mine = fr.related(&Country::posts).query().where(&Post::title, "a1").orWhere(&Post::title, "c1").all();
    ASSERT_EQ(mine.size(), 1u);
    EXPECT_EQ(mine[0].title, "a1");
    EXPECT_EQ(Country::query().whereHas(&Country::posts, [](auto& q) { q.where(&Post::title, "nope").orWhere(&Post::title, "c2"); }).count(), 1);
    // update()/del(): the related rows whose intermediate row belongs to the parent (Lucid supports them)
    EXPECT_EQ(fr.related(&Country::posts).query().where(&Post::isPublished, false).update({{"title", "changed"}}), 1);
    EXPECT_EQ(db->rawQuery("select title from posts where title = ?", {"changed"}).size(), 1u);
    EXPECT_EQ(db->rawQuery("select p.id from posts p join users u on u.id = p.user_id where p.title = ? and u.country_id = ?",
                           {"changed", fr.id}).size(), 1u);
    EXPECT_EQ(fr.related(&Country::posts).query().where(&Post::title, "changed").orWhere(&Post::title, "c2").del(), 1);
    EXPECT_EQ(db->from("posts").count(), 3);  // c2 stays: it is DE's
    EXPECT_EQ(db->from("posts").where("title", "c2").count(), 1);
    EXPECT_EQ(fr.related(&Country::posts).query().del(), 1);
    EXPECT_EQ(db->from("posts").count(), 2);
}
