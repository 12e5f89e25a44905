// Hooks, naming, field types, prepare/consume, timestamps, extras: the rest of the model layer.
#include "support/db_test.hpp"

#include <thread>

using namespace lucid;
using lucid_test::DbTest;
using lucid_test::QueryCounter;

namespace features {

std::vector<std::string> g_events;

struct Note : BaseModel<Note> {
    int64_t id = 0;
    std::string title;
    std::optional<nlohmann::json> meta;
    Blob data;
    double score = 0;
    uint16_t small = 0;
    std::optional<DateTime> updatedAt;
    std::string secret;

    static void define(ModelDefinition<Note>& m) {
        m.column(&Note::id, "id", {.isPrimary = true});
        m.column(&Note::title, "title");
        m.column(&Note::meta, "meta");
        m.column(&Note::data, "data");
        m.column(&Note::score, "score");
        m.column(&Note::small, "small");
        m.column(&Note::updatedAt, "updatedAt", {.autoCreate = true, .autoUpdate = true});
        // stored reversed, read back straight
        m.column(&Note::secret, "secret", {.hidden = true,
                                           .prepare = [](const Value& v) { auto s = v.as<std::string>(); return Value(std::string(s.rbegin(), s.rend())); },
                                           .consume = [](const Value& v) { auto s = v.as<std::string>(); return Value(std::string(s.rbegin(), s.rend())); }});
        m.beforeCreate([](Note& n) { g_events.push_back("beforeCreate:" + n.title); });
        m.beforeSave([](Note&) { g_events.push_back("beforeSave"); });
        m.afterCreate([](Note& n) { g_events.push_back("afterCreate:" + std::to_string(n.id > 0)); });
        m.afterSave([](Note&) { g_events.push_back("afterSave"); });
        m.beforeUpdate([](Note&) { g_events.push_back("beforeUpdate"); });
        m.afterUpdate([](Note&) { g_events.push_back("afterUpdate"); });
        m.beforeDelete([](Note&) { g_events.push_back("beforeDelete"); });
        m.afterDelete([](Note&) { g_events.push_back("afterDelete"); });
        m.afterFind([](Note&) { g_events.push_back("afterFind"); });
        m.afterFetch([](std::vector<Note>& ns) { g_events.push_back("afterFetch:" + std::to_string(ns.size())); });
        m.beforeFind([](ModelQuery<Note>&) { g_events.push_back("beforeFind"); });
        m.beforeFetch([](ModelQuery<Note>&) { g_events.push_back("beforeFetch"); });
    }
};

// A consume() that queries the same connection while the rows of a fetch are being read.
Transaction* g_nestedTrx = nullptr;
int64_t g_nestedCount = -1;
struct Tag : BaseModel<Tag> {
    int64_t id = 0;
    std::string label;
    static void define(ModelDefinition<Tag>& m) {
        m.column(&Tag::id, "id", {.isPrimary = true});
        m.column(&Tag::label, "label", {.consume = [](const Value& v) {
                     if (g_nestedTrx) g_nestedCount = static_cast<int64_t>(Note::query(*g_nestedTrx).all().size());  // streamed too
                     return v;
                 }});
        m.table("notes_tags");
    }
};

// A row whose consume() looks up its parent with the very query that is fetching it (the same SQL, on the
// same connection, while that query still steps).
Transaction* g_chainTrx = nullptr;
std::vector<std::string> g_parentNames;
struct Chained : BaseModel<Chained> {
    int64_t id = 0;
    int64_t parentId = 0;
    std::string name;
    static void define(ModelDefinition<Chained>& m) {
        m.column(&Chained::id, "id", {.isPrimary = true});
        m.column(&Chained::parentId, "parentId", {.consume = [](const Value& v) {
                     static int depth = 0;
                     if (g_chainTrx && depth == 0 && v.as<int64_t>() != 0) {
                         ++depth;
                         auto parent = Chained::query(*g_chainTrx).where(&Chained::id, v.as<int64_t>()).first();
                         --depth;
                         g_parentNames.push_back(parent ? parent->name : "(none)");
                     }
                     return v;
                 }});
        m.column(&Chained::name, "name");
        m.table("chain_nodes");
    }
};

// A hook that refuses: the write must not happen.
struct Guarded : BaseModel<Guarded> {
    int64_t id = 0;
    std::string name;
    static void define(ModelDefinition<Guarded>& m) {
        m.column(&Guarded::id, "id", {.isPrimary = true});
        m.column(&Guarded::name, "name");
        m.table("notes_guarded");
        m.beforeSave([](Guarded& g) {
            if (g.name == "forbidden") throw std::invalid_argument("name is forbidden");
        });
        m.afterCreate([](Guarded& g) {
            if (g.name == "late") throw std::runtime_error("refused after the insert");
        });
        m.afterUpdate([](Guarded& g) {
            if (g.name == "late update") throw std::runtime_error("refused after the update");
        });
    }
};

struct Person : BaseModel<Person> {
    int64_t id = 0;
    std::string firstName;
    static void define(ModelDefinition<Person>& m) {
        m.column(&Person::id, "id", {.isPrimary = true});
        m.column(&Person::firstName, "firstName", {.columnName = "given_name", .serializeAs = "first"});
    }
};
struct Category : BaseModel<Category> {
    int64_t id = 0;
    static void define(ModelDefinition<Category>& m) { m.column(&Category::id, "id", {.isPrimary = true}); }
};

// Upper-case tables and columns through a custom strategy.
struct ShoutingNaming : NamingStrategy {
    std::string tableName(std::string_view model) const override { return "T_" + snakeCase(model); }
    std::string columnName(std::string_view, std::string_view property) const override { return "c_" + snakeCase(property); }
};
struct Status : BaseModel<Status> {
    int64_t id = 0;
    std::string currentValue;
    static void define(ModelDefinition<Status>& m) {
        m.namingStrategy(ShoutingNaming{});
        m.column(&Status::id, "id", {.isPrimary = true});
        m.column(&Status::currentValue, "currentValue");
    }
};

}  // namespace features
using namespace features;

