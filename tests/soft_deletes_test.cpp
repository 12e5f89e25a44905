// Soft deletes (API.md §13): m.softDeletes, every read skipping trashed rows, withTrashed/onlyTrashed,
// query del()/forceDelete(), remove/restore/forceDelete/isTrashed on an instance.
#include "support/db_test.hpp"

using namespace lucid;
using lucid_test::DbTest;

namespace soft {

std::vector<std::string> g_events;

struct Note;
struct Tag;

struct Author : BaseModel<Author> {
    int64_t id = 0;
    std::string name;
    HasMany<Note> notes;
    ManyToMany<Tag> tags;
    static void define(ModelDefinition<Author>& m) {
        m.column(&Author::id, "id", {.isPrimary = true});
        m.column(&Author::name, "name");
        m.hasMany(&Author::notes, "notes");
        m.manyToMany(&Author::tags, "tags");
    }
};

struct Note : BaseModel<Note> {
    int64_t id = 0;
    std::optional<int64_t> authorId;
    std::string body;
    int64_t points = 0;
    std::optional<DateTime> deletedAt;
    BelongsTo<Author> author;
    static void define(ModelDefinition<Note>& m) {
        m.column(&Note::id, "id", {.isPrimary = true});
        m.column(&Note::authorId, "authorId");
        m.column(&Note::body, "body");
        m.column(&Note::points, "points");
        m.softDeletes(&Note::deletedAt);
        m.belongsTo(&Note::author, "author");
        m.beforeDelete([](Note& n) { g_events.push_back("beforeDelete:" + std::to_string(n.isTrashed())); });
        m.afterDelete([](Note& n) { g_events.push_back("afterDelete:" + std::to_string(n.isTrashed()) + std::to_string(n.isDeleted())); });
        m.beforeUpdate([](Note&) { g_events.push_back("beforeUpdate"); });
    }
};

// Joined to Author through a pivot table: the condition must name the tags table, not the pivot.
struct Tag : BaseModel<Tag> {
    int64_t id = 0;
    std::string label;
    std::optional<DateTime> deletedAt;
    static void define(ModelDefinition<Tag>& m) {
        m.column(&Tag::id, "id", {.isPrimary = true});
        m.column(&Tag::label, "label");
        m.softDeletes(&Tag::deletedAt);
    }
};

// Shelf -> Box -> Item: a trashed box hides its items from the shelf, as Eloquent's hasManyThrough.
struct Item;
struct Box;
struct Shelf : BaseModel<Shelf> {
    int64_t id = 0;
    HasManyThrough<Item, Box> items;
    static void define(ModelDefinition<Shelf>& m) {
        m.table("shelves");
        m.column(&Shelf::id, "id", {.isPrimary = true});
        m.hasManyThrough(&Shelf::items, "items");
    }
};
struct Box : BaseModel<Box> {
    int64_t id = 0;
    int64_t shelfId = 0;
    std::optional<DateTime> deletedAt;
    static void define(ModelDefinition<Box>& m) {
        m.column(&Box::id, "id", {.isPrimary = true});
        m.column(&Box::shelfId, "shelfId");
        m.softDeletes(&Box::deletedAt);
    }
};
struct Item : BaseModel<Item> {
    int64_t id = 0;
    int64_t boxId = 0;
    std::optional<DateTime> deletedAt;
    static void define(ModelDefinition<Item>& m) {
        m.column(&Item::id, "id", {.isPrimary = true});
        m.column(&Item::boxId, "boxId");
        m.softDeletes(&Item::deletedAt);
    }
};

class SoftDeletesTest : public DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"author_tag", "notes", "tags", "authors"});
        db->schema().createTable("authors", [](TableBuilder& t) {
            t.increments("id");
            t.string("name");
        });
        db->schema().createTable("notes", [](TableBuilder& t) {
            t.increments("id");
            t.integer("author_id").nullable();
            t.string("body");
            t.integer("points").defaultTo(0);
            t.timestamp("deleted_at").nullable();
        });
        db->schema().createTable("tags", [](TableBuilder& t) {
            t.increments("id");
            t.string("label");
            t.timestamp("deleted_at").nullable();
        });
        // the pivot has a deleted_at of its own: an unqualified condition would be ambiguous
        db->schema().createTable("author_tag", [](TableBuilder& t) {
            t.increments("id");
            t.integer("author_id");
            t.integer("tag_id");
            t.timestamp("deleted_at").nullable();
        });
        g_events.clear();
    }

    // Two authors; ann has notes 1 (10 points), 2 (20) and 3 (30, trashed by raw SQL), bob has 4 (40, trashed).
    void seed() {
        db->rawQuery("insert into authors (id, name) values (1, 'ann'), (2, 'bob')");
        db->rawQuery(
            "insert into notes (id, author_id, body, points, deleted_at) values (1, 1, 'a', 10, null), (2, 1, 'b', 20, null), "
            "(3, 1, 'c', 30, '2020-01-02 03:04:05'), (4, 2, 'd', 40, '2020-01-02 03:04:05')");
    }
    int64_t trashedInTable() { return db->rawQuery("select count(*) as n from notes where deleted_at is not null")[0].get<int64_t>("n"); }
    int64_t rowsInTable() { return db->rawQuery("select count(*) as n from notes")[0].get<int64_t>("n"); }
};

