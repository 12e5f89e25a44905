// Subqueries, set operations and common table expressions (API.md §12), on both databases: results
// compared with what the same SQL written by hand returns, bindings of inner queries kept in order.
#include "support/db_test.hpp"

using namespace lucid;
using lucid_test::DbTest;

namespace sub {
struct Book : BaseModel<Book> {
    int64_t id = 0;
    int64_t authorId = 0;
    int64_t points = 0;
    static void define(ModelDefinition<Book>& m) {
        m.column(&Book::id, "id", {.isPrimary = true});
        m.column(&Book::authorId, "authorId");
        m.column(&Book::points, "points");
    }
};
struct Author : BaseModel<Author> {
    int64_t id = 0;
    std::string email;
    int64_t points = 0;
    HasMany<Book> books;
    static void define(ModelDefinition<Author>& m) {
        m.column(&Author::id, "id", {.isPrimary = true});
        m.column(&Author::email, "email");
        m.column(&Author::points, "points");
        m.hasMany(&Author::books, "books");
    }
};
}  // namespace sub
using sub::Author;
using sub::Book;

class SubqueryTest : public DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"books", "authors", "editors", "shelves"});
        auto s = db->schema();
        s.createTable("authors", [](TableBuilder& t) {
            t.increments("id");
            t.string("email");
            t.integer("points").defaultTo(0);
        });
        s.createTable("books", [](TableBuilder& t) {
            t.increments("id");
            t.integer("author_id");
            t.integer("points");
        });
        s.createTable("editors", [](TableBuilder& t) {
            t.increments("id");
            t.string("email");
        });
        s.createTable("shelves", [](TableBuilder& t) {
            t.increments("id");
            t.integer("parent_id").nullable();
            t.string("name");
        });
        // authors 1..4 with 10, 20, 30, 40 points; books: author 1 (5, 12), author 2 (3), author 3 (20)
        for (int i = 1; i <= 4; ++i) db->table("authors").insert({{"email", "a" + std::to_string(i) + "@x.com"}, {"points", i * 10}});
        for (auto [a, p] : std::vector<std::pair<int, int>>{{1, 5}, {1, 12}, {2, 3}, {3, 20}})
            db->table("books").insert({{"author_id", a}, {"points", p}});
        db->table("editors").insert({{"email", "a1@x.com"}});
        db->table("editors").insert({{"email", "e@x.com"}});
    }
    static std::vector<int64_t> ids(const std::vector<Author>& authors) {
        std::vector<int64_t> out;
        for (const Author& a : authors) out.push_back(a.id);
        return out;
    }
    std::vector<int64_t> ids(const Result& r, const char* column = "id") {
        std::vector<int64_t> out;
        for (std::size_t i = 0; i < r.size(); ++i) out.push_back(r[i].get<int64_t>(column));
        return out;
    }
};

TEST_P(SubqueryTest, WhereInAndExistsTakeQueries) {
    // bindings before, inside and after the subquery stay in order
    Result a = db->from("authors")
                   .where("points", ">=", 10)
                   .whereIn("id", db->from("books").select("author_id").where("points", ">", 10))
                   .where("email", "<>", "a3@x.com")
                   .orderBy("id")
                   .exec();
    EXPECT_EQ(ids(a), (std::vector<int64_t>{1}));
    EXPECT_EQ(ids(db->from("authors").whereNotIn("id", db->from("books").select("author_id")).exec()), (std::vector<int64_t>{4}));
    Result c = db->from("authors")
                   .whereExists(db->from("books").whereColumn("books.author_id", "=", "authors.id").where("books.points", ">", 4))
                   .orderBy("id")
                   .exec();
    EXPECT_EQ(ids(c), (std::vector<int64_t>{1, 3}));
    EXPECT_EQ(db->from("authors").whereNotExists(db->from("books").whereColumn("books.author_id", "=", "authors.id")).count(), 1);
    EXPECT_EQ(db->from("authors").where("id", 4).orWhereIn("id", db->from("books").select("author_id").where("points", 3)).count(), 2);
    // the model query takes them too, and a model query can be the subquery
    auto e = Author::query().whereIn(&Author::id, db->from("books").select("author_id")).orderBy(&Author::id).all();
    ASSERT_EQ(e.size(), 3u);
    EXPECT_EQ(e[2].id, 3);
    EXPECT_EQ(db->from("books").whereIn("author_id", Author::query().select(&Author::id).where(&Author::points, ">", 25)).count(), 1);
    // the same as SQL written by hand
    EXPECT_EQ(db->rawQuery("select id from authors where id in (select author_id from books where points > ?)", {4}).size(),
              static_cast<std::size_t>(db->from("authors").whereIn("id", db->from("books").select("author_id").where("points", ">", 4)).count()));
}

// The aggregate of a grouped or distinct query reads the column as that query selects it (found by the
// fuzzer: a table-qualified column was named by a table out of sight).
TEST_P(SubqueryTest, AggregatesOfQualifiedColumnsOfGroupedQueries) {
    auto grouped = db->from("books").select("books.author_id").groupBy("books.author_id");
    EXPECT_EQ(grouped.max("books.author_id").as<int64_t>(), 3);
    EXPECT_EQ(db->from("books").distinct().select("books.points").sum("books.points").as<int64_t>(), 40);
    EXPECT_EQ(db->from("books").distinct().select("books.author_id").count(), 3);
}