class ModelFeaturesTest : public DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"notes", "notes_guarded"});
        db->schema().createTable("notes", [](TableBuilder& t) {
            t.increments("id");
            t.string("title");
            t.json("meta").nullable();
            t.binary("data").nullable();
            t.double_("score").defaultTo(0);
            t.integer("small").defaultTo(0);
            t.timestamp("updated_at").nullable();
            t.string("secret").nullable();
        });
        db->schema().createTable("notes_guarded", [](TableBuilder& t) {
            t.increments("id");
            t.string("name");
        });
        g_events.clear();
    }
};

TEST_P(ModelFeaturesTest, HooksRunInLucidsOrder) {
    Note n;
    n.title = "t";
    n.save();
    EXPECT_EQ(g_events, (std::vector<std::string>{"beforeCreate:t", "beforeSave", "afterCreate:1", "afterSave"}));
    g_events.clear();
    n.save();  // nothing dirty: before-hooks run, no query, no after-hooks
    EXPECT_EQ(g_events, (std::vector<std::string>{"beforeUpdate", "beforeSave"}));
    g_events.clear();
    n.title = "u";
    n.save();
    EXPECT_EQ(g_events, (std::vector<std::string>{"beforeUpdate", "beforeSave", "afterUpdate", "afterSave"}));
    g_events.clear();
    Note::find(n.id);
    EXPECT_EQ(g_events, (std::vector<std::string>{"beforeFind", "afterFind"}));
    g_events.clear();
    Note::query().all();
    EXPECT_EQ(g_events, (std::vector<std::string>{"beforeFetch", "afterFetch:1"}));
    g_events.clear();
    n.remove();
    EXPECT_EQ(g_events, (std::vector<std::string>{"beforeDelete", "afterDelete"}));
}

TEST_P(ModelFeaturesTest, AThrowingHookWritesNothing) {
    Guarded g;
    g.name = "forbidden";
    EXPECT_THROW(g.save(), std::invalid_argument);
    EXPECT_FALSE(g.isPersisted());
    Guarded late;
    late.name = "late";
    EXPECT_THROW(late.save(), std::runtime_error);  // after the INSERT: rolled back with it
    EXPECT_FALSE(late.isPersisted());
    EXPECT_EQ(late.id, 0);
    EXPECT_EQ(db->from("notes_guarded").count(), 0);
    Guarded ok;
    ok.name = "fine";
    ok.save();
    EXPECT_EQ(db->from("notes_guarded").count(), 1);
    ok.name = "late update";
    EXPECT_THROW(ok.save(), std::runtime_error);  // the UPDATE is rolled back with the hook
    EXPECT_EQ(db->from("notes_guarded").first()->get<std::string>("name"), "fine");
    EXPECT_TRUE(ok.isDirty());  // and the instance still knows it differs from the row
}