std::vector<int64_t> ids(const std::vector<Note>& notes) {
    std::vector<int64_t> out;
    for (const auto& n : notes) out.push_back(n.id);
    return out;
}

// A model query inside another (whereIn, whereExists, fromSub, a union, a CTE) leaves trashed rows out as
// it does on its own; withTrashed() inside keeps them.
TEST_P(SoftDeletesTest, AModelQueryAsASubqueryLeavesTrashedRowsOut) {
    seed();  // bob's only note is trashed
    auto names = [](Result r) {
        std::vector<std::string> out;
        for (std::size_t i = 0; i < r.size(); ++i) out.push_back(r[i].get<std::string>("name"));
        return out;
    };
    EXPECT_EQ(names(db->from("authors").whereIn("id", Note::query().select(&Note::authorId)).orderBy("id").exec()),
              (std::vector<std::string>{"ann"}));
    EXPECT_EQ(names(db->from("authors").whereIn("id", Note::query().withTrashed().select(&Note::authorId)).orderBy("id").exec()),
              (std::vector<std::string>{"ann", "bob"}));
    EXPECT_EQ(names(db->from("authors")
                        .whereExists(Note::query().whereColumn(&Note::authorId, "=", "authors.id"))
                        .orderBy("id")
                        .exec()),
              (std::vector<std::string>{"ann"}));
    EXPECT_EQ(db->fromSub(Note::query().select(&Note::id), "live").count(), 2);
    EXPECT_EQ(db->from("notes").select("id").where("id", 4).unionAll(Note::query().select(&Note::id)).exec().size(), 3u);
    EXPECT_EQ(db->query().with("live", Note::query()).from("live").count(), 2);
    // and a model query taking another model's query
    EXPECT_EQ(Author::query().whereIn(&Author::id, Note::query().select(&Note::authorId)).count(), 1);
}

TEST_P(SoftDeletesTest, RemoveSetsDeletedAtAndRunsTheDeleteHooks) {
    Note note = Note::create({.body = "x", .points = 5});
    const auto before = std::chrono::system_clock::now() - std::chrono::minutes(1);
    note.remove();
    EXPECT_TRUE(note.isTrashed());
    EXPECT_FALSE(note.isDeleted());
    ASSERT_TRUE(note.deletedAt.has_value());
    EXPECT_GT(*note.deletedAt, before);
    EXPECT_FALSE(note.isDirty());  // deleted_at is written and clean
    EXPECT_EQ(g_events, (std::vector<std::string>{"beforeDelete:0", "afterDelete:10"}));
    // the row stays, marked
    auto rows = db->rawQuery("select deleted_at from notes where id = ?", {note.id});
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_FALSE(rows[0]["deleted_at"].isNull());
    EXPECT_EQ(rowsInTable(), 1);
    // and every read skips it
    EXPECT_FALSE(Note::find(note.id).has_value());
    EXPECT_TRUE(Note::query().all().empty());
    EXPECT_EQ(Note::query().withTrashed().where(&Note::id, note.id).firstOrFail().id, note.id);
}

