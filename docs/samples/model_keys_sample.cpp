// The samples of docs/models.md on composite primary keys, updateOrCreateMany/fetchOrCreateMany and
// truncate: scripts/docs_snippets.py copies each snippet into the guide; the tests run them on both databases.
#include "support/db_test.hpp"

namespace keys_guide {

// [snippet:composite-model]
struct PlaylistTrack : lucid::BaseModel<PlaylistTrack> {
    int64_t playlistId = 0;
    int64_t trackId = 0;
    int64_t position = 0;
    static void define(lucid::ModelDefinition<PlaylistTrack>& m) {
        m.column(&PlaylistTrack::playlistId, "playlistId", {.isPrimary = true});  // the key's columns, in order
        m.column(&PlaylistTrack::trackId, "trackId", {.isPrimary = true});
        m.column(&PlaylistTrack::position, "position");
    }
};
// [end-snippet]

struct Subscriber : lucid::BaseModel<Subscriber> {
    int64_t id = 0;
    std::string email;
    int64_t points = 0;
    static void define(lucid::ModelDefinition<Subscriber>& m) {
        m.column(&Subscriber::id, "id", {.isPrimary = true});
        m.column(&Subscriber::email, "email");
        m.column(&Subscriber::points, "points");
    }
};

}  // namespace keys_guide

using namespace keys_guide;

class KeysGuide : public lucid_test::DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"playlist_tracks", "subscribers"});
        auto s = db->schema();
        // [snippet:composite-table]
        s.createTable("playlist_tracks", [](lucid::TableBuilder& t) {
            t.integer("playlist_id");
            t.integer("track_id");
            t.integer("position");
            t.primary({"playlist_id", "track_id"});
        });
        // [end-snippet]
        s.createTable("subscribers", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.string("email").unique();
            t.integer("points").defaultTo(0);
        });
    }
};

TEST_P(KeysGuide, CompositeKeys) {
    // [snippet:composite-use]
    PlaylistTrack::create({.playlistId = 1, .trackId = 7, .position = 1});   // no key read back: both are given
    std::optional<PlaylistTrack> pt = PlaylistTrack::find(lucid::Key{1, 7});  // values in declaration order
    pt->position = 2;
    pt->save();      // UPDATE ... WHERE playlist_id = 1 AND track_id = 7
    pt->refresh();   // and so do refresh()
    pt->remove();    // and remove()
    // PlaylistTrack::find(1) or lucid::Key{1}: lucid::Error (E_COMPOSITE_PRIMARY_KEY, E_INVALID_KEY)
    // [end-snippet]
    EXPECT_EQ(pt->position, 2);
    EXPECT_EQ(db->from("playlist_tracks").count(), 0);
    EXPECT_THROW(PlaylistTrack::find(1), lucid::Error);
}

TEST_P(KeysGuide, ManyRowsAndTruncate) {
    Subscriber::create({.email = "ann@example.com", .points = 1});
    // [snippet:or-create-many]
    std::vector<Subscriber> rows = Subscriber::updateOrCreateMany(
        &Subscriber::email, {{.email = "ann@example.com", .points = 5}, {.email = "bo@example.com", .points = 2}});
    // rows[0]: ann's row, updated to 5 points; rows[1]: bo, created. In the payload's order.
    std::vector<Subscriber> same = Subscriber::fetchOrCreateMany("email", {{.email = "bo@example.com", .points = 9}});
    // same[0]: bo as stored (2 points): fetchOrCreateMany updates nothing
    // [end-snippet]
    EXPECT_EQ(rows[0].points, 5);
    EXPECT_EQ(same[0].points, 2);
    EXPECT_EQ(same[0].id, rows[1].id);
    // [snippet:truncate]
    Subscriber::truncate();                 // every row gone; the next id is 1 again
    // Subscriber::truncate(/*cascade=*/true);  PostgreSQL: also truncates the tables referencing it
    // [end-snippet]
    EXPECT_EQ(db->from("subscribers").count(), 0);
}

LUCID_DB_TEST_SUITE(KeysGuide);
