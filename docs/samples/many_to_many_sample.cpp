// The samples of docs/relationships/many-to-many.md: scripts/docs_snippets.py copies each snippet
// region of this file into the guide, and the test suite runs it on SQLite and PostgreSQL.
#include "support/db_test.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace many_to_many_guide {

// The relationship with every default: pivot table "skill_user", pivot keys "user_id" and "skill_id".
namespace basic {
// [snippet:basic-models]
struct Skill;

struct User : lucid::BaseModel<User> {
    int64_t id = 0;
    std::string email;
    lucid::ManyToMany<Skill> skills;

    static void define(lucid::ModelDefinition<User>& m) {
        m.column(&User::id, "id", {.isPrimary = true});
        m.column(&User::email, "email");
        m.manyToMany(&User::skills, "skills");
    }
};

struct Skill : lucid::BaseModel<Skill> {
    int64_t id = 0;
    std::string name;
    lucid::ManyToMany<User> users;   // the inverse: the same pivot table, seen from the other side

    static void define(lucid::ModelDefinition<Skill>& m) {
        m.column(&Skill::id, "id", {.isPrimary = true});
        m.column(&Skill::name, "name");
        m.manyToMany(&Skill::users, "users");
    }
};
// [end-snippet]

// [snippet:basic-tables]
void createTables(lucid::QueryClient& db) {
    auto schema = db.schema();
    schema.createTable("users", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.string("email").notNullable();
    });
    schema.createTable("skills", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.string("name").notNullable();
    });
    schema.createTable("skill_user", [](lucid::TableBuilder& t) {   // both model names, sorted, snake case
        t.increments("id");
        t.integer("user_id").unsigned_().references("id").inTable("users").onDelete("CASCADE");
        t.integer("skill_id").unsigned_().references("id").inTable("skills").onDelete("CASCADE");
        t.unique({"user_id", "skill_id"});
    });
}
// [end-snippet]
}  // namespace basic

// The models of the rest of the guide: the pivot rows also carry a proficiency and timestamps.
// [snippet:pivot-models]
struct Skill;

struct User : lucid::BaseModel<User> {
    int64_t id = 0;
    std::string email;
    lucid::ManyToMany<Skill> skills;

    static void define(lucid::ModelDefinition<User>& m) {
        m.column(&User::id, "id", {.isPrimary = true});
        m.column(&User::email, "email");
        m.manyToMany(&User::skills, "skills", {.pivotColumns = {"proficiency"}, .pivotTimestamps = true});
    }
};

struct Skill : lucid::BaseModel<Skill> {
    int64_t id = 0;
    std::string name;
    lucid::ManyToMany<User> users;

    static void define(lucid::ModelDefinition<Skill>& m) {
        m.column(&Skill::id, "id", {.isPrimary = true});
        m.column(&Skill::name, "name");
        m.manyToMany(&Skill::users, "users", {.pivotColumns = {"proficiency"}});
    }
};
// [end-snippet]

void createTables(lucid::QueryClient& db) {
    auto schema = db.schema();
    schema.createTable("users", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.string("email").notNullable();
    });
    schema.createTable("skills", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.string("name").notNullable();
    });
    // [snippet:pivot-table]
    schema.createTable("skill_user", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.integer("user_id").unsigned_().references("id").inTable("users").onDelete("CASCADE");
        t.integer("skill_id").unsigned_().references("id").inTable("skills").onDelete("CASCADE");
        t.string("proficiency").nullable();
        t.timestamps();   // created_at, updated_at: filled by pivotTimestamps
        t.unique({"user_id", "skill_id"});
    });
    // [end-snippet]
}

// [snippet:extra-helper]
// One value of a model's extras(), e.g. extra(skill, "pivot_proficiency"); NULL when absent.
template <class M> lucid::Value extra(const M& model, std::string_view name) {
    for (const auto& [key, value] : model.extras())
        if (key == name) return value;
    return lucid::Value();
}
// [end-snippet]

// Every key spelled out: students and courses meet in "enrollments" through their natural keys.
namespace custom {
// [snippet:custom-keys]
struct Course;

struct Student : lucid::BaseModel<Student> {
    int64_t id = 0;
    std::string studentNumber;
    lucid::ManyToMany<Course> courses;