TEST_P(ModelFeaturesTest, FieldTypesRoundTrip) {
    Note n;
    n.title = "types";
    n.meta = nlohmann::json{{"tags", {"a", "b"}}, {"n", 1}};
    n.data = Blob{std::byte{0}, std::byte{7}, std::byte{255}};
    n.score = 0.1 + 0.2;
    n.small = 65535;
    n.secret = "abc";
    n.save();
    EXPECT_EQ(db->from("notes").first()->get<std::string>("secret"), "cba");  // prepare
    Note back = Note::findOrFail(n.id);
    EXPECT_EQ(back.meta, n.meta);
    EXPECT_EQ(back.data, n.data);
    EXPECT_DOUBLE_EQ(back.score, n.score);
    EXPECT_EQ(back.small, 65535);
    EXPECT_EQ(back.secret, "abc");  // consume
    EXPECT_EQ(back.updatedAt, n.updatedAt);
    EXPECT_FALSE(back.isDirty());
    // a value the field cannot hold is a TypeError naming Model.property and the value
    db->from("notes").update({{"small", 70000}});
    try {
        Note::findOrFail(n.id);
        FAIL();
    } catch (const TypeError& e) {
        std::string msg = e.what();
        EXPECT_NE(msg.find("Note.small"), std::string::npos) << msg;
        EXPECT_NE(msg.find("70000"), std::string::npos) << msg;
    }
}

TEST_P(ModelFeaturesTest, AutoUpdateTouchesEveryWrite) {
    Note n;
    n.title = "a";
    n.save();
    ASSERT_TRUE(n.updatedAt);
    DateTime first = *n.updatedAt;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    n.title = "b";
    n.save();
    EXPECT_GT(*n.updatedAt, first);
    EXPECT_EQ(Note::findOrFail(n.id).updatedAt, n.updatedAt);
    // an explicitly set value is kept on insert
    Note m;
    m.title = "fixed";
    DateTime fixed = std::chrono::sys_days{std::chrono::year{2020} / 1 / 2};
    m.updatedAt = fixed;
    m.save();
    EXPECT_EQ(Note::findOrFail(m.id).updatedAt, fixed);
}

TEST_P(ModelFeaturesTest, ExtrasStayOutOfSerializationUnlessAsked) {
    Note::create({.title = "x"});
    auto n = Note::query().selectRaw("*, 42 as answer").firstOrFail();
    ASSERT_EQ(n.extras().size(), 1u);
    EXPECT_FALSE(n.serialize().contains("answer"));
    EXPECT_FALSE(n.serialize().contains("meta") && n.serialize()["meta"].is_object());
    EXPECT_FALSE(n.serialize().contains("secret"));  // hidden
}

TEST_P(ModelFeaturesTest, EventsCarryTheModelName) {
    std::vector<std::string> models;
    auto sub = db->onQuery([&](const QueryEvent& e) {
        // Note has after-hooks, so its INSERT runs inside begin/commit, which no model issues
        if (!e.sql.starts_with("begin") && e.sql != "commit") models.emplace_back(e.model);
    });
    Note::create({.title = "x"});
    Note::query().count();
    db->from("notes").count();
    ASSERT_EQ(models.size(), 3u);
    EXPECT_EQ(models[0], "Note");
    EXPECT_EQ(models[1], "Note");
    EXPECT_EQ(models[2], "");
}

namespace features {
struct Lowered : BaseModel<Lowered> {
    int64_t id = 0;
    std::string name;
    static void define(ModelDefinition<Lowered>& m) {
        m.column(&Lowered::id, "id", {.isPrimary = true});
        m.table("notes_guarded");
        // prepare without a consume: the database holds lower case, the field what was assigned
        m.column(&Lowered::name, "name", {.prepare = [](const Value& v) {
            auto s = v.as<std::string>();
            for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            return Value(s);
        }});
    }
};
struct Audited : BaseModel<Audited> {
    int64_t id = 0;
    std::string name;
    static void define(ModelDefinition<Audited>& m) {
        m.column(&Audited::id, "id", {.isPrimary = true});
        m.column(&Audited::name, "name");
        m.table("notes_guarded");
        m.afterDelete([](Audited& a) {
            if (a.name == "keep") throw std::runtime_error("refused after the delete");
        });
    }
};
}  // namespace features

TEST_P(ModelFeaturesTest, PrepareWithoutConsumeIsCleanAfterSave) {
    Lowered l;
    l.name = "MiXeD";
    l.save();
    EXPECT_FALSE(l.isDirty());
    QueryCounter counter(*db);
    l.save();
    EXPECT_EQ(counter.count, 0);
    EXPECT_EQ(db->from("notes_guarded").first()->get<std::string>("name"), "mixed");
}

TEST_P(ModelFeaturesTest, AThrowingAfterDeleteKeepsTheRow) {
    Audited a = Audited::create({.name = "keep"});
    EXPECT_THROW(a.remove(), std::runtime_error);
    EXPECT_FALSE(a.isDeleted());
    EXPECT_EQ(db->from("notes_guarded").count(), 1);
    a.name = "go";
    a.save();
    a.remove();
    EXPECT_TRUE(a.isDeleted());
    EXPECT_EQ(db->from("notes_guarded").count(), 0);
}

