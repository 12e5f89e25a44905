// The samples of docs/models.md: scripts/docs_snippets.py copies each snippet
// region of this file into the guide, and the test suite runs it on SQLite and PostgreSQL.
#include "support/db_test.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace models_guide {

// [snippet:user-model]
struct User : lucid::BaseModel<User> {
    int64_t id = 0;
    std::string email;
    std::optional<std::string> fullName;
    int32_t points = 0;
    bool isActive = false;
    std::string password;
    lucid::DateTime createdAt{};
    lucid::DateTime updatedAt{};

    static void define(lucid::ModelDefinition<User>& m) {
        m.column(&User::id, "id", {.isPrimary = true});
        m.column(&User::email, "email");
        m.column(&User::fullName, "fullName", {.serializeAs = "name"});
        m.column(&User::points, "points");
        m.column(&User::isActive, "isActive");
        m.column(&User::password, "password", {.hidden = true});
        m.column(&User::createdAt, "createdAt", {.autoCreate = true});
        m.column(&User::updatedAt, "updatedAt", {.autoCreate = true, .autoUpdate = true});
    }
};
// [end-snippet]

// [snippet:users-table]
void createUsersTable(lucid::QueryClient& db) {
    db.schema().createTable("users", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.string("email").notNullable().unique();
        t.string("full_name").nullable();
        t.integer("points").notNullable().defaultTo(0);
        t.boolean("is_active").defaultTo(false);
        t.string("password").notNullable();
        t.timestamps();  // created_at, updated_at
    });
}
// [end-snippet]

// [snippet:prepare-consume]
// The price is a double in C++ and whole cents in the database.
struct Product : lucid::BaseModel<Product> {
    int64_t id = 0;
    std::string name;
    double price = 0;

    static void define(lucid::ModelDefinition<Product>& m) {
        m.column(&Product::id, "id", {.isPrimary = true});
        m.column(&Product::name, "name");
        m.column(&Product::price, "price", {
            .columnName = "price_cents",
            .prepare = [](const lucid::Value& v) { return lucid::Value(std::llround(v.as<double>() * 100)); },
            .consume = [](const lucid::Value& v) { return lucid::Value(v.as<int64_t>() / 100.0); },
        });
    }
};
// [end-snippet]

// [snippet:field-types]
struct Reading : lucid::BaseModel<Reading> {
    int64_t id = 0;                          // every integer type: int16_t, uint32_t, int64_t, ...
    bool valid = false;
    uint16_t sensor = 0;
    float celsius = 0;
    double humidity = 0;
    std::string label;
    lucid::Blob raw;                         // std::vector<std::byte>
    lucid::DateTime takenAt{};               // UTC, microseconds
    nlohmann::json tags;                     // a JSON document
    std::optional<std::string> note;         // std::optional of any of these: NULL <-> nullopt
    std::optional<lucid::DateTime> checkedAt;

    static void define(lucid::ModelDefinition<Reading>& m) {
        m.column(&Reading::id, "id", {.isPrimary = true});
        m.column(&Reading::valid, "valid");
        m.column(&Reading::sensor, "sensor");
        m.column(&Reading::celsius, "celsius");
        m.column(&Reading::humidity, "humidity");
        m.column(&Reading::label, "label");
        m.column(&Reading::raw, "raw");
        m.column(&Reading::takenAt, "takenAt");
        m.column(&Reading::tags, "tags");
        m.column(&Reading::note, "note");
        m.column(&Reading::checkedAt, "checkedAt");
    }
};
// [end-snippet]

// [snippet:naming-overrides]
struct LegacyMember : lucid::BaseModel<LegacyMember> {
    int64_t id = 0;
    std::string login;

    static void define(lucid::ModelDefinition<LegacyMember>& m) {
        m.name("Member");          // the model's name: in errors, query events and default relation keys
        m.table("tbl_members");    // instead of "members" (from the name)
        m.column(&LegacyMember::id, "id", {.isPrimary = true, .columnName = "member_id"});
        m.column(&LegacyMember::login, "login", {.columnName = "usr_login"});
    }
};
// [end-snippet]

// [snippet:connection]
struct AuditEntry : lucid::BaseModel<AuditEntry> {
    int64_t id = 0;
    std::string action;

    static void define(lucid::ModelDefinition<AuditEntry>& m) {
        m.connection("audit");     // every query of AuditEntry goes to the "audit" connection
        m.column(&AuditEntry::id, "id", {.isPrimary = true});
        m.column(&AuditEntry::action, "action");
    }
};
// [end-snippet]

