// Shaped output (API.md §13): computed values, ColumnOptions::serialize, serialize(SerializeOptions) with
// Lucid's cherry-picking through every relation kind, and Page::baseUrl/toJSON in Lucid's paginator shape.
#include "support/db_test.hpp"

#include <lucid/json.hpp>

using namespace lucid;
using lucid_test::DbTest;
using json = nlohmann::json;

namespace shaped {

struct Writer;
struct Article;

struct Remark : BaseModel<Remark> {
    int64_t id = 0;
    std::string body;
    std::string remarkableType;
    int64_t remarkableId = 0;
    MorphTo<Article> remarkable;
    static void define(ModelDefinition<Remark>& m) {
        m.column(&Remark::id, "id", {.isPrimary = true});
        m.column(&Remark::body, "body");
        m.column(&Remark::remarkableType, "remarkableType");
        m.column(&Remark::remarkableId, "remarkableId");
        m.morphTo(&Remark::remarkable, "remarkable");
    }
};

struct Article : BaseModel<Article> {
    int64_t id = 0;
    int64_t writerId = 0;
    std::string title;
    std::string body;
    BelongsTo<Writer> writer;
    MorphMany<Remark> remarks;
    static void define(ModelDefinition<Article>& m) {
        m.column(&Article::id, "id", {.isPrimary = true});
        m.column(&Article::writerId, "writerId");
        m.column(&Article::title, "title");
        m.column(&Article::body, "body");
        m.belongsTo(&Article::writer, "writer");
        m.morphMany(&Article::remarks, "remarks", {.morphName = "remarkable"});
    }
};

struct Profile : BaseModel<Profile> {
    int64_t id = 0;
    int64_t writerId = 0;
    std::string bio;
    static void define(ModelDefinition<Profile>& m) {
        m.column(&Profile::id, "id", {.isPrimary = true});
        m.column(&Profile::writerId, "writerId");
        m.column(&Profile::bio, "bio");
    }
};

// serializeExtras: a many-to-many row's pivot columns appear under "meta"
struct Badge : BaseModel<Badge> {
    int64_t id = 0;
    std::string name;
    static void define(ModelDefinition<Badge>& m) {
        m.column(&Badge::id, "id", {.isPrimary = true});
        m.column(&Badge::name, "name");
        m.serializeExtras();
    }
};

struct Writer : BaseModel<Writer> {
    int64_t id = 0;
    std::string firstName;
    std::string lastName;
    std::string email;
    std::string secret;
    int64_t points = 0;
    HasMany<Article> articles;
    HasOne<Profile> profile;
    ManyToMany<Badge> badges;
    HasMany<Article> drafts;
    static void define(ModelDefinition<Writer>& m) {
        m.column(&Writer::id, "id", {.isPrimary = true});
        m.column(&Writer::firstName, "firstName", {.serializeAs = "givenName"});
        m.column(&Writer::lastName, "lastName");
        m.column(&Writer::email, "email");
        m.column(&Writer::secret, "secret", {.hidden = true});
        m.column(&Writer::points, "points", {.serializeAs = "score", .serialize = [](const Value& v) -> json {
                                                 return std::to_string(v.as<int64_t>()) + " pts";
                                             }});
        m.computed("fullName", [](const Writer& w) -> json { return w.firstName + " " + w.lastName; });
        m.hasMany(&Writer::articles, "articles");
        m.hasOne(&Writer::profile, "profile", {.serializeAs = "about"});
        m.manyToMany(&Writer::badges, "badges", {.pivotTable = "badge_writer", .pivotColumns = {"level"}});
        m.hasMany(&Writer::drafts, "drafts", {.hidden = true});
    }
};

// A naming strategy's serialized name applies to computed values as to columns.
struct SnakeNames : NamingStrategy {
    std::string serializedName(std::string_view, std::string_view property) const override {
        std::string out;
        for (char c : property) {
            if (std::isupper(static_cast<unsigned char>(c))) out += '_', out += static_cast<char>(std::tolower(c));
            else out += c;
        }
        return out;
    }
};
struct SnakeWriter : BaseModel<SnakeWriter> {
    int64_t id = 0;
    std::string firstName;
    static void define(ModelDefinition<SnakeWriter>& m) {
        m.table("writers");
        m.namingStrategy(SnakeNames{});
        m.column(&SnakeWriter::id, "id", {.isPrimary = true});
        m.column(&SnakeWriter::firstName, "firstName");
        m.computed("shoutedName", [](const SnakeWriter& w) -> json { return w.firstName + "!"; });
    }
};

}  // namespace shaped
using namespace shaped;

