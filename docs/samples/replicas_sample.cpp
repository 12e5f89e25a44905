// The samples of docs/scaling.md about read replicas: scripts/docs_snippets.py copies each snippet region
// into the guide, and the test suite runs it. Two SQLite files stand in for a primary and its replica
// (which nothing copies to: the replica never sees a write, the worst lag there is); the real streaming
// replica is tested in tests/replica_test.cpp.
#include "scoped_temp_dir.hpp"

#include <lucid/lucid.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <string>

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
                  .stickyFor = std::chrono::seconds(2),             // read-your-writes: 2 s after a write
                  .replicaRetryAfter = std::chrono::seconds(5)}}}}};  // a replica that is down: tried again after 5 s

    db.table("notes").insert({{"body", "hello"}});                 // the primary
    auto mine = db.from("notes").where("body", "hello").first();   // within 2 s of a write: the primary too
    // [end-snippet]
    ASSERT_TRUE(mine.has_value());
    EXPECT_EQ(mine->get<std::string>("body"), "hello");
    // a connection without sticky reads reads the replica, which never got the row
    lucid::Database plain{lucid::DatabaseConfig{.connections = {{"main", {.url = primaryUrl, .readReplicas = {replicaUrl}}}}}};
    EXPECT_FALSE(plain.from("notes").where("body", "hello").first().has_value());
    EXPECT_EQ(db.rawQuery("select count(*) as n from notes")[0].get<int64_t>("n"), 1);  // raw SQL: the primary
}
