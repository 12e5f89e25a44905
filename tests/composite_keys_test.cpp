// Composite primary keys (API.md §13): find(lucid::Key{...}), save/remove/refresh by every key column,
// create and createMany, and clear errors where a single-column key is needed; rows checked with raw SQL.
#include "support/db_test.hpp"

using namespace lucid;
using lucid_test::DbTest;
using lucid_test::QueryCounter;

namespace {

struct ShelfBook : BaseModel<ShelfBook> {
    int64_t shelfId = 0;
    int64_t bookId = 0;
    int64_t position = 0;
    std::optional<std::string> label;
    static void define(ModelDefinition<ShelfBook>& m) {
        m.column(&ShelfBook::shelfId, "shelfId", {.isPrimary = true});
        m.column(&ShelfBook::bookId, "bookId", {.isPrimary = true});
        m.column(&ShelfBook::position, "position");
        m.column(&ShelfBook::label, "label");
    }
};

// belongsTo a model with a composite key: no single column to point at unless localKey names one.
struct Loan : BaseModel<Loan> {
    int64_t id = 0;
    int64_t shelfBookId = 0;
    BelongsTo<ShelfBook> shelfBook;
    static void define(ModelDefinition<Loan>& m) {
        m.column(&Loan::id, "id", {.isPrimary = true});
        m.column(&Loan::shelfBookId, "shelfBookId");
        m.belongsTo(&Loan::shelfBook, "shelfBook");
    }
};

}  // namespace

class CompositeKeyTest : public DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"shelf_books", "loans"});
        db->schema().createTable("shelf_books", [](TableBuilder& t) {
            t.integer("shelf_id").notNullable();
            t.integer("book_id").notNullable();
            t.integer("position").notNullable().defaultTo(0);
            t.string("label").nullable();
            t.primary({"shelf_id", "book_id"});
        });
        db->schema().createTable("loans", [](TableBuilder& t) {
            t.increments("id");
            t.integer("shelf_book_id");
        });
        db->table("shelf_books").insertMany({{{"shelf_id", 1}, {"book_id", 7}, {"position", 1}},
                                             {{"shelf_id", 1}, {"book_id", 8}, {"position", 2}},
                                             {{"shelf_id", 2}, {"book_id", 7}, {"position", 3}}});
    }
    int64_t positionOf(int64_t shelf, int64_t book) {
        Result r = db->rawQuery("select position from shelf_books where shelf_id = ? and book_id = ?", {shelf, book});
        return r.empty() ? -1 : r[0].get<int64_t>("position");
    }
};

TEST_P(CompositeKeyTest, FindTakesTheKeyInDeclarationOrder) {
    std::optional<ShelfBook> found = ShelfBook::find(Key{1, 8});
    ASSERT_TRUE(found);
    EXPECT_EQ(found->shelfId, 1);
    EXPECT_EQ(found->bookId, 8);
    EXPECT_EQ(found->position, 2);
    EXPECT_FALSE(found->isLocal());
    const int64_t shelf = 2, book = 7;
    EXPECT_EQ(ShelfBook::findOrFail(Key{shelf, book}).position, 3);
    EXPECT_FALSE(ShelfBook::find(Key{8, 1}));  // the order matters: (shelf 8, book 1) is no row
    EXPECT_THROW(ShelfBook::findOrFail(Key{9, 9}), RowNotFound);
}

TEST_P(CompositeKeyTest, SingleColumnCallsAndWrongArityThrowClearErrors) {
    try {
        ShelfBook::find(Key{1});
        ADD_FAILURE() << "a key of one value found a row of a two-column key";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "E_INVALID_KEY");
        EXPECT_NE(std::string(e.what()).find("2 primary key column"), std::string::npos) << e.what();
    }
    EXPECT_THROW(ShelfBook::find(Key{1, 7, 3}), Error);
    try {
        ShelfBook::find(1);
        ADD_FAILURE() << "find(scalar) ran on a composite key";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "E_COMPOSITE_PRIMARY_KEY");
        EXPECT_NE(std::string(e.what()).find("\"shelfId\", \"bookId\""), std::string::npos) << e.what();
    }
    EXPECT_THROW(ShelfBook::findMany({1, 2}), Error);
    try {
        Loan::query().preload(&Loan::shelfBook).all();
        ADD_FAILURE() << "belongsTo resolved a composite key to one column";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "E_COMPOSITE_PRIMARY_KEY");
    }
}

TEST_P(CompositeKeyTest, SaveUpdatesTheRowOfEveryKeyColumn) {
    ShelfBook sb = ShelfBook::findOrFail(Key{1, 7});
    sb.position = 10;
    sb.label = "x";
    sb.save();
    EXPECT_EQ(positionOf(1, 7), 10);
    EXPECT_EQ(positionOf(1, 8), 2);  // same shelf, other book: untouched
    EXPECT_EQ(positionOf(2, 7), 3);  // same book, other shelf: untouched
    EXPECT_EQ(db->rawQuery("select label from shelf_books where shelf_id = 1 and book_id = 7")[0].get<std::string>("label"), "x");
    EXPECT_FALSE(sb.isDirty());
    // a key column changed: the row is found by the key it was read with
    sb.bookId = 9;
    sb.save();
    EXPECT_EQ(positionOf(1, 7), -1);
    EXPECT_EQ(positionOf(1, 9), 10);
    EXPECT_EQ(db->from("shelf_books").count(), 3);
}