namespace {
const bool aliased = (morphMap<Article>("article"), true);
}  // namespace

class SerializeTest : public DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        ASSERT_TRUE(aliased);
        dropTables({"remarks", "badge_writer", "badges", "profiles", "articles", "writers"});
        auto s = db->schema();
        s.createTable("writers", [](TableBuilder& t) {
            t.increments("id");
            t.string("first_name");
            t.string("last_name");
            t.string("email");
            t.string("secret");
            t.integer("points");
        });
        s.createTable("articles", [](TableBuilder& t) {
            t.increments("id");
            t.integer("writer_id");
            t.string("title");
            t.string("body");
        });
        s.createTable("profiles", [](TableBuilder& t) {
            t.increments("id");
            t.integer("writer_id");
            t.string("bio");
        });
        s.createTable("badges", [](TableBuilder& t) {
            t.increments("id");
            t.string("name");
        });
        s.createTable("badge_writer", [](TableBuilder& t) {
            t.integer("badge_id");
            t.integer("writer_id");
            t.string("level");
        });
        s.createTable("remarks", [](TableBuilder& t) {
            t.increments("id");
            t.string("body");
            t.string("remarkable_type");
            t.integer("remarkable_id");
        });
    }

    // Writer 1 (Ada Lovelace) with two articles (the first with one remark), a profile and a badge;
    // rows written by raw SQL.
    void seed() {
        db->rawQuery("insert into writers (first_name, last_name, email, secret, points) values "
                     "('Ada', 'Lovelace', 'ada@x.io', 's1', 7), ('Alan', 'Turing', 'alan@x.io', 's2', 3)");
        db->rawQuery("insert into articles (writer_id, title, body) values (1, 'Notes', 'long text'), (1, 'Engine', 'more text')");
        db->rawQuery("insert into remarks (body, remarkable_type, remarkable_id) values ('nice', 'article', 1)");
        db->rawQuery("insert into profiles (writer_id, bio) values (1, 'mathematician')");
        db->rawQuery("insert into badges (name) values ('pioneer'), ('poet')");
        db->rawQuery("insert into badge_writer (badge_id, writer_id, level) values (1, 1, 'gold')");
    }
    Writer loadedAda() {
        return Writer::query()
            .where(&Writer::id, 1)
            .preload(&Writer::articles,
                     [](ModelQuery<Article>& q) { q.orderBy(&Article::id).preload(&Article::writer).preload(&Article::remarks); })
            .preload(&Writer::profile)
            .preload(&Writer::badges)
            .preload(&Writer::drafts)
            .firstOrFail();
    }
};

const json adaFields = {{"id", 1}, {"givenName", "Ada"}, {"lastName", "Lovelace"}, {"email", "ada@x.io"}, {"score", "7 pts"},
                        {"fullName", "Ada Lovelace"}};

// m.computed and ColumnOptions::serialize (after serializeAs); hidden columns stay out; toJSON() == serialize().
TEST_P(SerializeTest, ComputedAndColumnSerialize) {
    seed();
    Writer ada = Writer::findOrFail(1);
    EXPECT_EQ(ada.serialize(), adaFields);
    EXPECT_EQ(ada.toJSON(), adaFields);
    EXPECT_EQ(ada.serialize(SerializeOptions{}), adaFields);
    ada.lastName = "King";  // computed from the fields as they are now
    EXPECT_EQ(ada.serialize()["fullName"], "Ada King");
    SnakeWriter snake = SnakeWriter::findOrFail(2);
    EXPECT_EQ(snake.serialize(), (json{{"id", 2}, {"first_name", "Alan"}, {"shouted_name", "Alan!"}}));
    EXPECT_EQ(snake.serialize({.fields = {.pick = {"shouted_name"}}}), (json{{"shouted_name", "Alan!"}}));
}

// pick/omit by serialized name; omit wins; computed values pickable; hidden stays hidden.
TEST_P(SerializeTest, PickAndOmitFields) {
    seed();
    Writer ada = Writer::findOrFail(1);
    EXPECT_EQ(ada.serialize({.fields = {.pick = {"id", "email"}}}), (json{{"id", 1}, {"email", "ada@x.io"}}));
    EXPECT_EQ(ada.serialize({.fields = {.omit = {"email", "fullName"}}}),
              (json{{"id", 1}, {"givenName", "Ada"}, {"lastName", "Lovelace"}, {"score", "7 pts"}}));
    EXPECT_EQ(ada.serialize({.fields = {.pick = {"id", "email", "fullName"}, .omit = {"email"}}}),
              (json{{"id", 1}, {"fullName", "Ada Lovelace"}}));
    EXPECT_EQ(ada.serialize({.fields = {.pick = {"givenName", "score"}}}), (json{{"givenName", "Ada"}, {"score", "7 pts"}}));
    // the property name of a renamed column, and a hidden column, pick nothing
    EXPECT_EQ(ada.serialize({.fields = {.pick = {"firstName", "points", "secret"}}}), json::object());
}

