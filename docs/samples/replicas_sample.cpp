// The samples of docs/scaling.md about read replicas: scripts/docs_snippets.py copies each snippet region
// into the guide, and the test suite runs it. Two SQLite files stand in for a primary and its replica
// (which nothing copies to: the replica never sees a write, the worst lag there is); the real streaming
// replica is tested in tests/replica_test.cpp.
#include "scoped_temp_dir.hpp"

#include <lucid/lucid.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

using lucid_samples::ScopedTempDir;

TEST(ScalingGuide, StickyReadsSeeTheirOwnWrites) {
    ScopedTempDir here;
    const std::string primaryUrl = "sqlite:primary.db", replicaUrl = "sqlite:replica.db";
    for (const auto& url : {primaryUrl, replicaUrl})
        lucid::Database(url).schema().createTable("notes", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.string("body");
        });
    // [snippet:replicas]
    lucid::Database db{lucid::DatabaseConfig{.connections = {
        {"main", {.url = primaryUrl,                                // e.g. "postgres://app:secret@10.0.0.1:5432/app"
                  .readReplicas = {replicaUrl},                     // e.g. "postgres://app:secret@10.0.0.2:5432/app"
                  .stickyFor = std::chrono::milliseconds(500),      // read-your-writes, for half a second
                  .replicaRetryAfter = std::chrono::seconds(5)}}}}};  // a replica that is down: tried again after 5 s

    db.table("notes").insert({{"body", "hello"}});                 // the primary
    auto mine = db.from("notes").where("body", "hello").first();   // within 500 ms of a write: the primary too
    // [end-snippet]
    ASSERT_TRUE(mine.has_value());
    EXPECT_EQ(mine->get<std::string>("body"), "hello");
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    // past the window: the replica, which never got the row
    EXPECT_FALSE(db.from("notes").where("body", "hello").first().has_value());
    EXPECT_EQ(db.rawQuery("select count(*) as n from notes")[0].get<int64_t>("n"), 1);  // raw SQL: the primary
}