TEST_P(CompositeKeyTest, RemoveAndRefreshAddressOneRow) {
    ShelfBook sb = ShelfBook::findOrFail(Key{2, 7});
    db->rawQuery("update shelf_books set position = 30 where shelf_id = 2 and book_id = 7");
    db->rawQuery("update shelf_books set position = 99 where shelf_id = 1 and book_id = 7");
    sb.refresh();
    EXPECT_EQ(sb.position, 30);
    EXPECT_EQ(sb.shelfId, 2);
    sb.remove();
    EXPECT_TRUE(sb.isDeleted());
    EXPECT_EQ(positionOf(2, 7), -1);
    EXPECT_EQ(positionOf(1, 7), 99);
    EXPECT_EQ(positionOf(1, 8), 2);
}

TEST_P(CompositeKeyTest, CreateWritesEveryKeyColumn) {
    ShelfBook created = ShelfBook::create({.shelfId = 3, .bookId = 7, .position = 5});
    EXPECT_TRUE(created.isPersisted());
    EXPECT_EQ(created.shelfId, 3);  // nothing read back over the given key
    EXPECT_EQ(positionOf(3, 7), 5);
    std::vector<ShelfBook> many = ShelfBook::createMany({{.shelfId = 4, .bookId = 7, .position = 6}, {.shelfId = 4, .bookId = 8, .position = 7}});
    EXPECT_TRUE(many[1].isPersisted());
    EXPECT_EQ(positionOf(4, 7), 6);
    EXPECT_EQ(positionOf(4, 8), 7);
    EXPECT_THROW(ShelfBook::create({.shelfId = 1, .bookId = 7}), QueryError);  // the key exists
    std::vector<ShelfBook> sevens = ShelfBook::query().where(&ShelfBook::bookId, 7).orderBy(&ShelfBook::shelfId).all();
    ASSERT_EQ(sevens.size(), 4u);
    EXPECT_EQ(sevens[0].shelfId, 1);
    EXPECT_EQ(sevens[3].shelfId, 4);
    // all(): newest key first, by each key column
    std::vector<ShelfBook> all = ShelfBook::all();
    ASSERT_EQ(all.size(), 6u);
    EXPECT_EQ(all[0].shelfId, 4);
    EXPECT_EQ(all[0].bookId, 8);
    EXPECT_EQ(all[5].shelfId, 1);
    EXPECT_EQ(all[5].bookId, 7);
}

// Matched rows are written by one UPDATE that names each row by both key columns: rows sharing one key
// column are not confused.
TEST_P(CompositeKeyTest, UpdateOrCreateManyAddressesEachRowByEveryKeyColumn) {
    db->table("shelf_books").where("shelf_id", 1).update({{"label", "one"}});
    QueryCounter c(*db);
    std::vector<ShelfBook> out = ShelfBook::updateOrCreateMany(
        &ShelfBook::label, {ShelfBook{.shelfId = 1, .bookId = 7, .position = 10, .label = "one"}});
    ASSERT_EQ(out.size(), 1u);  // the first row labelled "one" (1, 7), found by its label
    EXPECT_EQ(positionOf(1, 7), 10);
    EXPECT_EQ(positionOf(1, 8), 2);
    EXPECT_EQ(positionOf(2, 7), 3);
    std::vector<ShelfBook> rows = ShelfBook::query().orderBy(&ShelfBook::shelfId).orderBy(&ShelfBook::bookId).all();
    ASSERT_EQ(rows.size(), 3u);
    for (ShelfBook& r : rows) {
        r.position *= 100;
        r.label = "s" + std::to_string(r.shelfId) + "b" + std::to_string(r.bookId);
    }
    // by position (unique here): every row matched, each updated with its own values
    std::vector<ShelfBook> payload;
    for (const ShelfBook& r : rows) payload.push_back(ShelfBook{.shelfId = r.shelfId, .bookId = r.bookId, .position = r.position, .label = r.label});
    const int before = c.count;
    ShelfBook::updateOrCreateMany("label", {ShelfBook{.shelfId = 9, .bookId = 9, .position = 0, .label = "fresh"}});
    const int createOnly = c.count - before;
    for (ShelfBook& p : payload) p.position /= 100;  // matched on position, their labels rewritten
    const int mid = c.count;
    ShelfBook::updateOrCreateMany(&ShelfBook::position, payload);
    EXPECT_EQ(c.count - mid, createOnly);  // one SELECT and one UPDATE, as one SELECT and one INSERT
    Result r = db->rawQuery("select shelf_id, book_id, label from shelf_books where label like 's%' order by shelf_id, book_id");
    ASSERT_EQ(r.size(), 3u);
    EXPECT_EQ(r[0].get<std::string>("label"), "s1b7");
    EXPECT_EQ(r[1].get<std::string>("label"), "s1b8");
    EXPECT_EQ(r[2].get<std::string>("label"), "s2b7");
}

LUCID_DB_TEST_SUITE(CompositeKeyTest);