// Every loaded relation nested; a hidden one left out; many-to-many pivot columns under the related "meta".
TEST_P(SerializeTest, LoadedRelationsInFull) {
    seed();
    const json remark = {{"id", 1}, {"body", "nice"}, {"remarkableType", "article"}, {"remarkableId", 1}};
    json writer = adaFields;
    json expected = adaFields;
    expected["articles"] = {
        {{"id", 1}, {"writerId", 1}, {"title", "Notes"}, {"body", "long text"}, {"writer", writer}, {"remarks", {remark}}},
        {{"id", 2}, {"writerId", 1}, {"title", "Engine"}, {"body", "more text"}, {"writer", writer}, {"remarks", json::array()}}};
    expected["about"] = {{"id", 1}, {"writerId", 1}, {"bio", "mathematician"}};
    expected["badges"] = {{{"id", 1},
                           {"name", "pioneer"},
                           {"meta", {{"pivot_badge_id", 1}, {"pivot_writer_id", 1}, {"pivot_level", "gold"}}}}};
    Writer ada = loadedAda();
    EXPECT_TRUE(ada.drafts.isLoaded());
    EXPECT_EQ(ada.serialize(), expected);
    EXPECT_EQ(ada.toJSON(), expected);
    // no profile: a loaded hasOne without a row is null
    Writer alan = Writer::query().where(&Writer::id, 2).preload(&Writer::profile).preload(&Writer::articles).firstOrFail();
    EXPECT_EQ(alan.serialize({.fields = {.pick = {"id"}}}), (json{{"id", 2}, {"about", nullptr}, {"articles", json::array()}}));
}

// Options per relation (by serialized name), recursing; relations not named serialize in full.
TEST_P(SerializeTest, CherryPickNestedRelations) {
    seed();
    Writer ada = loadedAda();
    json got = ada.serialize({.fields = {.pick = {"id", "fullName"}},
                              .relations = {{"articles",
                                             {.fields = {.omit = {"body", "writerId"}},
                                              .relations = {{"writer", {.fields = {.pick = {"givenName"}}}},
                                                            {"remarks", {.fields = {.pick = {"body"}}}}}}},
                                            {"about", {.fields = {.pick = {"bio"}}}},
                                            {"badges", {.fields = {.omit = {"id"}}}}}});
    json expected = {
        {"id", 1},
        {"fullName", "Ada Lovelace"},
        {"articles",
         {{{"id", 1}, {"title", "Notes"}, {"writer", {{"givenName", "Ada"}}}, {"remarks", {{{"body", "nice"}}}}},
          {{"id", 2}, {"title", "Engine"}, {"writer", {{"givenName", "Ada"}}}, {"remarks", json::array()}}}},
        {"about", {{"bio", "mathematician"}}},
        {"badges", {{{"name", "pioneer"}, {"meta", {{"pivot_badge_id", 1}, {"pivot_writer_id", 1}, {"pivot_level", "gold"}}}}}}};
    EXPECT_EQ(got, expected);
    // a relation named by its property, not its serializeAs, is not matched: "profile" serializes in full
    json byProperty = ada.serialize({.fields = {.pick = {"id"}}, .relations = {{"profile", {.fields = {.pick = {"bio"}}}}}});
    EXPECT_EQ(byProperty["about"], (json{{"id", 1}, {"writerId", 1}, {"bio", "mathematician"}}));
    // fields of the parent do not remove its relations (Lucid picks relations only through `relations`)
    json onlyId = ada.serialize({.fields = {.pick = {"id"}}, .relations = {{"articles", {.fields = {.pick = {"id"}}}}}});
    EXPECT_EQ(onlyId["articles"], (json{{{"id", 1}, {"writer", adaFields}, {"remarks", {{{"id", 1}, {"body", "nice"}, {"remarkableType", "article"}, {"remarkableId", 1}}}}},
                                        {{"id", 2}, {"writer", adaFields}, {"remarks", json::array()}}}));
}