    static void define(lucid::ModelDefinition<Student>& m) {
        m.column(&Student::id, "id", {.isPrimary = true});
        m.column(&Student::studentNumber, "studentNumber");
        m.manyToMany(&Student::courses, "courses", {
            .pivotTable = "enrollments",
            .localKey = "studentNumber",               // property of Student (default: its primary key)
            .pivotForeignKey = "student_number",       // pivot column holding localKey (default: "student_id")
            .relatedKey = "code",                      // property of Course (default: its primary key)
            .pivotRelatedForeignKey = "course_code",   // pivot column holding relatedKey (default: "course_id")
            .pivotColumns = {"grade"},
        });
    }
};

struct Course : lucid::BaseModel<Course> {
    int64_t id = 0;
    std::string code;
    std::string title;

    static void define(lucid::ModelDefinition<Course>& m) {
        m.column(&Course::id, "id", {.isPrimary = true});
        m.column(&Course::code, "code");
        m.column(&Course::title, "title");
    }
};
// [end-snippet]
}  // namespace custom

}  // namespace many_to_many_guide

using namespace many_to_many_guide;

class ManyToManyGuide : public lucid_test::DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        // tables of other tests that may point at "users" go first (PostgreSQL keeps them between programs)
        dropTables({"skill_user", "user_skills", "enrollments", "posts", "profiles", "skills", "users", "students", "courses"});
    }
    void TearDown() override {
        // leave no foreign key to "users" or "skills" behind for the next program
        if (db) dropTables({"skill_user", "enrollments"});
        DbTest::TearDown();
    }
    // the pivot rows, as "user_id:skill_id:proficiency" in id order
    std::vector<std::string> pivotRows() {
        std::vector<std::string> out;
        for (const auto& r : db->from("skill_user").orderBy("id").exec())
            out.push_back(std::to_string(r.get<int64_t>("user_id")) + ":" + std::to_string(r.get<int64_t>("skill_id")) + ":" +
                          r.get<std::optional<std::string>>("proficiency").value_or("-"));
        return out;
    }
    std::string row(int64_t user, int64_t skill, const char* proficiency = "-") {
        return std::to_string(user) + ":" + std::to_string(skill) + ":" + proficiency;
    }
};

TEST_P(ManyToManyGuide, Defaults) {
    basic::createTables(*db);
    basic::User ada = basic::User::create({.email = "ada@example.com"});
    basic::Skill cpp = basic::Skill::create({.name = "C++"});
    ada.related(&basic::User::skills).attach({cpp.id});
    auto r = db->from("skill_user").first();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->get<int64_t>("user_id"), ada.id);
    EXPECT_EQ(r->get<int64_t>("skill_id"), cpp.id);
    auto users = basic::User::query().preload(&basic::User::skills).all();
    ASSERT_EQ(users[0].skills.size(), 1u);
    EXPECT_EQ(users[0].skills[0].name, "C++");
    EXPECT_EQ(extra(users[0].skills[0], "pivot_user_id").as<int64_t>(), ada.id);
    EXPECT_EQ(extra(users[0].skills[0], "pivot_skill_id").as<int64_t>(), cpp.id);
    auto skills = basic::Skill::query().preload(&basic::Skill::users).all();
    ASSERT_EQ(skills[0].users.size(), 1u);
    EXPECT_EQ(skills[0].users[0].email, "ada@example.com");
    EXPECT_EQ(lucid::NamingStrategy{}.relationPivotTable("User", "Skill"), "skill_user");
}