// [snippet:naming-strategy]
// Singular table names, and snake_case keys in serialize().
struct LegacyNaming : lucid::NamingStrategy {
    std::string tableName(std::string_view modelName) const override { return lucid::snakeCase(modelName); }
    std::string serializedName(std::string_view, std::string_view property) const override {
        return lucid::snakeCase(property);
    }
};

struct Invoice : lucid::BaseModel<Invoice> {
    int64_t id = 0;
    int64_t totalCents = 0;

    static void define(lucid::ModelDefinition<Invoice>& m) {
        m.namingStrategy(LegacyNaming{});
        m.column(&Invoice::id, "id", {.isPrimary = true});
        m.column(&Invoice::totalCents, "totalCents");   // column "total_cents", serialized "total_cents"
    }
};
// [end-snippet]

std::vector<std::string> hookLog;

// [snippet:hooks]
struct Account : lucid::BaseModel<Account> {
    int64_t id = 0;
    std::string email;
    std::string password;

    static void define(lucid::ModelDefinition<Account>& m) {
        m.column(&Account::id, "id", {.isPrimary = true});
        m.column(&Account::email, "email");
        m.column(&Account::password, "password", {.hidden = true});

        m.beforeSave([](Account& a) {
            if (a.email.find('@') == std::string::npos) throw std::invalid_argument("not an email: " + a.email);
            std::transform(a.email.begin(), a.email.end(), a.email.begin(), [](unsigned char c) { return std::tolower(c); });
            for (const auto& [property, value] : a.dirty())
                if (property == "password") a.password = "hashed:" + a.password;   // hash only a new password
            hookLog.push_back("beforeSave");
        });
        m.beforeCreate([](Account&) { hookLog.push_back("beforeCreate"); });
        m.afterCreate([](Account& a) {
            hookLog.push_back("afterCreate");
            if (a.email.ends_with("@bounce.test")) throw std::runtime_error("cannot send the welcome mail");
        });
        m.afterSave([](Account&) { hookLog.push_back("afterSave"); });
        m.beforeUpdate([](Account&) { hookLog.push_back("beforeUpdate"); });
        m.afterUpdate([](Account&) { hookLog.push_back("afterUpdate"); });
        m.beforeDelete([](Account&) { hookLog.push_back("beforeDelete"); });
        m.afterDelete([](Account&) { hookLog.push_back("afterDelete"); });
        m.afterFind([](Account&) { hookLog.push_back("afterFind"); });
        m.afterFetch([](std::vector<Account>& rows) { hookLog.push_back("afterFetch " + std::to_string(rows.size())); });
    }
};
// [end-snippet]

// [snippet:serialize-extras]
struct RankedUser : lucid::BaseModel<RankedUser> {
    int64_t id = 0;
    std::string email;
    int32_t points = 0;

    static void define(lucid::ModelDefinition<RankedUser>& m) {
        m.table("users");
        m.serializeExtras();   // extras() go into serialize() under "meta"
        m.column(&RankedUser::id, "id", {.isPrimary = true});
        m.column(&RankedUser::email, "email");
        m.column(&RankedUser::points, "points");
    }
};
// [end-snippet]

// [snippet:definition-error]
struct Draft : lucid::BaseModel<Draft> {
    int64_t id = 0;
    std::string title;

    static void define(lucid::ModelDefinition<Draft>& m) {
        m.column(&Draft::id, "id");          // no {.isPrimary = true}
        m.column(&Draft::title, "title");
    }
};
// [end-snippet]

}  // namespace models_guide

using namespace models_guide;

namespace {
lucid::Value attribute(const lucid::Attributes& attrs, const std::string& name) {
    for (const auto& [k, v] : attrs)
        if (k == name) return v;
    return lucid::Value("<missing>");
}
bool has(const lucid::Attributes& attrs, const std::string& name) {
    for (const auto& [k, v] : attrs)
        if (k == name) return true;
    return false;
}
}  // namespace