// morphTo: the related model's own fields and computed values, picked through the relation's name.
TEST_P(SerializeTest, CherryPickPolymorphic) {
    seed();
    Remark r = Remark::query().preload(&Remark::remarkable, [](ModelQuery<Article>& q) { q.preload(&Article::writer); }).firstOrFail();
    EXPECT_EQ(r.serialize({.fields = {.omit = {"remarkableType", "remarkableId"}},
                           .relations = {{"remarkable",
                                          {.fields = {.pick = {"title"}}, .relations = {{"writer", {.fields = {.pick = {"fullName"}}}}}}}}}),
              (json{{"id", 1}, {"body", "nice"}, {"remarkable", {{"title", "Notes"}, {"writer", {{"fullName", "Ada Lovelace"}}}}}}));
}

// Page::toJSON: Lucid's meta keys, URLs "<base>?page=N", null where there is none; rows serialized.
TEST_P(SerializeTest, PageToJson) {
    for (int i = 1; i <= 5; ++i)
        db->rawQuery("insert into writers (first_name, last_name, email, secret, points) values (?, 'L', 'e', 's', ?)",
                     {"W" + std::to_string(i), i});
    Page<Writer> page = Writer::query().orderBy(&Writer::id).paginate(2, 2);
    page.baseUrl("/writers");
    json j = page.toJSON();
    EXPECT_EQ(j["meta"], (json{{"total", 5},
                               {"perPage", 2},
                               {"currentPage", 2},
                               {"lastPage", 3},
                               {"firstPage", 1},
                               {"firstPageUrl", "/writers?page=1"},
                               {"lastPageUrl", "/writers?page=3"},
                               {"nextPageUrl", "/writers?page=3"},
                               {"previousPageUrl", "/writers?page=1"}}));
    ASSERT_EQ(j["data"].size(), 2u);
    EXPECT_EQ(j["data"][0], (json{{"id", 3}, {"givenName", "W3"}, {"lastName", "L"}, {"email", "e"}, {"score", "3 pts"}, {"fullName", "W3 L"}}));
    EXPECT_EQ(j["data"][1], page.items()[1].serialize());
    EXPECT_EQ(j.size(), 2u);

    // without baseUrl: "/"; the first page has no previous page, the last no next
    json first = Writer::query().orderBy(&Writer::id).paginate(1, 2).toJSON()["meta"];
    EXPECT_EQ(first["firstPageUrl"], "/?page=1");
    EXPECT_EQ(first["nextPageUrl"], "/?page=2");
    EXPECT_EQ(first["previousPageUrl"], nullptr);
    json last = Writer::query().orderBy(&Writer::id).paginate(3, 2).toJSON();
    EXPECT_EQ(last["meta"]["nextPageUrl"], nullptr);
    EXPECT_EQ(last["meta"]["previousPageUrl"], "/?page=2");
    EXPECT_EQ(last["data"].size(), 1u);
    // past the last page: empty data, links still computed from the page asked for
    json past = Writer::query().paginate(5, 2).toJSON();
    EXPECT_EQ(past["data"], json::array());
    EXPECT_EQ(past["meta"]["previousPageUrl"], "/?page=4");
    EXPECT_EQ(past["meta"]["nextPageUrl"], nullptr);
}

TEST_P(SerializeTest, EmptyPageToJson) {
    Page<Writer> page = Writer::query().paginate(1, 10);
    page.baseUrl("/writers");
    EXPECT_EQ(page.toJSON(), (json{{"meta",
                                    {{"total", 0},
                                     {"perPage", 10},
                                     {"currentPage", 1},
                                     {"lastPage", 1},
                                     {"firstPage", 1},
                                     {"firstPageUrl", "/writers?page=1"},
                                     {"lastPageUrl", "/writers?page=1"},
                                     {"nextPageUrl", nullptr},
                                     {"previousPageUrl", nullptr}}},
                                   {"data", json::array()}}));
}

// A database query's page: each row an object of its columns.
TEST_P(SerializeTest, RowPageToJson) {
    seed();
    Page<Row> page = db->from("profiles").select("id", "bio").paginate(1, 5);
    EXPECT_EQ(page.baseUrl("/p").toJSON()["data"], (json{{{"id", 1}, {"bio", "mathematician"}}}));
    EXPECT_EQ(page.toJSON()["meta"]["lastPageUrl"], "/p?page=1");
}

INSTANTIATE_TEST_SUITE_P(Databases, SerializeTest, ::testing::ValuesIn(lucid_test::databaseUrls()), lucid_test::databaseName);