TEST_P(SoftDeletesTest, RowsTrashedByOthersAreLeftOutOfEveryRead) {
    seed();
    EXPECT_EQ(ids(Note::query().orderBy(&Note::id).all()), (std::vector<int64_t>{1, 2}));
    EXPECT_EQ(ids(Note::all()), (std::vector<int64_t>{2, 1}));
    EXPECT_FALSE(Note::find(3).has_value());
    EXPECT_TRUE(Note::find(1).has_value());
    EXPECT_FALSE(Note::findBy(&Note::body, "c").has_value());
    EXPECT_EQ(ids(Note::findMany({1, 3, 4})), (std::vector<int64_t>{1}));
    EXPECT_EQ(Note::query().count(), 2);
    EXPECT_EQ(Note::query().sum("points").as<int64_t>(), 30);
    EXPECT_EQ(Note::query().max(&Note::points).as<int64_t>(), 20);
    // an orWhere cannot reach past the condition
    EXPECT_EQ(ids(Note::query().where(&Note::body, "a").orWhere(&Note::body, "c").all()), (std::vector<int64_t>{1}));
    Page<Note> page = Note::query().orderBy(&Note::id).paginate(1, 1);
    EXPECT_EQ(page.total(), 2);
    EXPECT_EQ(Note::query().increment(&Note::points, 1), 2);  // writes reach the same rows
    EXPECT_EQ(db->rawQuery("select points from notes where id = 3")[0].get<int64_t>("points"), 30);
}

// The big-result walks (chunk, each, cursor) run the model's query: trashed rows stay out of them too
TEST_P(SoftDeletesTest, ChunkEachAndCursorLeaveTrashedRowsOut) {
    seed();
    std::vector<int64_t> chunked, each, streamed, all;
    Note::query().chunk(1, [&](std::vector<Note>& batch) {
        for (const Note& n : batch) chunked.push_back(n.id);
    });
    Note::query().each([&](Note& n) { each.push_back(n.id); }, 1);
    for (Note& n : Note::query().orderBy(&Note::id).cursor()) streamed.push_back(n.id);
    Note::query().withTrashed().chunk(3, [&](std::vector<Note>& batch) {
        for (const Note& n : batch) all.push_back(n.id);
    });
    EXPECT_EQ(chunked, (std::vector<int64_t>{1, 2}));
    EXPECT_EQ(each, (std::vector<int64_t>{1, 2}));
    EXPECT_EQ(streamed, (std::vector<int64_t>{1, 2}));
    EXPECT_EQ(all, (std::vector<int64_t>{1, 2, 3, 4}));
}

TEST_P(SoftDeletesTest, WithTrashedAndOnlyTrashed) {
    seed();
    EXPECT_EQ(Note::query().withTrashed().count(), 4);
    EXPECT_EQ(Note::query().onlyTrashed().count(), 2);
    EXPECT_EQ(ids(Note::query().onlyTrashed().where(&Note::authorId, 1).all()), (std::vector<int64_t>{3}));
    EXPECT_EQ(Note::query().withTrashed().max("points").as<int64_t>(), 40);
    Page<Note> page = Note::query().withTrashed().orderBy(&Note::id).paginate(2, 3);
    EXPECT_EQ(page.total(), 4);
    EXPECT_EQ(ids(page.items()), (std::vector<int64_t>{4}));
    // the query that ran (with the condition) may widen afterwards
    auto q = Note::query();
    EXPECT_EQ(q.count(), 2);
    EXPECT_EQ(q.withTrashed().count(), 4);
    EXPECT_EQ(q.onlyTrashed().count(), 2);
    EXPECT_THROW(Author::query().withTrashed(), Error);  // Author does not soft-delete
}