class ModelsGuide : public lucid_test::DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        // tables of other tests that may point at "users" go first (PostgreSQL keeps them between programs)
        dropTables({"skill_user", "user_skills", "profiles", "posts", "users", "products", "readings", "tbl_members", "invoice",
                    "accounts"});
        createUsersTable(*db);
        auto s = db->schema();
        s.createTable("products", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.string("name");
            t.bigInteger("price_cents");
        });
        s.createTable("readings", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.boolean("valid");
            t.integer("sensor");
            t.float_("celsius");
            t.double_("humidity");
            t.string("label");
            t.binary("raw");
            t.timestamp("taken_at");
            t.json("tags");
            t.text("note").nullable();
            t.timestamp("checked_at").nullable();
        });
        s.createTable("tbl_members", [](lucid::TableBuilder& t) {
            t.increments("member_id");
            t.string("usr_login");
        });
        s.createTable("invoice", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.bigInteger("total_cents");
        });
        s.createTable("accounts", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.string("email");
            t.string("password");
        });
        hookLog.clear();
    }
};

TEST_P(ModelsGuide, NamingDefaults) {
    EXPECT_EQ(User::definition().name, "User");
    EXPECT_EQ(User::definition().table, "users");
    EXPECT_EQ(User::definition().column("fullName").column, "full_name");
    EXPECT_EQ(User::definition().column("fullName").serializeAs, "name");
    EXPECT_EQ(Product::definition().column("price").column, "price_cents");
    EXPECT_EQ(LegacyMember::definition().name, "Member");
    EXPECT_EQ(LegacyMember::definition().table, "tbl_members");
    EXPECT_EQ(Invoice::definition().table, "invoice");
    EXPECT_EQ(Invoice::definition().column("totalCents").column, "total_cents");
    // [snippet:naming-functions]
    lucid::snakeCase("avatarUrl");      // "avatar_url"
    lucid::snakeCase("UserProfile");    // "user_profile"
    lucid::pluralize("category");       // "categories"
    lucid::pluralize("person");         // "people"
    lucid::camelCase("user_id");        // "userId"
    // [end-snippet]
    EXPECT_EQ(lucid::snakeCase("avatarUrl"), "avatar_url");
    EXPECT_EQ(lucid::snakeCase("UserProfile"), "user_profile");
    EXPECT_EQ(lucid::pluralize("category"), "categories");
    EXPECT_EQ(lucid::pluralize("person"), "people");
    EXPECT_EQ(lucid::pluralize("child"), "children");
    EXPECT_EQ(lucid::pluralize("status"), "statuses");
    EXPECT_EQ(lucid::pluralize("user_profile"), "user_profiles");
    EXPECT_EQ(lucid::camelCase("user_id"), "userId");

    LegacyMember member;
    member.login = "ada";
    member.save();
    EXPECT_GT(member.id, 0);
    EXPECT_EQ(db->from("tbl_members").first()->get<std::string>("usr_login"), "ada");
    Invoice invoice = Invoice::create({.totalCents = 1250});
    EXPECT_EQ(invoice.serialize()["total_cents"], 1250);
    EXPECT_EQ(db->from("invoice").first()->get<int64_t>("total_cents"), 1250);
}

TEST_P(ModelsGuide, NamedConnection) {
    // [snippet:connection-config]
    lucid::Database app{lucid::DatabaseConfig{
        .connection = "primary",
        .connections = {{"primary", {.url = GetParam()}}, {"audit", {.url = "sqlite::memory:"}}}}};
    lucid::useDatabase(app);
    // [end-snippet]
    app.connection("audit").schema().createTable("audit_entries", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.string("action");
    });
    // [snippet:connection-use]
    AuditEntry::create({.action = "login"});                  // on "audit"
    auto entries = AuditEntry::query().where(&AuditEntry::action, "login").all();
    // [end-snippet]
    EXPECT_EQ(entries.size(), 1u);
    EXPECT_EQ(app.connection("audit").from("audit_entries").count(), 1);
    EXPECT_FALSE(app.schema().hasTable("audit_entries"));
    lucid::useDatabase(*db);
}