TEST_P(SubqueryTest, FromSubAndSelectSub) {
    EXPECT_EQ(db->fromSub(db->from("books").select("author_id").groupBy("author_id"), "active").count(), 3);
    Result rows = db->fromSub(db->from("books").select("author_id").where("points", ">", 4).groupBy("author_id"), "active")
                      .orderBy("author_id")
                      .exec();
    EXPECT_EQ(ids(rows, "author_id"), (std::vector<int64_t>{1, 3}));
    Result counted = db->from("authors")
                         .select("email")
                         .selectSub(db->from("books").selectRaw("count(*)").whereColumn("books.author_id", "=", "authors.id").where("points", ">", 4),
                                    "bookCount")
                         .where("points", "<", 40)
                         .orderBy("email")
                         .exec();
    ASSERT_EQ(counted.size(), 3u);
    EXPECT_EQ(counted[0].get<int64_t>("bookCount"), 2);
    EXPECT_EQ(counted[1].get<int64_t>("bookCount"), 0);
    EXPECT_EQ(counted[2].get<int64_t>("bookCount"), 1);
}

TEST_P(SubqueryTest, UnionsOrderAndLimitTheWholeSet) {
    Result u = db->from("authors").select("email").union_(db->from("editors").select("email")).orderBy("email").exec();
    ASSERT_EQ(u.size(), 5u);  // a1@x.com once
    EXPECT_EQ(u[4].get<std::string>("email"), "e@x.com");
    Result ua = db->from("authors").select("email").where("points", ">", 15).unionAll(db->from("editors").select("email").where("email", "e@x.com"))
                    .orderBy("email", Desc)
                    .limit(2)
                    .exec();
    ASSERT_EQ(ua.size(), 2u);
    EXPECT_EQ(ua[0].get<std::string>("email"), "e@x.com");
    EXPECT_EQ(ua[1].get<std::string>("email"), "a4@x.com");
    EXPECT_EQ(db->from("authors").select("email").unionAll(db->from("editors").select("email")).exec().size(), 6u);
    EXPECT_THROW(db->from("authors").select("email").union_(db->from("editors").select("email").orderBy("email")).exec(), Error);
    // aggregates count the set's rows, not the first member's
    EXPECT_EQ(db->from("authors").select("email").union_(db->from("editors").select("email")).count(), 5);
    EXPECT_EQ(db->from("authors").select("email").unionAll(db->from("editors").select("email")).count(), 6);
}

TEST_P(SubqueryTest, CommonTableExpressions) {
    Result w = db->query().with("recent", db->from("books").where("points", ">", 4)).from("recent").where("author_id", 1).exec();
    EXPECT_EQ(w.size(), 2u);
    // a tree: root(1) -> a(2) -> b(3), root -> c(4); another root(5)
    for (auto [parent, name] : std::vector<std::pair<int, const char*>>{{0, "root"}, {1, "a"}, {2, "b"}, {1, "c"}, {0, "other"}})
        db->table("shelves").insert({{"parent_id", parent ? Value(parent) : Value()}, {"name", name}});
    auto anchor = db->from("shelves");
    anchor.select("id", "parent_id", "name").selectRaw("1 as depth").whereNull("parent_id").where("name", "root");
    auto step = db->from("shelves");
    step.select("shelves.id", "shelves.parent_id", "shelves.name").selectRaw("tree.depth + ?", {1}).join("tree", "tree.id", "shelves.parent_id");
    Result tree = db->query().withRecursive("tree", anchor.unionAll(step)).from("tree").orderBy("id").exec();
    ASSERT_EQ(tree.size(), 4u);
    EXPECT_EQ(tree[2].get<std::string>("name"), "b");
    EXPECT_EQ(tree[2].get<int64_t>("depth"), 3);
}

// The model query builder takes the same subqueries, set operations and CTEs, and hydrates models.
TEST_P(SubqueryTest, ModelQueriesTakeSubqueriesUnionsAndCtes) {
    EXPECT_EQ(ids(Author::query().with("rich", db->from("authors").where("points", ">", 20)).whereIn(&Author::id, db->from("rich").select("id")).orderBy(&Author::id).all()),
              (std::vector<int64_t>{3, 4}));
    EXPECT_EQ(ids(Author::query().where(&Author::points, 10).union_(Author::query().where(&Author::points, 40)).orderBy("id", Desc).all()),
              (std::vector<int64_t>{4, 1}));
    EXPECT_EQ(ids(Author::query().fromSub(db->from("authors").where("points", ">", 20), "authors").orderBy(&Author::id).all()),
              (std::vector<int64_t>{3, 4}));
    std::vector<Author> counted =
        Author::query()
            .select("authors.*")
            .selectSub(db->from("books").selectRaw("count(*)").whereColumn("books.author_id", "=", "authors.id"), "bookCount")
            .orderBy(&Author::id)
            .all();
    ASSERT_EQ(counted.size(), 4u);
    EXPECT_EQ(counted[0].extra("bookCount").as<int64_t>(), 2);
    EXPECT_EQ(counted[3].extra("bookCount").as<int64_t>(), 0);
    EXPECT_EQ(counted[0].email, "a1@x.com");
}

// A related query inside another keeps its relation's constraint: only that author's books.
TEST_P(SubqueryTest, ARelatedQueryAsASubqueryKeepsItsConstraint) {
    Author first = Author::findOrFail(1);
    Result books = db->from("books").whereIn("id", first.related(&Author::books).query().select(&Book::id)).orderBy("id").exec();
    EXPECT_EQ(ids(books), (std::vector<int64_t>{1, 2}));
    EXPECT_EQ(db->fromSub(first.related(&Author::books).query(), "mine").count(), 2);
    EXPECT_EQ(db->query().with("mine", first.related(&Author::books).query()).from("mine").sum("points").as<int64_t>(), 17);
}

LUCID_DB_TEST_SUITE(SubqueryTest);