TEST_P(ManyToManyGuide, CustomKeys) {
    auto schema = db->schema();
    schema.createTable("students", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.string("student_number").unique();
    });
    schema.createTable("courses", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.string("code").unique();
        t.string("title");
    });
    // [snippet:custom-keys-table]
    schema.createTable("enrollments", [](lucid::TableBuilder& t) {
        t.string("student_number").notNullable();
        t.string("course_code").notNullable();
        t.string("grade").nullable();
    });
    // [end-snippet]
    using custom::Course;
    using custom::Student;
    Course::create({.code = "CS101", .title = "Programming"});
    Course::create({.code = "MA201", .title = "Linear algebra"});
    // [snippet:custom-keys-use]
    Student sam = Student::create({.studentNumber = "S-0042"});
    sam.related(&Student::courses).attach({{"CS101", {{"grade", "A"}}}, {"MA201", {}}});   // course codes
    auto students = Student::query().preload(&Student::courses).all();
    // students[0].courses: CS101 and MA201; extra(course, "pivot_grade") is "A" for CS101
    // [end-snippet]
    auto rows = db->from("enrollments").orderBy("course_code").exec();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].get<std::string>("student_number"), "S-0042");
    EXPECT_EQ(rows[0].get<std::string>("course_code"), "CS101");
    EXPECT_EQ(rows[0].get<std::string>("grade"), "A");
    ASSERT_EQ(students.size(), 1u);
    ASSERT_EQ(students[0].courses.size(), 2u);
    for (const Course& c : students[0].courses) {
        if (c.code == "CS101") EXPECT_EQ(extra(c, "pivot_grade").as<std::string>(), "A");
        else EXPECT_TRUE(extra(c, "pivot_grade").isNull());
        EXPECT_EQ(extra(c, "pivot_student_number").as<std::string>(), "S-0042");
        EXPECT_EQ(extra(c, "pivot_course_code").as<std::string>(), c.code);
    }
    EXPECT_EQ(sam.related(&Student::courses).query().count(), 2);
    sam.related(&Student::courses).detach({"MA201"});
    EXPECT_EQ(db->from("enrollments").count(), 1);
}

class ManyToManyGuideData : public ManyToManyGuide {
protected:
    void SetUp() override {
        ManyToManyGuide::SetUp();
        if (HasFatalFailure()) return;
        createTables(*db);
        ada = User::create({.email = "ada@example.com"});
        bob = User::create({.email = "bob@example.com"});
        cy = User::create({.email = "cy@example.com"});
        cpp = Skill::create({.name = "C++"});
        sql = Skill::create({.name = "SQL"});
        go = Skill::create({.name = "Go"});
        rust = Skill::create({.name = "Rust"});
    }
    User ada, bob, cy;
    Skill cpp, sql, go, rust;
};

TEST_P(ManyToManyGuideData, Preload) {
    ada.related(&User::skills).attach({{cpp.id, {{"proficiency", "expert"}}}, {sql.id, {{"proficiency", "novice"}}}});
    bob.related(&User::skills).attach({{go.id, {{"proficiency", "expert"}}}});
    lucid_test::QueryCounter counter(*db);
    // [snippet:preload]
    std::vector<User> users = User::query().preload(&User::skills).orderBy(&User::id).all();

    std::vector<std::string> lines;
    for (const User& user : users) {
        for (const Skill& skill : user.skills) {
            std::string proficiency = extra(skill, "pivot_proficiency").as<std::string>();
            lines.push_back(user.email + ": " + skill.name + " (" + proficiency + ")");
        }
    }
    // ada@example.com: C++ (expert), ada@example.com: SQL (novice), bob@example.com: Go (expert)
    // [end-snippet]
    EXPECT_EQ(counter.count, 2);  // the users, then every skill of every user
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[2], "bob@example.com: Go (expert)");
    EXPECT_TRUE(users[2].skills.isLoaded());
    EXPECT_TRUE(users[2].skills.empty());
    const std::string& preloadSql = counter.sqls[1];
    EXPECT_NE(preloadSql.find("inner join \"skill_user\""), std::string::npos) << preloadSql;
    EXPECT_NE(preloadSql.find("\"skill_user\".\"proficiency\" as \"pivot_proficiency\""), std::string::npos) << preloadSql;

    const Skill& first = users[0].skills[0];
    EXPECT_EQ(extra(first, "pivot_user_id").as<int64_t>(), ada.id);
    EXPECT_EQ(extra(first, "pivot_skill_id").as<int64_t>(), first.id);
    EXPECT_NO_THROW(extra(first, "pivot_created_at").as<lucid::DateTime>());
    EXPECT_NO_THROW(extra(first, "pivot_updated_at").as<lucid::DateTime>());

    // [snippet:preload-constraints]
    auto experts = User::query()
                       .preload(&User::skills, [](lucid::ModelQuery<Skill>& q) {
                           q.wherePivot("proficiency", "expert").orderBy(&Skill::name);
                       })
                       .orderBy(&User::id)
                       .all();
    // experts[0].skills: C++ only; experts[1].skills: Go
    // [end-snippet]
    ASSERT_EQ(experts[0].skills.size(), 1u);
    EXPECT_EQ(experts[0].skills[0].name, "C++");
    EXPECT_EQ(experts[1].skills[0].name, "Go");

    // [snippet:load]
    User user = User::findOrFail(ada.id);
    user.load(&User::skills);                  // one query
    user.loadOnce(&User::skills);              // loaded already: no query
    nlohmann::json j = user.serialize();       // {"id": 1, "email": "ada@example.com", "skills": [{...}, {...}]}
    // [end-snippet]
    EXPECT_EQ(user.skills.size(), 2u);
    ASSERT_EQ(j["skills"].size(), 2u);
    EXPECT_FALSE(j["skills"][0].contains("pivot_proficiency"));

    // a select in a preload callback narrows the columns (the pivot columns are still added)
    auto narrow = User::query()
                      .preload(&User::skills, [](lucid::ModelQuery<Skill>& q) { q.select(&Skill::id); })
                      .orderBy(&User::id)
                      .all();
    ASSERT_EQ(narrow[0].skills.size(), 2u);
    EXPECT_EQ(narrow[0].skills[0].name, "");
    EXPECT_EQ(extra(narrow[0].skills[0], "pivot_user_id").as<int64_t>(), ada.id);

    // the inverse
    auto skills = Skill::query().preload(&Skill::users).orderBy(&Skill::id).all();
    ASSERT_EQ(skills[0].users.size(), 1u);
    EXPECT_EQ(skills[0].users[0].email, "ada@example.com");
    EXPECT_EQ(extra(skills[0].users[0], "pivot_proficiency").as<std::string>(), "expert");
}