TEST_P(ModelsGuide, FieldTypesAndPrepareConsume) {
    // [snippet:prepare-consume-use]
    Product book = Product::create({.name = "Book", .price = 12.34});
    // stored as price_cents = 1234, read back as 12.34
    // [end-snippet]
    EXPECT_EQ(db->from("products").first()->get<int64_t>("price_cents"), 1234);
    Product back = Product::findOrFail(book.id);
    EXPECT_DOUBLE_EQ(back.price, 12.34);
    EXPECT_FALSE(back.isDirty());
    EXPECT_FALSE(book.isDirty());

    Reading r;
    r.valid = true;
    r.sensor = 65535;
    r.celsius = 21.5f;
    r.humidity = 0.1 + 0.2;
    r.label = "kitchen";
    r.raw = lucid::Blob{std::byte{0}, std::byte{1}, std::byte{255}};
    r.takenAt = std::chrono::sys_days{std::chrono::year{2024} / 3 / 5} + std::chrono::hours{12} + std::chrono::microseconds{123456};
    r.tags = nlohmann::json{{"room", "kitchen"}, {"floors", {0, 1}}};
    r.save();
    Reading again = Reading::findOrFail(r.id);
    EXPECT_TRUE(again.valid);
    EXPECT_EQ(again.sensor, 65535);
    EXPECT_FLOAT_EQ(again.celsius, 21.5f);
    EXPECT_DOUBLE_EQ(again.humidity, 0.1 + 0.2);
    EXPECT_EQ(again.raw, r.raw);
    EXPECT_EQ(again.takenAt, r.takenAt);
    EXPECT_EQ(again.tags, r.tags);
    EXPECT_EQ(again.note, std::nullopt);
    EXPECT_EQ(again.checkedAt, std::nullopt);
    EXPECT_EQ(again.serialize()["takenAt"], "2024-03-05T12:00:00.123456Z");
}

TEST_P(ModelsGuide, Crud) {
    // [snippet:create]
    User ada;
    ada.email = "ada@example.com";
    ada.password = "secret";
    ada.save();                                   // INSERT; ada.id, createdAt and updatedAt are set

    User bob = User::create({.email = "bob@example.com", .points = 5, .password = "secret"});
    std::vector<User> more = User::createMany({  // one transaction
        {.email = "cy@example.com", .password = "x"},
        {.email = "dee@example.com", .password = "x"},
    });
    // [end-snippet]
    EXPECT_TRUE(ada.isPersisted());
    EXPECT_GT(ada.id, 0);
    EXPECT_NE(ada.createdAt, lucid::DateTime{});
    EXPECT_EQ(ada.createdAt, ada.updatedAt);
    EXPECT_EQ(more.size(), 2u);
    EXPECT_GT(more[1].id, more[0].id);

    // [snippet:find]
    std::optional<User> maybe = User::find(ada.id);                  // by primary key; nullopt when missing
    User found = User::findOrFail(ada.id);                            // throws lucid::RowNotFound
    std::optional<User> byEmail = User::findBy(&User::email, "bob@example.com");
    User sameBob = User::findByOrFail("email", "bob@example.com");   // property or column name
    std::vector<User> some = User::findMany({ada.id, bob.id});        // newest (highest id) first
    std::optional<User> firstUser = User::first();
    User alsoFirst = User::firstOrFail();
    std::vector<User> everyone = User::all();                         // newest first, as Lucid's all()
    lucid::ModelQuery<User> q = User::query();                        // see the model query builder guide
    // [end-snippet]
    ASSERT_TRUE(maybe);
    EXPECT_EQ(maybe->email, "ada@example.com");
    EXPECT_EQ(found.id, ada.id);
    EXPECT_EQ(byEmail->id, bob.id);
    EXPECT_EQ(sameBob.id, bob.id);
    ASSERT_EQ(some.size(), 2u);
    EXPECT_EQ(some[0].id, bob.id);
    EXPECT_TRUE(firstUser);
    EXPECT_EQ(alsoFirst.id, firstUser->id);
    ASSERT_EQ(everyone.size(), 4u);
    EXPECT_EQ(everyone[0].id, more[1].id);
    EXPECT_EQ(q.count(), 4);
    EXPECT_FALSE(User::find(999999));
    EXPECT_THROW(User::findOrFail(999999), lucid::RowNotFound);

    // [snippet:first-or]
    // search, then the extra attributes used only when nothing matched
    User fresh = User::firstOrNew({{"email", "eve@example.com"}}, {{"password", "x"}});      // not saved
    User eve = User::firstOrCreate({{"email", "eve@example.com"}}, {{"password", "x"}});     // inserted
    User same = User::firstOrCreate({{"email", "eve@example.com"}}, {{"points", 99}});       // found: unchanged
    User updated = User::updateOrCreate({{"email", "eve@example.com"}}, {{"points", 7}});    // found: updated
    // [end-snippet]
    EXPECT_FALSE(fresh.isPersisted());
    EXPECT_TRUE(fresh.isLocal());
    EXPECT_EQ(fresh.email, "eve@example.com");
    EXPECT_TRUE(eve.isPersisted());
    EXPECT_EQ(same.id, eve.id);
    EXPECT_EQ(same.points, 0);
    EXPECT_EQ(updated.id, eve.id);
    EXPECT_EQ(User::findOrFail(eve.id).points, 7);

    // [snippet:update]
    User user = User::findOrFail(bob.id);
    user.points += 10;
    user.save();                 // UPDATE of the changed columns (and updatedAt)
    // [end-snippet]
    EXPECT_EQ(User::findOrFail(bob.id).points, 15);
    EXPECT_GE(user.updatedAt, user.createdAt);

    // [snippet:remove]
    user.remove();               // DELETE
    bool gone = user.isDeleted();   // true; user.save() now throws lucid::Error
    // [end-snippet]
    EXPECT_TRUE(gone);
    EXPECT_THROW(user.save(), lucid::Error);
    EXPECT_FALSE(User::find(bob.id));

    // [snippet:refresh]
    db->from("users").where("id", ada.id).update({{"points", 42}});   // changed behind the model's back
    ada.refresh();                                                     // re-selects the row: ada.points == 42
    // [end-snippet]
    EXPECT_EQ(ada.points, 42);
    EXPECT_FALSE(ada.isDirty());
}