TEST_P(SoftDeletesTest, QueryDelMarksTheRowsAndForceDeleteRemovesThem) {
    seed();
    EXPECT_EQ(Note::query().where(&Note::authorId, 1).del(), 2);  // 3 was trashed already
    EXPECT_EQ(rowsInTable(), 4);
    EXPECT_EQ(trashedInTable(), 4);
    EXPECT_EQ(Note::query().count(), 0);
    EXPECT_EQ(Note::query().where(&Note::authorId, 1).forceDelete(), 0);  // trashed rows are out of its reach
    EXPECT_EQ(Note::query().withTrashed().where(&Note::authorId, 1).forceDelete(), 3);
    EXPECT_EQ(rowsInTable(), 1);
    EXPECT_EQ(Note::query().onlyTrashed().forceDelete(), 1);
    EXPECT_EQ(rowsInTable(), 0);
}

TEST_P(SoftDeletesTest, RestoreAndForceDeleteAnInstance) {
    Note note = Note::create({.body = "x"});
    note.remove();
    g_events.clear();
    note.restore();
    EXPECT_FALSE(note.isTrashed());
    EXPECT_FALSE(note.deletedAt.has_value());
    EXPECT_EQ(g_events, (std::vector<std::string>{"beforeUpdate"}));  // through save()
    EXPECT_TRUE(db->rawQuery("select deleted_at from notes where id = ?", {note.id})[0]["deleted_at"].isNull());
    EXPECT_TRUE(Note::find(note.id).has_value());

    Note fetched = Note::query().where(&Note::id, note.id).firstOrFail();
    fetched.remove();
    Note trashed = Note::query().onlyTrashed().where(&Note::id, note.id).firstOrFail();
    EXPECT_TRUE(trashed.isTrashed());
    g_events.clear();
    trashed.forceDelete();
    EXPECT_TRUE(trashed.isDeleted());
    EXPECT_EQ(g_events, (std::vector<std::string>{"beforeDelete:1", "afterDelete:11"}));
    EXPECT_EQ(rowsInTable(), 0);
    try {
        trashed.restore();
        FAIL() << "restore() after forceDelete() must throw";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "E_MODEL_DELETED");
    }
}

TEST_P(SoftDeletesTest, AThrowingAfterDeleteLeavesTheRowUntrashed) {
    Note note = Note::create({.body = "x"});
    g_events.clear();
    struct Boom {};
    auto& hooks = const_cast<detail::ModelMeta&>(Note::meta()).hooks[static_cast<std::size_t>(detail::Hook::AfterDelete)];
    hooks.push_back([](void*) { throw Boom{}; });
    EXPECT_THROW(note.remove(), Boom);
    hooks.pop_back();
    EXPECT_FALSE(note.isTrashed());
    EXPECT_EQ(trashedInTable(), 0);
}

TEST_P(SoftDeletesTest, RelationsLeaveTrashedRowsOut) {
    seed();
    auto authors = Author::query().orderBy(&Author::id).preload(&Author::notes).withCount(&Author::notes)
                       .withAggregate(&Author::notes, lucid::sum(&Note::points).as("pointsSum")).all();
    ASSERT_EQ(authors.size(), 2u);
    EXPECT_EQ(authors[0].notes.size(), 2u);
    EXPECT_EQ(authors[1].notes.size(), 0u);
    EXPECT_EQ(authors[0].extra("notes_count").as<int64_t>(), 2);
    EXPECT_EQ(authors[1].extra("notes_count").as<int64_t>(), 0);
    EXPECT_EQ(authors[0].extra("pointsSum").as<int64_t>(), 30);
    auto withTrashed = Author::query().orderBy(&Author::id).preload(&Author::notes, [](ModelQuery<Note>& q) { q.withTrashed(); }).all();
    EXPECT_EQ(withTrashed[0].notes.size(), 3u);
    EXPECT_EQ(withTrashed[1].notes.size(), 1u);

    auto having = Author::query().has(&Author::notes).all();
    ASSERT_EQ(having.size(), 1u);
    EXPECT_EQ(having[0].name, "ann");
    EXPECT_EQ(Author::query().whereHas(&Author::notes, [](ModelQuery<Note>& q) { q.where(&Note::points, ">", 25); }).count(), 0);
    EXPECT_EQ(Author::query().whereHas(&Author::notes, [](ModelQuery<Note>& q) { q.withTrashed().where(&Note::points, ">", 25); }).count(), 2);

    Author ann = Author::findOrFail(1);
    EXPECT_EQ(ann.related(&Author::notes).query().count(), 2);
    EXPECT_EQ(ann.related(&Author::notes).query().withTrashed().count(), 3);
    EXPECT_EQ(ann.related(&Author::notes).query().onlyTrashed().count(), 1);
    EXPECT_EQ(ann.related(&Author::notes).query().del(), 2);  // soft, and only ann's
    EXPECT_EQ(rowsInTable(), 4);
    EXPECT_EQ(trashedInTable(), 4);

    // belongsTo from a trashed note still finds its (not soft-deleting) author
    Note trashed = Note::query().withTrashed().where(&Note::id, 4).preload(&Note::author).firstOrFail();
    EXPECT_EQ(trashed.author->name, "bob");
}