TEST_P(ModelFeaturesTest, FillOnASavedModelKeepsItsKey) {
    Note n = Note::create({.title = "a", .score = 2});
    const int64_t id = n.id;
    n.fill({{"title", "b"}});
    EXPECT_EQ(n.id, id);
    EXPECT_EQ(n.score, 0);
    n.save();
    EXPECT_EQ(Note::findOrFail(id).title, "b");
    EXPECT_EQ(db->from("notes").count(), 1);
}

TEST_P(ModelFeaturesTest, AConsumeMayQueryTheConnectionItsRowsComeFrom) {
    dropTables({"notes_tags"});
    db->schema().createTable("notes_tags", [](TableBuilder& t) {
        t.increments("id");
        t.string("label");
    });
    Note::create({.title = "one"});
    for (const char* label : {"a-label-longer-than-sixteen-bytes", "b", "c-another-label-longer-than-sixteen"})
        db->from("notes_tags").insert({{"label", label}});
    db->transaction([&](Transaction& trx) {
        g_nestedTrx = &trx;
        std::vector<Tag> tags = Tag::query(trx).orderBy(&Tag::id).all();
        g_nestedTrx = nullptr;
        ASSERT_EQ(tags.size(), 3u);
        EXPECT_EQ(tags[0].label, "a-label-longer-than-sixteen-bytes");
        EXPECT_EQ(tags[1].label, "b");
        EXPECT_EQ(tags[2].label, "c-another-label-longer-than-sixteen");
        EXPECT_FALSE(tags[2].isDirty());
    });
    EXPECT_EQ(g_nestedCount, 1);
}

TEST_P(ModelFeaturesTest, AConsumeMayRunTheQueryItsRowComesFrom) {
    dropTables({"chain_nodes"});
    db->schema().createTable("chain_nodes", [](TableBuilder& t) {
        t.increments("id");
        t.bigInteger("parent_id").notNullable();
        t.string("name").notNullable();
    });
    Chained::create({.parentId = 0, .name = "root-with-a-name-past-the-small-buffer"});
    Chained::create({.parentId = 1, .name = "child-with-a-name-past-the-small-buffer"});
    Chained::create({.parentId = 2, .name = "grandchild-with-a-name-past-the-small-buffer"});
    g_parentNames.clear();
    db->transaction([&](Transaction& trx) {
        g_chainTrx = &trx;
        auto child = Chained::query(trx).where(&Chained::id, 2).first();
        auto all = Chained::query(trx).where(&Chained::id, ">", 0).orderBy(&Chained::id).all();
        g_chainTrx = nullptr;
        ASSERT_TRUE(child);
        EXPECT_EQ(child->id, 2);
        EXPECT_EQ(child->name, "child-with-a-name-past-the-small-buffer");
        EXPECT_FALSE(child->isDirty());
        ASSERT_EQ(all.size(), 3u);
        EXPECT_EQ(all[1].name, "child-with-a-name-past-the-small-buffer");
        EXPECT_EQ(all[2].name, "grandchild-with-a-name-past-the-small-buffer");
        EXPECT_FALSE(all[2].isDirty());
    });
    EXPECT_EQ(g_parentNames, (std::vector<std::string>{"root-with-a-name-past-the-small-buffer", "root-with-a-name-past-the-small-buffer",
                                                       "child-with-a-name-past-the-small-buffer"}));
}

LUCID_DB_TEST_SUITE(ModelFeaturesTest);

TEST(Naming, LucidsDefaults) {
    EXPECT_EQ(Person::definition().table, "people");
    EXPECT_EQ(Person::definition().column("firstName").column, "given_name");
    EXPECT_EQ(Person::definition().column("firstName").serializeAs, "first");
    EXPECT_EQ(Category::definition().table, "categories");
    EXPECT_EQ(Status::definition().table, "T_status");
    EXPECT_EQ(Status::definition().column("currentValue").column, "c_current_value");
    EXPECT_EQ(Note::definition().table, "notes");
    EXPECT_EQ(pluralize("status"), "statuses");
    EXPECT_EQ(pluralize("address"), "addresses");
    EXPECT_EQ(pluralize("child"), "children");
    EXPECT_EQ(pluralize("man"), "men");
    EXPECT_EQ(pluralize("box"), "boxes");
    EXPECT_EQ(pluralize("day"), "days");
    EXPECT_EQ(pluralize("user_profile"), "user_profiles");
    EXPECT_EQ(snakeCase("avatarUrl"), "avatar_url");
    EXPECT_EQ(snakeCase("HTTPRequest"), "http_request");
    EXPECT_EQ(camelCase("User_id"), "userId");
    EXPECT_EQ(NamingStrategy{}.relationPivotTable("User", "Skill"), "skill_user");
}

TEST(Naming, NamespacedModelsAreDistinct) {
    EXPECT_EQ(detail::demangledModelName(typeid(features::Note).name()), "Note");
}