TEST_P(ModelsGuide, EveryStaticCallTakesAClient) {
    User::create({.email = "ada@example.com", .password = "x"});
    lucid::Database& database = *db;
    database.transaction([](lucid::Transaction& trx) {
        // [snippet:with-client]
        User a = User::create({.email = "a@example.com", .password = "x"}, trx);
        std::vector<User> bc = User::createMany({{.email = "b@example.com", .password = "x"},
                                                 {.email = "c@example.com", .password = "x"}}, trx);
        std::optional<User> f = User::find(a.id, trx);
        User g = User::findOrFail(a.id, trx);
        std::optional<User> h = User::findBy(&User::email, "b@example.com", trx);
        User i = User::findByOrFail(&User::email, "c@example.com", trx);
        std::vector<User> j = User::findMany({a.id, bc[0].id}, trx);
        std::optional<User> k = User::first(trx);
        User l = User::firstOrFail(trx);
        std::vector<User> all = User::all(trx);
        User n = User::firstOrNew({{"email", "d@example.com"}}, {{"password", "x"}}, trx);
        User o = User::firstOrCreate({{"email", "d@example.com"}}, {{"password", "x"}}, trx);
        User p = User::updateOrCreate({{"email", "d@example.com"}}, {{"points", 3}}, trx);
        int64_t count = User::query(trx).count();
        // [end-snippet]
        EXPECT_TRUE(f);
        EXPECT_EQ(g.id, a.id);
        EXPECT_EQ(h->id, bc[0].id);
        EXPECT_EQ(i.id, bc[1].id);
        EXPECT_EQ(j.size(), 2u);
        EXPECT_TRUE(k);
        EXPECT_TRUE(l.isPersisted());
        EXPECT_EQ(all.size(), 4u);
        EXPECT_FALSE(n.isPersisted());
        EXPECT_EQ(o.id, p.id);
        EXPECT_EQ(count, 5);
        trx.rollback();
    });
    EXPECT_EQ(User::query().count(), 1);
    // a connection is a client too
    EXPECT_TRUE(User::findBy(&User::email, "ada@example.com", database.connection("primary")));
}

