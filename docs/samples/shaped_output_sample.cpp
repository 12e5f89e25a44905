// The samples of docs/models.md (computed values, serialize functions, cherry-picking) and
// docs/model-query-builder.md (Page::baseUrl/toJSON): scripts/docs_snippets.py copies each snippet region
// into the guides, and the test suite runs it on SQLite and PostgreSQL.
#include "support/db_test.hpp"

#include <lucid/json.hpp>

#include <string>

namespace shaped_guide {

struct Author;

struct Book : lucid::BaseModel<Book> {
    int64_t id = 0;
    int64_t authorId = 0;
    std::string title;
    std::string blurb;
    lucid::BelongsTo<Author> author;
    static void define(lucid::ModelDefinition<Book>& m) {
        m.column(&Book::id, "id", {.isPrimary = true});
        m.column(&Book::authorId, "authorId");
        m.column(&Book::title, "title");
        m.column(&Book::blurb, "blurb");
        m.belongsTo(&Book::author, "author");
    }
};

// [snippet:computed]
struct Author : lucid::BaseModel<Author> {
    int64_t id = 0;
    std::string firstName;
    std::string lastName;
    int64_t priceCents = 0;
    lucid::HasMany<Book> books;

    static void define(lucid::ModelDefinition<Author>& m) {
        m.column(&Author::id, "id", {.isPrimary = true});
        m.column(&Author::firstName, "firstName");
        m.column(&Author::lastName, "lastName");
        // serialize: how the value appears in serialize(), under its serialized name ("price")
        m.column(&Author::priceCents, "priceCents", {.serializeAs = "price", .serialize = [](const lucid::Value& v) -> nlohmann::json {
                                                         const int64_t cents = v.as<int64_t>();
                                                         return std::to_string(cents / 100) + "." + (cents % 100 < 10 ? "0" : "") +
                                                                std::to_string(cents % 100);
                                                     }});
        // a value computed from the fields when serializing, after the columns
        m.computed("fullName", [](const Author& a) -> nlohmann::json { return a.firstName + " " + a.lastName; });
        m.hasMany(&Author::books, "books");
    }
};
// [end-snippet]

}  // namespace shaped_guide
using namespace shaped_guide;
using json = nlohmann::json;

class ShapedOutputGuide : public lucid_test::DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"books", "authors"});
        db->schema().createTable("authors", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.string("first_name");
            t.string("last_name");
            t.integer("price_cents");
        });
        db->schema().createTable("books", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.integer("author_id");
            t.string("title");
            t.string("blurb");
        });
        Author ada = Author::create({.firstName = "Ada", .lastName = "Lovelace", .priceCents = 1905});
        ada.related(&Author::books).create({.title = "Notes", .blurb = "On the engine"});
        for (const char* name : {"Alan", "Grace", "Edsger", "Barbara"}) Author::create({.firstName = name, .lastName = "X", .priceCents = 100});
    }
};

TEST_P(ShapedOutputGuide, ComputedAndSerialize) {
    // [snippet:computed-use]
    Author ada = Author::findOrFail(1);
    nlohmann::json j = ada.serialize();
    // {"id": 1, "firstName": "Ada", "lastName": "Lovelace", "price": "19.05", "fullName": "Ada Lovelace"}
    // [end-snippet]
    EXPECT_EQ(j, (json{{"id", 1}, {"firstName", "Ada"}, {"lastName", "Lovelace"}, {"price", "19.05"}, {"fullName", "Ada Lovelace"}}));
}

TEST_P(ShapedOutputGuide, CherryPick) {
    // [snippet:cherry-pick]
    Author ada = Author::query()
                     .where(&Author::id, 1)
                     .preload(&Author::books, [](lucid::ModelQuery<Book>& q) { q.preload(&Book::author); })
                     .firstOrFail();
    nlohmann::json j = ada.serialize({
        .fields = {.pick = {"id", "fullName", "price"}, .omit = {"price"}},   // omit wins over pick
        .relations = {{"books", {.fields = {.omit = {"blurb", "authorId"}},
                                 .relations = {{"author", {.fields = {.pick = {"fullName"}}}}}}}},
    });
    // {"id": 1, "fullName": "Ada Lovelace",
    //  "books": [{"id": 1, "title": "Notes", "author": {"fullName": "Ada Lovelace"}}]}
    // [end-snippet]
    EXPECT_EQ(j, (json{{"id", 1},
                       {"fullName", "Ada Lovelace"},
                       {"books", {{{"id", 1}, {"title", "Notes"}, {"author", {{"fullName", "Ada Lovelace"}}}}}}}));
}

TEST_P(ShapedOutputGuide, PageToJson) {
    // [snippet:page-json]
    lucid::Page<Author> page = Author::query().orderBy(&Author::id).paginate(2, 2);
    page.baseUrl("/authors");
    nlohmann::json j = page.toJSON();
    // {"meta": {"total": 5, "perPage": 2, "currentPage": 2, "lastPage": 3, "firstPage": 1,
    //           "firstPageUrl": "/authors?page=1", "lastPageUrl": "/authors?page=3",
    //           "nextPageUrl": "/authors?page=3", "previousPageUrl": "/authors?page=1"},
    //  "data": [{"id": 3, "firstName": "Grace", ...}, {"id": 4, "firstName": "Edsger", ...}]}
    // [end-snippet]
    EXPECT_EQ(j["meta"], (json{{"total", 5},
                               {"perPage", 2},
                               {"currentPage", 2},
                               {"lastPage", 3},
                               {"firstPage", 1},
                               {"firstPageUrl", "/authors?page=1"},
                               {"lastPageUrl", "/authors?page=3"},
                               {"nextPageUrl", "/authors?page=3"},
                               {"previousPageUrl", "/authors?page=1"}}));
    ASSERT_EQ(j["data"].size(), 2u);
    EXPECT_EQ(j["data"][0], page.items()[0].serialize());
    EXPECT_EQ(j["data"][1]["firstName"], "Edsger");
    // [snippet:page-json-default]
    nlohmann::json meta = Author::query().where(&Author::id, ">", 100).paginate(1, 2).toJSON()["meta"];
    // no rows: {"total": 0, "perPage": 2, "currentPage": 1, "lastPage": 1, "firstPage": 1,
    //           "firstPageUrl": "/?page=1", "lastPageUrl": "/?page=1", "nextPageUrl": null, "previousPageUrl": null}
    // [end-snippet]
    EXPECT_EQ(meta["lastPage"], 1);
    EXPECT_EQ(meta["firstPageUrl"], "/?page=1");
    EXPECT_EQ(meta["lastPageUrl"], "/?page=1");
    EXPECT_EQ(meta["nextPageUrl"], nullptr);
    EXPECT_EQ(meta["previousPageUrl"], nullptr);
}

INSTANTIATE_TEST_SUITE_P(Databases, ShapedOutputGuide, ::testing::ValuesIn(lucid_test::databaseUrls()), lucid_test::databaseName);