TEST_P(ManyToManyGuideData, AttachDetachSync) {
    // [snippet:attach]
    ada.related(&User::skills).attach({cpp.id, sql.id});                              // ids of skills
    bob.related(&User::skills).attach({{go.id, {{"proficiency", "expert"}}}});        // with pivot attributes
    // [end-snippet]
    EXPECT_EQ(pivotRows(), (std::vector<std::string>{row(ada.id, cpp.id), row(ada.id, sql.id), row(bob.id, go.id, "expert")}));

    // [snippet:detach]
    ada.related(&User::skills).detach({sql.id});   // these
    bob.related(&User::skills).detach();           // all of bob's
    // [end-snippet]
    EXPECT_EQ(pivotRows(), (std::vector<std::string>{row(ada.id, cpp.id)}));

    ada.related(&User::skills).attach({go.id});
    const int64_t cppRow = db->from("skill_user").where("skill_id", cpp.id).first()->get<int64_t>("id");
    // [snippet:sync]
    ada.related(&User::skills).sync({cpp.id, rust.id});
    // C++ was attached: its pivot row stays as it is (same id, same timestamps)
    // Rust is attached; Go, attached but not listed, is detached
    // [end-snippet]
    EXPECT_EQ(pivotRows(), (std::vector<std::string>{row(ada.id, cpp.id), row(ada.id, rust.id)}));
    EXPECT_EQ(db->from("skill_user").where("skill_id", cpp.id).first()->get<int64_t>("id"), cppRow);

    // [snippet:sync-no-detach]
    ada.related(&User::skills).sync({sql.id}, /*detach=*/false);   // attaches SQL, keeps C++ and Rust
    // [end-snippet]
    EXPECT_EQ(pivotRows(), (std::vector<std::string>{row(ada.id, cpp.id), row(ada.id, rust.id), row(ada.id, sql.id)}));

    // [snippet:sync-attributes]
    ada.related(&User::skills).sync({{cpp.id, {{"proficiency", "expert"}}}, {rust.id, {}}});
    // C++: proficiency updated (and updated_at); Rust: kept as it is; SQL: detached
    // [end-snippet]
    EXPECT_EQ(pivotRows(), (std::vector<std::string>{row(ada.id, cpp.id, "expert"), row(ada.id, rust.id)}));
    EXPECT_EQ(db->from("skill_user").where("skill_id", cpp.id).first()->get<int64_t>("id"), cppRow);

    // [snippet:rows-at-run-time]
    std::vector<std::pair<lucid::Value, lucid::Attributes>> rows;
    for (const Skill* s : {&go, &sql}) rows.emplace_back(s->id, lucid::Attributes{{"proficiency", "novice"}});
    cy.related(&User::skills).attachRows(rows);
    cy.related(&User::skills).syncRows(rows, /*detach=*/true);   // nothing changes: same ids, same attributes

    lucid::Bindings ids{cpp.id, go.id};                            // plain ids in a vector: attach/sync take them
    bob.related(&User::skills).attach(ids);
    // [end-snippet]
    EXPECT_EQ(cy.related(&User::skills).query().wherePivot("proficiency", "novice").count(), 2);
    EXPECT_EQ(bob.related(&User::skills).query().count(), 2);
}