TEST_P(SoftDeletesTest, ManyToManyNamesTheRelatedTable) {
    db->rawQuery("insert into authors (id, name) values (1, 'ann')");
    db->rawQuery("insert into tags (id, label, deleted_at) values (1, 'kept', null), (2, 'gone', '2020-01-02 03:04:05')");
    db->rawQuery("insert into author_tag (author_id, tag_id, deleted_at) values (1, 1, '2020-01-02 03:04:05'), (1, 2, null)");
    auto authors = Author::query().preload(&Author::tags).withCount(&Author::tags).all();
    ASSERT_EQ(authors.size(), 1u);
    ASSERT_EQ(authors[0].tags.size(), 1u);
    EXPECT_EQ(authors[0].tags[0].label, "kept");
    EXPECT_EQ(authors[0].extra("tags_count").as<int64_t>(), 1);
    EXPECT_EQ(authors[0].related(&Author::tags).query().onlyTrashed().count(), 1);
    EXPECT_EQ(Author::query().whereHas(&Author::tags, [](ModelQuery<Tag>& q) { q.where(&Tag::label, "gone"); }).count(), 0);
}

TEST_P(SoftDeletesTest, HasManyThroughLeavesOutTrashedRowsOfBothTables) {
    dropTables({"items", "boxes", "shelves"});
    db->schema().createTable("shelves", [](TableBuilder& t) { t.increments("id"); });
    for (const char* table : {"boxes", "items"})
        db->schema().createTable(table, [&](TableBuilder& t) {
            t.increments("id");
            t.integer(std::string(table) == "boxes" ? "shelf_id" : "box_id");
            t.timestamp("deleted_at").nullable();
        });
    db->rawQuery("insert into shelves (id) values (1)");
    db->rawQuery("insert into boxes (id, shelf_id, deleted_at) values (1, 1, null), (2, 1, '2020-01-02 03:04:05')");
    // item 1 lives, 2 is trashed, 3 lives in the trashed box
    db->rawQuery("insert into items (id, box_id, deleted_at) values (1, 1, null), (2, 1, '2020-01-02 03:04:05'), (3, 2, null)");
    auto shelves = Shelf::query().preload(&Shelf::items).withCount(&Shelf::items).all();
    ASSERT_EQ(shelves.size(), 1u);
    ASSERT_EQ(shelves[0].items.size(), 1u);
    EXPECT_EQ(shelves[0].items[0].id, 1);
    EXPECT_EQ(shelves[0].extra("items_count").as<int64_t>(), 1);
    EXPECT_EQ(shelves[0].related(&Shelf::items).query().withTrashed().count(), 2);  // the box stays trashed
    dropTables({"items", "boxes", "shelves"});
}

INSTANTIATE_TEST_SUITE_P(Databases, SoftDeletesTest, ::testing::ValuesIn(lucid_test::databaseUrls()), lucid_test::databaseName);

}  // namespace soft