TEST_P(ModelsGuide, DirtyTracking) {
    User created = User::create({.email = "ada@example.com", .points = 1, .password = "x"});
    lucid_test::QueryCounter counter(*db);
    // [snippet:dirty]
    User user = User::findOrFail(created.id);
    user.isDirty();                            // false: as read
    user.points = 10;
    user.fullName = "Ada Lovelace";
    bool dirty = user.isDirty();               // true
    lucid::Attributes changes = user.dirty();  // {{"fullName", "Ada Lovelace"}, {"points", 10}}
    lucid::Attributes before = user.original(); // the row as read: points 1, fullName null, ...
    user.save();      // update "users" set "full_name" = ?, "points" = ?, "updated_at" = ? where "id" = ?
    user.save();      // nothing is dirty: no query at all
    // [end-snippet]
    EXPECT_TRUE(dirty);
    ASSERT_EQ(changes.size(), 2u);
    EXPECT_EQ(changes[0].first, "fullName");
    EXPECT_EQ(changes[1].first, "points");
    EXPECT_EQ(changes[1].second.as<int64_t>(), 10);
    EXPECT_EQ(attribute(before, "points").as<int64_t>(), 1);
    EXPECT_TRUE(attribute(before, "fullName").isNull());
    ASSERT_EQ(counter.count, 2);  // the select, then one update
    const std::string& update = counter.sqls[1];
    if (!isPostgres()) {
        EXPECT_EQ(update, R"(update "users" set "full_name" = ?, "points" = ?, "updated_at" = ? where "id" = ?)");
    }
    EXPECT_NE(update.find("\"full_name\""), std::string::npos) << update;
    EXPECT_NE(update.find("\"points\""), std::string::npos) << update;
    EXPECT_NE(update.find("\"updated_at\""), std::string::npos) << update;
    EXPECT_EQ(update.find("\"email\""), std::string::npos) << update;
    EXPECT_FALSE(user.isDirty());

    User local;
    local.email = "new@example.com";
    EXPECT_TRUE(local.isDirty());   // a local model: every set column is dirty
    EXPECT_TRUE(has(local.dirty(), "email"));
    EXPECT_FALSE(has(local.dirty(), "id"));
}

TEST_P(ModelsGuide, AutoTimestamps) {
    // [snippet:timestamps]
    User user = User::create({.email = "ada@example.com", .password = "x"});   // createdAt = updatedAt = now
    user.points = 1;
    user.save();                              // updatedAt = now again; createdAt unchanged

    User imported;
    imported.email = "old@example.com";
    imported.password = "x";
    imported.createdAt = std::chrono::sys_days{std::chrono::year{2020} / 1 / 2};   // set: kept as it is
    imported.save();
    // [end-snippet]
    EXPECT_GE(user.updatedAt, user.createdAt);
    EXPECT_EQ(User::findOrFail(user.id).updatedAt, user.updatedAt);
    EXPECT_EQ(User::findOrFail(imported.id).createdAt, lucid::DateTime{std::chrono::sys_days{std::chrono::year{2020} / 1 / 2}});
    EXPECT_NE(imported.updatedAt, lucid::DateTime{});
}

TEST_P(ModelsGuide, Hooks) {
    // [snippet:hooks-order]
    Account account;
    account.email = "Ada@Example.com";
    account.password = "secret";
    account.save();     // beforeCreate, beforeSave, INSERT, afterCreate, afterSave
    account.email = "ada@example.org";
    account.save();     // beforeUpdate, beforeSave, UPDATE, afterUpdate, afterSave
    account.save();     // beforeUpdate, beforeSave; nothing dirty: no UPDATE, no after-hooks
    std::optional<Account> found = Account::find(account.id);   // afterFind
    std::vector<Account> all = Account::query().all();          // afterFetch
    account.remove();   // beforeDelete, DELETE, afterDelete
    // [end-snippet]
    EXPECT_EQ(hookLog, (std::vector<std::string>{"beforeCreate", "beforeSave", "afterCreate", "afterSave",   //
                                                 "beforeUpdate", "beforeSave", "afterUpdate", "afterSave",   //
                                                 "beforeUpdate", "beforeSave",                               //
                                                 "afterFind", "afterFetch 1", "beforeDelete", "afterDelete"}));
    ASSERT_TRUE(found);
    EXPECT_EQ(found->email, "ada@example.org");
    EXPECT_EQ(found->password, "hashed:secret");   // hashed once: the update left the password alone
    EXPECT_EQ(all.size(), 1u);

    // [snippet:hooks-abort]
    Account bad;
    bad.email = "not an email";
    bad.password = "x";
    try {
        bad.save();                 // beforeSave throws: no INSERT
    } catch (const std::invalid_argument& e) {
        // e.what() == "not an email: not an email"
    }

    Account bounced;
    bounced.email = "ada@bounce.test";
    bounced.password = "x";
    try {
        bounced.save();             // INSERT, then afterCreate throws: the INSERT is rolled back
    } catch (const std::runtime_error& e) {
        // bounced.isPersisted() == false, bounced.id == 0, and the table has no such row
    }
    // [end-snippet]
    EXPECT_FALSE(bad.isPersisted());
    EXPECT_FALSE(bounced.isPersisted());
    EXPECT_EQ(bounced.id, 0);
    EXPECT_EQ(db->from("accounts").count(), 0);
    EXPECT_THROW(bad.save(), std::invalid_argument);
    EXPECT_THROW(bounced.save(), std::runtime_error);
    EXPECT_EQ(db->from("accounts").count(), 0);
}

