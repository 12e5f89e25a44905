// The eight workloads through lucid-cpp, written as an application would write them.
#include "fixtures.hpp"

#include <benchmark/benchmark.h>

namespace bench::lucid_side {

using Clock = std::chrono::steady_clock;

// W1: 10,000 users in one transaction (createMany).
Outcome w1Insert(Env& env) {
    std::vector<User> rows(kInsertRows);
    for (int i = 0; i < kInsertRows; ++i) {
        rows[static_cast<std::size_t>(i)].email = "new" + std::to_string(i) + "@example.com";
        rows[static_cast<std::size_t>(i)].name = "New " + std::to_string(i);
    }
    Outcome o;
    auto t0 = Clock::now();
    std::vector<User> created = User::createMany(std::move(rows), *env.db);
    o.seconds = since(t0);
    o.check = static_cast<int64_t>(created.size()) + (created.back().id - created.front().id);
    w1CleanupLucid(env);
    return o;
}

namespace {
int64_t findAll(lucid::Database& db, const std::vector<int64_t>& ids) {
    int64_t sum = 0;
    for (int64_t id : ids) {
        std::optional<User> u = User::find(id, db);
        sum += u->id + static_cast<int64_t>(u->email.size());
    }
    return sum;
}

Outcome w2On(lucid::Database& db, const std::vector<int64_t>& ids) {
    Outcome o;
    auto t0 = Clock::now();
    o.check = findAll(db, ids);
    o.seconds = since(t0);
    return o;
}
}  // namespace

// W2: 1,000 x find(id).
Outcome w2Find(Env& env, const std::vector<int64_t>& ids) { return w2On(*env.db, ids); }

// W9: W2 on each of `threads` threads sharing one Database, whose pool has `threads` connections.
Outcome w9FindThreads(Env& env, const std::vector<int64_t>& ids, int threads) {
    auto& db = env.pooled[threads];
    if (!db)
        db = std::make_unique<lucid::Database>(lucid::DatabaseConfig{
            .connection = "app", .connections = {{"app", lucid::ConnectionConfig{.url = env.url, .pool = {.min = threads, .max = threads}}}}});
    std::vector<int64_t> sums(static_cast<std::size_t>(threads));
    Outcome o;
    o.seconds = runThreads(threads, [&](int t) { sums[static_cast<std::size_t>(t)] = findAll(*db, ids); });
    for (int64_t s : sums) o.check += s;
    return o;
}

namespace {
// W2u / W6u: as W2 / W6 with unnamed statements (?pgbouncer=true), the price of a transaction pooler.
lucid::Database& unnamedDb(Env& env) {
    if (!env.unnamed)
        env.unnamed = std::make_unique<lucid::Database>(
            lucid::DatabaseConfig{.connection = "app", .connections = {{"app", lucid::ConnectionConfig{.url = env.url, .preparedStatements = false}}}});
    return *env.unnamed;
}
}  // namespace
Outcome w2FindUnnamed(Env& env, const std::vector<int64_t>& ids) { return w2On(unnamedDb(env), ids); }

// W3: every profile (10,000).
Outcome w3FetchAll(Env& env) {
    Outcome o;
    auto t0 = Clock::now();
    std::vector<Profile> ps = Profile::query(*env.db).all();
    o.seconds = since(t0);
    benchmark::DoNotOptimize(ps.data());
    for (const auto& p : ps) o.check += p.id + (p.isActive ? 1 : 0) + static_cast<int64_t>(p.avatarUrl.size());
    return o;
}

// W4: every profile with its user (belongsTo preload).
Outcome w4PreloadBelongsTo(Env& env) {
    Outcome o;
    auto t0 = Clock::now();
    std::vector<Profile> ps = Profile::query(*env.db).preload(&Profile::user).all();
    o.seconds = since(t0);
    for (const auto& p : ps) o.check += p.id + (p.user ? p.user->id : 0);
    return o;
}

// W5: users 1..1,000 with their posts (hasMany preload, 10 each).
Outcome w5PreloadHasMany(Env& env) {
    Outcome o;
    auto t0 = Clock::now();
    std::vector<User> us = User::query(*env.db).where(&User::id, "<=", kW5Users).preload(&User::posts).all();
    o.seconds = since(t0);
    for (const auto& u : us)
        for (const Post& p : u.posts) o.check += u.id + p.id + p.points;
    return o;
}

// W6: 1,000 x change one field + save() (UPDATE of that column only, autocommit).
namespace {
Outcome w6On(lucid::Database& db, int round) {
    std::vector<User> us = User::query(db).where(&User::id, "<=", kSaves).orderBy(&User::id).all();
    std::vector<std::string> names(us.size());
    for (std::size_t i = 0; i < us.size(); ++i) names[i] = "User " + std::to_string(us[i].id) + " r" + std::to_string(round);
    Outcome o;
    auto t0 = Clock::now();
    for (std::size_t i = 0; i < us.size(); ++i) {
        us[i].name = names[i];
        us[i].save();
    }
    o.seconds = since(t0);
    o.check = static_cast<int64_t>(us.size());
    return o;
}
}  // namespace

Outcome w6Save(Env& env, int round) { return w6On(*env.db, round); }
Outcome w6SaveUnnamed(Env& env, int round) { return w6On(unnamedDb(env), round); }

// W7: users with at least one published post, each with its number of posts.
Outcome w7WhereHasWithCount(Env& env) {
    Outcome o;
    auto t0 = Clock::now();
    std::vector<User> us = User::query(*env.db)
                               .whereHas(&User::posts, [](lucid::ModelQuery<Post>& q) { q.where(&Post::isPublished, true); })
                               .withCount(&User::posts)
                               .all();
    o.seconds = since(t0);
    for (const auto& u : us) {
        o.check += u.id;
        for (const auto& [k, v] : u.extras())
            if (k == "posts_count") o.check += v.as<int64_t>();
    }
    return o;
}

// W8: every note (10,000) with what it is on, a user or a post (morphTo preload: one query per type).
Outcome w8PreloadMorphTo(Env& env) {
    Outcome o;
    auto t0 = Clock::now();
    std::vector<Note> ns = Note::query(*env.db).preload(&Note::notable).all();
    o.seconds = since(t0);
    for (const auto& n : ns) {
        o.check += n.id;
        if (const User* u = n.notable.get<User>()) o.check += u->id;
        else if (const Post* p = n.notable.get<Post>()) o.check += p->id;
    }
    return o;
}

}  // namespace bench::lucid_side