TEST_P(ManyToManyGuideData, AttachIsOneTransaction) {
    ada.related(&User::skills).attach({cpp.id});
    // the unique (user_id, skill_id) index refuses C++ a second time: SQL is not left attached either
    EXPECT_THROW(ada.related(&User::skills).attach({sql.id, cpp.id}), lucid::QueryError);
    EXPECT_EQ(pivotRows(), (std::vector<std::string>{row(ada.id, cpp.id)}));
}

TEST_P(ManyToManyGuideData, SaveAndCreate) {
    // [snippet:save]
    User dee;
    dee.email = "dee@example.com";
    Skill zig;
    zig.name = "Zig";
    dee.related(&User::skills).save(zig);                                // saves dee and zig, then attaches zig
    dee.related(&User::skills).save(go, {{"proficiency", "fluent"}});    // go exists: only attached
    dee.related(&User::skills).save(zig);                                // attached already: no second pivot row
    // [end-snippet]
    EXPECT_TRUE(dee.isPersisted());
    EXPECT_TRUE(zig.isPersisted());
    EXPECT_EQ(dee.related(&User::skills).query().count(), 2);
    EXPECT_EQ(dee.related(&User::skills).query().wherePivot("proficiency", "fluent").count(), 1);

    // [snippet:create]
    Skill haskell = ada.related(&User::skills).create({.name = "Haskell"}, {{"proficiency", "curious"}});
    std::vector<Skill> more = ada.related(&User::skills).createMany({{.name = "Lisp"}, {.name = "Prolog"}});
    std::vector<Skill> existing{cpp, sql};
    ada.related(&User::skills).saveMany(existing);                     // one transaction
    // [end-snippet]
    EXPECT_TRUE(haskell.isPersisted());
    EXPECT_EQ(more.size(), 2u);
    EXPECT_TRUE(more[1].isPersisted());
    EXPECT_EQ(ada.related(&User::skills).query().count(), 5);
    EXPECT_EQ(ada.related(&User::skills).query().wherePivot("proficiency", "curious").first()->name, "Haskell");
}

TEST_P(ManyToManyGuideData, RelatedQuery) {
    ada.related(&User::skills).attach({{cpp.id, {{"proficiency", "expert"}}},
                                       {sql.id, {{"proficiency", "novice"}}},
                                       {go.id, {{"proficiency", "expert"}}},
                                       {rust.id, {}}});
    // [snippet:related-query]
    lucid::ModelQuery<Skill> skills = ada.related(&User::skills).query();   // ada's skills, joined with the pivot
    std::vector<Skill> startingWithS = ada.related(&User::skills).query().whereLike(&Skill::name, "S%").all();
    int64_t expert = ada.related(&User::skills).query().wherePivot("proficiency", "expert").count();
    lucid::Page<Skill> page = ada.related(&User::skills).query().orderBy(&Skill::name).paginate(1, 2);
    // [end-snippet]
    EXPECT_EQ(skills.count(), 4);
    ASSERT_EQ(startingWithS.size(), 1u);
    EXPECT_EQ(extra(startingWithS[0], "pivot_proficiency").as<std::string>(), "novice");
    EXPECT_EQ(expert, 2);
    EXPECT_EQ(page.total(), 4);
    ASSERT_EQ(page.items().size(), 2u);
    EXPECT_EQ(page.items()[0].name, "C++");

    // [snippet:where-pivot]
    auto q = [&] { return ada.related(&User::skills).query(); };
    q().wherePivot("proficiency", "expert");                      // skill_user.proficiency = ?
    q().wherePivot("created_at", ">", "2020-01-01");
    q().whereNotPivot("proficiency", "novice");
    q().wherePivot("proficiency", "expert").orWherePivot("proficiency", "novice");
    q().whereInPivot("proficiency", {"expert", "novice"});
    q().whereNotInPivot("proficiency", {"novice"});
    q().whereNullPivot("proficiency");
    q().whereNotNullPivot("proficiency");
    // [end-snippet]
    EXPECT_EQ(q().wherePivot("proficiency", "expert").count(), 2);
    EXPECT_EQ(q().whereNotPivot("proficiency", "novice").count(), 2);  // NULL is neither
    EXPECT_EQ(q().wherePivot("proficiency", "expert").orWherePivot("proficiency", "novice").count(), 3);
    EXPECT_EQ(q().whereInPivot("proficiency", {"expert", "novice"}).count(), 3);
    EXPECT_EQ(q().whereNotInPivot("proficiency", {"novice"}).count(), 2);
    EXPECT_EQ(q().whereNullPivot("proficiency").count(), 1);
    EXPECT_EQ(q().whereNotNullPivot("proficiency").count(), 3);
    EXPECT_THROW(User::query().wherePivot("proficiency", "expert"), lucid::Error);

    // [snippet:pivot-update-del]
    // update() and del() on the related query write the pivot rows, not the skills
    ada.related(&User::skills).query().wherePivot("proficiency", "novice").update({{"proficiency", "intermediate"}});
    ada.related(&User::skills).query().where(&Skill::name, "Rust").del();   // detaches Rust; the skill stays
    // [end-snippet]
    EXPECT_EQ(db->from("skill_user").where("skill_id", sql.id).first()->get<std::string>("proficiency"), "intermediate");
    EXPECT_EQ(db->from("skill_user").where("skill_id", rust.id).count(), 0);
    EXPECT_EQ(db->from("skills").where("name", "Rust").count(), 1);
    EXPECT_EQ(db->from("skill_user").count(), 3);
}