TEST_P(ModelsGuide, Serialization) {
    // [snippet:serialize]
    User user = User::create({.email = "ada@example.com", .fullName = "Ada", .points = 3, .password = "secret"});
    nlohmann::json j = user.serialize();   // the same as user.toJSON()
    // {"id": 1, "email": "ada@example.com", "name": "Ada", "points": 3, "isActive": false,
    //  "createdAt": "2024-03-05T12:34:56.123456Z", "updatedAt": "2024-03-05T12:34:56.123456Z"}
    // no "password" (hidden); "fullName" is serialized as "name"
    // [end-snippet]
    EXPECT_EQ(j, user.toJSON());
    EXPECT_EQ(j["id"], user.id);
    EXPECT_EQ(j["email"], "ada@example.com");
    EXPECT_EQ(j["name"], "Ada");
    EXPECT_EQ(j["points"], 3);
    EXPECT_EQ(j["isActive"], false);
    EXPECT_FALSE(j.contains("password"));
    EXPECT_FALSE(j.contains("fullName"));
    EXPECT_EQ(j.size(), 7u);
    const std::string created = j["createdAt"];
    EXPECT_EQ(created.size(), 27u);
    EXPECT_EQ(created[10], 'T');
    EXPECT_EQ(created[19], '.');
    EXPECT_EQ(created.back(), 'Z');

    // [snippet:extras]
    User withLength = User::query().select("users.*").selectRaw("length(email) as email_length").firstOrFail();
    // withLength.extras() == {{"email_length", 15}}: a column that is no property of User
    nlohmann::json plain = withLength.serialize();   // no "email_length" in it
    // [end-snippet]
    ASSERT_EQ(withLength.extras().size(), 1u);
    EXPECT_EQ(withLength.extras()[0].first, "email_length");
    EXPECT_EQ(withLength.extras()[0].second.as<int64_t>(), 15);
    EXPECT_FALSE(plain.contains("email_length"));
    EXPECT_FALSE(plain.contains("meta"));

    // [snippet:serialize-extras-use]
    RankedUser ranked = RankedUser::query()
                            .select(&RankedUser::id, &RankedUser::email, &RankedUser::points)
                            .selectRaw("rank() over (order by points desc) as rank")
                            .firstOrFail();
    nlohmann::json withMeta = ranked.serialize();
    // {"id": 1, "email": "ada@example.com", "points": 3, "meta": {"rank": 1}}
    // [end-snippet]
    EXPECT_EQ(withMeta["meta"]["rank"], 1);
    EXPECT_EQ(withMeta["points"], 3);
}

TEST_P(ModelsGuide, MergeAndFill) {
    // [snippet:merge-fill]
    User user = User::create({.email = "ada@example.com", .points = 3, .password = "x"});
    user.merge({{"fullName", "Ada Lovelace"}, {"isActive", true}});   // sets these, keeps the rest
    user.save();

    // resets every field but a saved model's primary key to the struct's default, then merges
    user.fill({{"email", "ada@example.org"}, {"password", "y"}});
    // user.points == 0, user.fullName == nullopt, user.isActive == false
    user.save();
    // [end-snippet]
    EXPECT_GT(user.id, 0);
    EXPECT_EQ(db->from("users").where("id", user.id).count(), 1);
    EXPECT_EQ(db->from("users").count(), 1);
    EXPECT_EQ(user.points, 0);
    EXPECT_EQ(user.fullName, std::nullopt);
    EXPECT_FALSE(user.isActive);
    EXPECT_TRUE(user.isPersisted());
    User back = User::findOrFail(user.id);
    EXPECT_EQ(back.email, "ada@example.org");
    EXPECT_EQ(back.points, 0);

    // [snippet:merge-json]
    nlohmann::json body = nlohmann::json::parse(R"({"name": "Ada", "points": 12, "isActive": true})");
    user.merge(body);      // keys: property names or serialized names ("name" is fullName)
    // [end-snippet]
    EXPECT_EQ(user.fullName, "Ada");
    EXPECT_EQ(user.points, 12);
    EXPECT_TRUE(user.isActive);
    user.fill(nlohmann::json{{"email", "x@example.com"}});
    EXPECT_EQ(user.points, 0);
    EXPECT_EQ(user.email, "x@example.com");

    // [snippet:merge-unknown]
    try {
        user.merge({{"nickname", "ada"}});
    } catch (const lucid::Error& e) {
        // Cannot define "nickname" on "User" model, since it is not defined as a model property
    }
    // [end-snippet]
    try {
        user.merge({{"nickname", "ada"}});
        ADD_FAILURE();
    } catch (const lucid::Error& e) {
        EXPECT_EQ(std::string(e.what()), "Cannot define \"nickname\" on \"User\" model, since it is not defined as a model property");
    }
}

TEST_P(ModelsGuide, Transactions) {
    lucid::Database& db = *this->db;
    User::create({.email = "ada@example.com", .password = "x"});
    // [snippet:trx-fetched]
    db.transaction([](lucid::Transaction& trx) {
        User user = User::findByOrFail(&User::email, "ada@example.com", trx);
        user.points += 10;
        user.save();       // through trx: a model fetched in a transaction keeps it
        User::create({.email = "bob@example.com", .password = "x"}, trx);
    });                    // commit (a throw would roll back both writes)
    // [end-snippet]
    EXPECT_EQ(User::findByOrFail(&User::email, "ada@example.com").points, 10);
    EXPECT_EQ(User::query().count(), 2);

    // [snippet:use-transaction]
    lucid::Transaction trx = db.transaction();
    User cy;
    cy.email = "cy@example.com";
    cy.password = "x";
    cy.useTransaction(trx);
    cy.save();             // INSERT inside trx
    trx.commit();

    cy.points = 3;
    cy.save();             // trx has ended: the model is back on its connection
    // [end-snippet]
    EXPECT_EQ(User::findOrFail(cy.id).points, 3);

    lucid::Transaction rolled = db.transaction();
    User dee;
    dee.email = "dee@example.com";
    dee.password = "x";
    dee.useTransaction(rolled);
    dee.save();
    EXPECT_EQ(User::query(rolled).where(&User::email, "dee@example.com").count(), 1);
    rolled.rollback();
    EXPECT_EQ(User::query().where(&User::email, "dee@example.com").count(), 0);
}

TEST_P(ModelsGuide, Errors) {
    // [snippet:row-not-found]
    try {
        User::findOrFail(42);
    } catch (const lucid::RowNotFound& e) {
        // e.code() == "E_ROW_NOT_FOUND"
    }
    // [end-snippet]
    try {
        User::findOrFail(42);
        ADD_FAILURE();
    } catch (const lucid::RowNotFound& e) {
        EXPECT_EQ(e.code(), "E_ROW_NOT_FOUND");
    }

    // [snippet:definition-error-use]
    try {
        Draft::query();    // the first use builds and checks the definition
    } catch (const lucid::DefinitionError& e) {
        // e.what(): "Draft" model is missing a primary key: mark one column {.isPrimary = true}
        // e.code(): E_MISSING_PRIMARY_KEY; every later use of Draft throws it again
    }
    // [end-snippet]
    for (int i = 0; i < 2; ++i) {
        try {
            Draft::query();
            ADD_FAILURE();
        } catch (const lucid::DefinitionError& e) {
            EXPECT_EQ(std::string(e.what()), "\"Draft\" model is missing a primary key: mark one column {.isPrimary = true}");
            EXPECT_EQ(e.code(), "E_MISSING_PRIMARY_KEY");
        }
    }

    User user = User::create({.email = "ada@example.com", .password = "x"});
    // [snippet:type-error]
    try {
        user.merge({{"points", "lots"}});
    } catch (const lucid::TypeError& e) {
        // "User.points": cannot convert text value 'lots' to an integer
    }
    // [end-snippet]
    try {
        user.merge({{"points", "lots"}});
        ADD_FAILURE();
    } catch (const lucid::TypeError& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("\"User.points\""), std::string::npos) << msg;
        EXPECT_NE(msg.find("'lots'"), std::string::npos) << msg;
    }
    // a row value the field cannot hold, on reading
    if (isPostgres()) return;  // an integer column holds no such value on PostgreSQL
    db->from("users").update({{"points", int64_t{1} << 40}});
    try {
        User::findOrFail(user.id);
        ADD_FAILURE();
    } catch (const lucid::TypeError& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("User.points"), std::string::npos) << msg;
        EXPECT_NE(msg.find("1099511627776"), std::string::npos) << msg;
    }
}

LUCID_DB_TEST_SUITE(ModelsGuide);