TEST_P(ManyToManyGuideData, ExistenceAndCounts) {
    ada.related(&User::skills).attach({{cpp.id, {{"proficiency", "expert"}}}, {sql.id, {{"proficiency", "novice"}}}});
    bob.related(&User::skills).attach({{sql.id, {{"proficiency", "expert"}}}});
    // [snippet:has]
    auto withSkills = User::query().has(&User::skills).all();                  // ada, bob
    auto polyglots = User::query().has(&User::skills, ">=", 2).all();          // ada
    auto none = User::query().doesntHave(&User::skills).all();                 // cy
    auto sqlPeople = User::query()
                         .whereHas(&User::skills, [](lucid::ModelQuery<Skill>& q) { q.where(&Skill::name, "SQL"); })
                         .all();                                               // ada, bob
    auto sqlExperts = User::query()
                          .whereHas(&User::skills, [](lucid::ModelQuery<Skill>& q) {
                              q.where(&Skill::name, "SQL").wherePivot("proficiency", "expert");
                          })
                          .all();                                              // bob
    // [end-snippet]
    EXPECT_EQ(withSkills.size(), 2u);
    ASSERT_EQ(polyglots.size(), 1u);
    EXPECT_EQ(polyglots[0].id, ada.id);
    ASSERT_EQ(none.size(), 1u);
    EXPECT_EQ(none[0].id, cy.id);
    EXPECT_EQ(sqlPeople.size(), 2u);
    ASSERT_EQ(sqlExperts.size(), 1u);
    EXPECT_EQ(sqlExperts[0].id, bob.id);

    // [snippet:with-count]
    auto users = User::query()
                     .withCount(&User::skills)                                 // extras: skills_count
                     .withCount(&User::skills, [](lucid::ModelQuery<Skill>& q) {
                         q.wherePivot("proficiency", "expert").as("expertSkills");
                     })
                     .orderBy(&User::id)
                     .all();
    int64_t adaSkills = extra(users[0], "skills_count").as<int64_t>();         // 2
    int64_t adaExpert = extra(users[0], "expertSkills").as<int64_t>();         // 1
    // [end-snippet]
    EXPECT_EQ(adaSkills, 2);
    EXPECT_EQ(adaExpert, 1);
    EXPECT_EQ(extra(users[2], "skills_count").as<int64_t>(), 0);

    // [snippet:load-count]
    User user = User::findOrFail(bob.id);
    user.loadCount(&User::skills);      // extra(user, "skills_count") == 1
    // [end-snippet]
    EXPECT_EQ(extra(user, "skills_count").as<int64_t>(), 1);

    // [snippet:skill-users]
    auto popular = Skill::query().withCount(&Skill::users).has(&Skill::users, ">", 1).all();   // SQL
    // [end-snippet]
    ASSERT_EQ(popular.size(), 1u);
    EXPECT_EQ(popular[0].name, "SQL");
    EXPECT_EQ(extra(popular[0], "users_count").as<int64_t>(), 2);
}

LUCID_DB_TEST_SUITE(ManyToManyGuide);
LUCID_DB_TEST_SUITE(ManyToManyGuideData);
