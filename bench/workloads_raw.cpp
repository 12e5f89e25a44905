// The eight workloads written by hand on the C APIs (sqlite3; libpq), running the very statements lucid-cpp
// issues (same SQL text, same bindings) and filling plain structs. Statements are prepared once per
// connection and reused (sqlite3_prepare_v3 + reset; PQprepare + PQexecPrepared), as a careful
// hand-written program would do for the statements it runs in a loop (W1, W2, W6). The statements run once
// per workload on PostgreSQL (W3, W4, W5, W7) go through PQexecParams, unprepared, as a hand-written program
// would run them: a prepared statement brings nothing to a statement run once, and PostgreSQL's generic plan
// of a reused `id = any($1)` is worse than the custom plan for a 10,000-element array.
#include "fixtures.hpp"

#include <benchmark/benchmark.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include <charconv>
#include <cstring>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

namespace bench::raw_side {

using Clock = std::chrono::steady_clock;

namespace {

// ---------------------------------------------------------------- the SQL lucid-cpp emits (see --lucid_print_sql)
const char* kInsertSqlite = R"(insert into "users" ("email", "name") values (?, ?) returning "id")";
const char* kInsertPg = R"(insert into "users" ("email", "name") values ($1, $2) returning "id")";
const char* kFindSqlite = R"(select * from "users" where "id" = ? limit ?)";
const char* kFindPg = R"(select * from "users" where "id" = $1 limit $2)";
const char* kProfiles = R"(select * from "profiles")";
const char* kUsersInJsonSqlite = R"(select * from "users" where "users"."id" in (select value from json_each(?)))";
const char* kUsersAnyPg = R"(select * from "users" where "users"."id" = any($1))";
const char* kUsersUpToSqlite = R"(select * from "users" where "id" <= ?)";
const char* kUsersUpToPg = R"(select * from "users" where "id" <= $1)";
const char* kPostsAnyPg = R"(select * from "posts" where "posts"."user_id" = any($1))";
const char* kNotes = R"(select * from "notes")";
const char* kPostsByIdJsonSqlite = R"(select * from "posts" where "posts"."id" in (select value from json_each(?)))";
const char* kPostsByIdAnyPg = R"(select * from "posts" where "posts"."id" = any($1))";
const char* kUsersUpToOrderedSqlite = R"(select * from "users" where "id" <= ? order by "id" asc)";
const char* kUsersUpToOrderedPg = R"(select * from "users" where "id" <= $1 order by "id" asc)";
const char* kUpdateSqlite = R"(update "users" set "name" = ? where "id" = ?)";
const char* kUpdatePg = R"(update "users" set "name" = $1 where "id" = $2)";
const char* kWhereHasSqlite =
    R"(select "users".*, (select count(*) from "posts" where "posts"."user_id" = "users"."id") as "posts_count" from "users" )"
    R"(where exists (select * from "posts" where "is_published" = ? and "posts"."user_id" = "users"."id"))";
const char* kWhereHasPg =
    R"(select "users".*, (select count(*) from "posts" where "posts"."user_id" = "users"."id") as "posts_count" from "users" )"
    R"(where exists (select * from "posts" where "is_published" = $1 and "posts"."user_id" = "users"."id"))";

// lucid-cpp's SQLite dialect inlines up to 1,000 values in `in (...)`; beyond, one JSON array binding.
std::string postsInSqlite(std::size_t n) {
    std::string s = R"(select * from "posts" where "posts"."user_id" in ()";
    for (std::size_t i = 0; i < n; ++i) s += i ? ", ?" : "?";
    return s + ")";
}

// ---------------------------------------------------------------- sqlite3 helpers
void step(raw::Sqlite& db, sqlite3_stmt* st, int expect) {
    if (sqlite3_step(st) != expect) db.fail("step");
}
std::string text(sqlite3_stmt* st, int c) {
    return std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, c)), static_cast<std::size_t>(sqlite3_column_bytes(st, c)));
}
std::optional<int64_t> optInt(sqlite3_stmt* st, int c) {
    if (sqlite3_column_type(st, c) == SQLITE_NULL) return std::nullopt;
    return sqlite3_column_int64(st, c);
}
UserRow userRow(sqlite3_stmt* st) { return UserRow{sqlite3_column_int64(st, 0), text(st, 1), text(st, 2)}; }
ProfileRow profileRow(sqlite3_stmt* st) {
    return ProfileRow{sqlite3_column_int64(st, 0), optInt(st, 1), text(st, 2), sqlite3_column_int(st, 3) != 0, nullptr};
}
PostRow postRow(sqlite3_stmt* st) {
    return PostRow{sqlite3_column_int64(st, 0), optInt(st, 1), text(st, 2), sqlite3_column_int(st, 3), sqlite3_column_int(st, 4) != 0};
}
template <class F> void eachRow(raw::Sqlite& db, sqlite3_stmt* st, F&& f) {
    for (;;) {
        int rc = sqlite3_step(st);
        if (rc == SQLITE_DONE) break;
        if (rc != SQLITE_ROW) db.fail("step");
        f(st);
    }
}
void bindText(sqlite3_stmt* st, int i, const std::string& s) {
    sqlite3_bind_text64(st, i, s.data(), s.size(), SQLITE_STATIC, SQLITE_UTF8);
}

// ---------------------------------------------------------------- libpq helpers (text format results)
int64_t pgInt(PGresult* r, int row, int c) {
    const char* p = PQgetvalue(r, row, c);
    int64_t x = 0;
    std::from_chars(p, p + PQgetlength(r, row, c), x);
    return x;
}
std::optional<int64_t> pgOptInt(PGresult* r, int row, int c) {
    if (PQgetisnull(r, row, c)) return std::nullopt;
    return pgInt(r, row, c);
}
std::string pgText(PGresult* r, int row, int c) {
    return std::string(PQgetvalue(r, row, c), static_cast<std::size_t>(PQgetlength(r, row, c)));
}
bool pgBool(PGresult* r, int row, int c) { return PQgetvalue(r, row, c)[0] == 't'; }
UserRow userRow(PGresult* r, int row) { return UserRow{pgInt(r, row, 0), pgText(r, row, 1), pgText(r, row, 2)}; }
ProfileRow profileRow(PGresult* r, int row) {
    return ProfileRow{pgInt(r, row, 0), pgOptInt(r, row, 1), pgText(r, row, 2), pgBool(r, row, 3), nullptr};
}
PostRow postRow(PGresult* r, int row) {
    return PostRow{pgInt(r, row, 0), pgOptInt(r, row, 1), pgText(r, row, 2), static_cast<int32_t>(pgInt(r, row, 3)), pgBool(r, row, 4)};
}
PGresult* execPrepared(raw::Pg& db, const std::string& name, std::initializer_list<const char*> params) {
    return PQexecPrepared(db.handle(), name.c_str(), static_cast<int>(params.size()), params.begin(), nullptr, nullptr, 0);
}
PGresult* execParams(raw::Pg& db, const char* sql, std::initializer_list<const char*> params) {
    return PQexecParams(db.handle(), sql, static_cast<int>(params.size()), nullptr, params.begin(), nullptr, nullptr, 0);
}
void appendInt(std::string& s, int64_t v) {
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    s.append(buf, end);
}
// The distinct non-null keys, in first-seen order.
template <class Rows, class Key> std::vector<int64_t> distinctKeys(const Rows& rows, Key key) {
    std::vector<int64_t> keys;
    keys.reserve(rows.size());
    std::unordered_set<int64_t> seen;
    seen.reserve(rows.size());
    for (const auto& r : rows)
        if (auto k = key(r); k && seen.insert(*k).second) keys.push_back(*k);
    return keys;
}
std::string jsonArray(const std::vector<int64_t>& keys) {
    std::string s = "[";
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (i) s += ',';
        appendInt(s, keys[i]);
    }
    return s + "]";
}
std::string pgArray(const std::vector<int64_t>& keys) {
    std::string s = "{";
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (i) s += ',';
        appendInt(s, keys[i]);
    }
    return s + "}";
}

// ---------------------------------------------------------------- the workloads, per driver
std::vector<UserRow> newUsers() {
    std::vector<UserRow> rows(kInsertRows);
    for (int i = 0; i < kInsertRows; ++i) {
        rows[static_cast<std::size_t>(i)].email = "new" + std::to_string(i) + "@example.com";
        rows[static_cast<std::size_t>(i)].name = "New " + std::to_string(i);
    }
    return rows;
}

Outcome w1Sqlite(raw::Sqlite& db) {
    std::vector<UserRow> rows = newUsers();
    Outcome o;
    auto t0 = Clock::now();
    db.exec("begin");
    sqlite3_stmt* st = db.stmt(kInsertSqlite);
    for (auto& r : rows) {
        bindText(st, 1, r.email);
        bindText(st, 2, r.name);
        step(db, st, SQLITE_ROW);
        r.id = sqlite3_column_int64(st, 0);
        step(db, st, SQLITE_DONE);
        sqlite3_reset(st);
    }
    db.exec("commit");
    o.seconds = since(t0);
    o.check = static_cast<int64_t>(rows.size()) + (rows.back().id - rows.front().id);
    return o;
}

Outcome w1Pg(raw::Pg& db) {
    std::vector<UserRow> rows = newUsers();
    const std::string& name = db.prepare(kInsertPg, 2);
    Outcome o;
    auto t0 = Clock::now();
    db.exec("begin");
    for (auto& r : rows) {
        raw::PgResult res(db.handle(), execPrepared(db, name, {r.email.c_str(), r.name.c_str()}));
        r.id = pgInt(res.get(), 0, 0);
    }
    db.exec("commit");
    o.seconds = since(t0);
    o.check = static_cast<int64_t>(rows.size()) + (rows.back().id - rows.front().id);
    return o;
}

Outcome w2Sqlite(raw::Sqlite& db, const std::vector<int64_t>& ids) {
    Outcome o;
    int64_t sum = 0;
    sqlite3_stmt* st = db.stmt(kFindSqlite);
    auto t0 = Clock::now();
    for (int64_t id : ids) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, 1);
        std::optional<UserRow> u;
        eachRow(db, st, [&](sqlite3_stmt* s) { u = userRow(s); });
        sqlite3_reset(st);
        sum += u->id + static_cast<int64_t>(u->email.size());
    }
    o.seconds = since(t0);
    o.check = sum;
    return o;
}

Outcome w2Pg(raw::Pg& db, const std::vector<int64_t>& ids) {
    const std::string& name = db.prepare(kFindPg, 2);
    Outcome o;
    int64_t sum = 0;
    auto t0 = Clock::now();
    for (int64_t id : ids) {
        char idText[24];
        *std::to_chars(idText, idText + 23, id).ptr = '\0';
        raw::PgResult res(db.handle(), execPrepared(db, name, {idText, "1"}));
        std::optional<UserRow> u;
        if (res.rows() > 0) u = userRow(res.get(), 0);
        sum += u->id + static_cast<int64_t>(u->email.size());
    }
    o.seconds = since(t0);
    o.check = sum;
    return o;
}

std::vector<ProfileRow> profilesSqlite(raw::Sqlite& db) {
    std::vector<ProfileRow> out;
    eachRow(db, db.stmt(kProfiles), [&](sqlite3_stmt* s) { out.push_back(profileRow(s)); });
    return out;
}
std::vector<ProfileRow> profilesPg(raw::Pg& db) {
    raw::PgResult res(db.handle(), execParams(db, kProfiles, {}));
    std::vector<ProfileRow> out;
    const int n = res.rows();
    out.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) out.push_back(profileRow(res.get(), i));
    return out;
}

int64_t profilesCheck(const std::vector<ProfileRow>& ps) {
    int64_t c = 0;
    for (const auto& p : ps) c += p.id + (p.isActive ? 1 : 0) + static_cast<int64_t>(p.avatarUrl.size());
    return c;
}

template <class DB, class Fetch> Outcome w3(DB& db, Fetch fetch) {
    Outcome o;
    auto t0 = Clock::now();
    std::vector<ProfileRow> ps = fetch(db);
    o.seconds = since(t0);
    benchmark::DoNotOptimize(ps.data());
    o.check = profilesCheck(ps);
    return o;
}

// W4: profiles, then their users by one `in` query, matched through a hash map.
void linkUsers(ProfilesWithUsers& out) {
    std::unordered_map<int64_t, std::size_t> byId;
    byId.reserve(out.users.size());
    for (std::size_t i = 0; i < out.users.size(); ++i) byId.emplace(out.users[i].id, i);
    for (auto& p : out.profiles) {
        if (!p.userId) continue;
        auto it = byId.find(*p.userId);
        p.user = it == byId.end() ? nullptr : &out.users[it->second];
    }
}

ProfilesWithUsers w4FetchSqlite(raw::Sqlite& db) {
    ProfilesWithUsers out;
    out.profiles = profilesSqlite(db);
    std::vector<int64_t> keys = distinctKeys(out.profiles, [](const ProfileRow& p) { return p.userId; });
    if (keys.empty()) return out;
    sqlite3_stmt* st = db.stmt(kUsersInJsonSqlite);
    std::string json = jsonArray(keys);
    bindText(st, 1, json);
    out.users.reserve(keys.size());
    eachRow(db, st, [&](sqlite3_stmt* s) { out.users.push_back(userRow(s)); });
    linkUsers(out);
    return out;
}

ProfilesWithUsers w4FetchPg(raw::Pg& db) {
    ProfilesWithUsers out;
    out.profiles = profilesPg(db);
    std::vector<int64_t> keys = distinctKeys(out.profiles, [](const ProfileRow& p) { return p.userId; });
    if (keys.empty()) return out;
    std::string arr = pgArray(keys);
    raw::PgResult res(db.handle(), execParams(db, kUsersAnyPg, {arr.c_str()}));
    const int n = res.rows();
    out.users.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) out.users.push_back(userRow(res.get(), i));
    linkUsers(out);
    return out;
}

template <class DB, class Fetch> Outcome w4(DB& db, Fetch fetch) {
    Outcome o;
    auto t0 = Clock::now();
    ProfilesWithUsers r = fetch(db);
    o.seconds = since(t0);
    for (const auto& p : r.profiles) o.check += p.id + (p.user ? p.user->id : 0);
    return o;
}

// W5: users 1..1000, then their posts by one `in` query, grouped through a hash map.
void groupPosts(std::vector<UserWithPosts>& users, std::vector<PostRow>& posts) {
    std::unordered_map<int64_t, std::size_t> byId;
    byId.reserve(users.size());
    for (std::size_t i = 0; i < users.size(); ++i) byId.emplace(users[i].user.id, i);
    for (auto& p : posts) {
        if (!p.userId) continue;
        auto it = byId.find(*p.userId);
        if (it != byId.end()) users[it->second].posts.push_back(std::move(p));
    }
}

std::vector<UserWithPosts> w5FetchSqlite(raw::Sqlite& db) {
    std::vector<UserWithPosts> users;
    sqlite3_stmt* st = db.stmt(kUsersUpToSqlite);
    sqlite3_bind_int64(st, 1, kW5Users);
    eachRow(db, st, [&](sqlite3_stmt* s) { users.push_back(UserWithPosts{userRow(s), {}}); });
    std::vector<int64_t> keys = distinctKeys(users, [](const UserWithPosts& u) { return std::optional<int64_t>(u.user.id); });
    if (keys.empty()) return users;
    std::vector<PostRow> posts;
    if (keys.size() <= 1000) {
        sqlite3_stmt* ps = db.stmt(postsInSqlite(keys.size()));
        for (std::size_t i = 0; i < keys.size(); ++i) sqlite3_bind_int64(ps, static_cast<int>(i + 1), keys[i]);
        eachRow(db, ps, [&](sqlite3_stmt* s) { posts.push_back(postRow(s)); });
    } else {
        sqlite3_stmt* ps = db.stmt(R"(select * from "posts" where "posts"."user_id" in (select value from json_each(?)))");
        std::string json = jsonArray(keys);
        bindText(ps, 1, json);
        eachRow(db, ps, [&](sqlite3_stmt* s) { posts.push_back(postRow(s)); });
    }
    groupPosts(users, posts);
    return users;
}

std::vector<UserWithPosts> w5FetchPg(raw::Pg& db) {
    std::vector<UserWithPosts> users;
    {
        std::string upTo = std::to_string(kW5Users);
        raw::PgResult res(db.handle(), execParams(db, kUsersUpToPg, {upTo.c_str()}));
        const int n = res.rows();
        users.reserve(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) users.push_back(UserWithPosts{userRow(res.get(), i), {}});
    }
    std::vector<int64_t> keys = distinctKeys(users, [](const UserWithPosts& u) { return std::optional<int64_t>(u.user.id); });
    if (keys.empty()) return users;
    std::string arr = pgArray(keys);
    raw::PgResult res(db.handle(), execParams(db, kPostsAnyPg, {arr.c_str()}));
    const int n = res.rows();
    std::vector<PostRow> posts;
    posts.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) posts.push_back(postRow(res.get(), i));
    groupPosts(users, posts);
    return users;
}

template <class DB, class Fetch> Outcome w5(DB& db, Fetch fetch) {
    Outcome o;
    auto t0 = Clock::now();
    std::vector<UserWithPosts> us = fetch(db);
    o.seconds = since(t0);
    for (const auto& u : us)
        for (const auto& p : u.posts) o.check += u.user.id + p.id + p.points;
    return o;
}

std::vector<std::string> newNames(const std::vector<UserRow>& us, int round) {
    std::vector<std::string> names(us.size());
    for (std::size_t i = 0; i < us.size(); ++i) names[i] = "User " + std::to_string(us[i].id) + " r" + std::to_string(round);
    return names;
}

Outcome w6Sqlite(raw::Sqlite& db, int round) {
    std::vector<UserRow> us;
    sqlite3_stmt* q = db.stmt(kUsersUpToOrderedSqlite);
    sqlite3_bind_int64(q, 1, kSaves);
    eachRow(db, q, [&](sqlite3_stmt* s) { us.push_back(userRow(s)); });
    std::vector<std::string> names = newNames(us, round);
    sqlite3_stmt* st = db.stmt(kUpdateSqlite);
    Outcome o;
    auto t0 = Clock::now();
    for (std::size_t i = 0; i < us.size(); ++i) {
        us[i].name = names[i];
        bindText(st, 1, us[i].name);
        sqlite3_bind_int64(st, 2, us[i].id);
        step(db, st, SQLITE_DONE);
        sqlite3_reset(st);
    }
    o.seconds = since(t0);
    o.check = static_cast<int64_t>(us.size());
    return o;
}

Outcome w6Pg(raw::Pg& db, int round) {
    std::vector<UserRow> us;
    {
        std::string upTo = std::to_string(kSaves);
        raw::PgResult res(db.handle(), execParams(db, kUsersUpToOrderedPg, {upTo.c_str()}));
        for (int i = 0; i < res.rows(); ++i) us.push_back(userRow(res.get(), i));
    }
    std::vector<std::string> names = newNames(us, round);
    const std::string& name = db.prepare(kUpdatePg, 2);
    Outcome o;
    auto t0 = Clock::now();
    for (std::size_t i = 0; i < us.size(); ++i) {
        us[i].name = names[i];
        char idText[24];
        *std::to_chars(idText, idText + 23, us[i].id).ptr = '\0';
        raw::PgResult res(db.handle(), execPrepared(db, name, {us[i].name.c_str(), idText}));
    }
    o.seconds = since(t0);
    o.check = static_cast<int64_t>(us.size());
    return o;
}

std::vector<UserWithCount> w7FetchSqlite(raw::Sqlite& db) {
    std::vector<UserWithCount> out;
    sqlite3_stmt* st = db.stmt(kWhereHasSqlite);
    sqlite3_bind_int(st, 1, 1);
    eachRow(db, st, [&](sqlite3_stmt* s) { out.push_back(UserWithCount{userRow(s), sqlite3_column_int64(s, 3)}); });
    return out;
}
std::vector<UserWithCount> w7FetchPg(raw::Pg& db) {
    raw::PgResult res(db.handle(), execParams(db, kWhereHasPg, {"t"}));
    std::vector<UserWithCount> out;
    const int n = res.rows();
    out.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) out.push_back(UserWithCount{userRow(res.get(), i), pgInt(res.get(), i, 3)});
    return out;
}
template <class DB, class Fetch> Outcome w7(DB& db, Fetch fetch) {
    Outcome o;
    auto t0 = Clock::now();
    std::vector<UserWithCount> us = fetch(db);
    o.seconds = since(t0);
    for (const auto& u : us) o.check += u.user.id + u.postsCount;
    return o;
}

// W8: the notes, then the users and the posts they are on, one `in` query per type, matched through hash maps.
void linkNotes(NotesWithTargets& out) {
    std::unordered_map<int64_t, const UserRow*> users;
    std::unordered_map<int64_t, const PostRow*> posts;
    users.reserve(out.users.size());
    posts.reserve(out.posts.size());
    for (const auto& u : out.users) users.emplace(u.id, &u);
    for (const auto& p : out.posts) posts.emplace(p.id, &p);
    for (auto& n : out.notes) {
        if (n.notableType == "User") {
            auto it = users.find(n.notableId);
            n.user = it == users.end() ? nullptr : it->second;
        } else if (n.notableType == "Post") {
            auto it = posts.find(n.notableId);
            n.post = it == posts.end() ? nullptr : it->second;
        }
    }
}
std::vector<int64_t> notableKeys(const std::vector<NoteRow>& notes, const char* type) {
    return distinctKeys(notes, [&](const NoteRow& n) { return n.notableType == type ? std::optional<int64_t>(n.notableId) : std::nullopt; });
}

NotesWithTargets w8FetchSqlite(raw::Sqlite& db) {
    NotesWithTargets out;
    sqlite3_stmt* st = db.stmt(kNotes);
    eachRow(db, st, [&](sqlite3_stmt* s) { out.notes.push_back(NoteRow{sqlite3_column_int64(s, 0), text(s, 1), sqlite3_column_int64(s, 2), text(s, 3)}); });
    if (std::vector<int64_t> keys = notableKeys(out.notes, "User"); !keys.empty()) {
        sqlite3_stmt* us = db.stmt(kUsersInJsonSqlite);
        std::string json = jsonArray(keys);
        bindText(us, 1, json);
        out.users.reserve(keys.size());
        eachRow(db, us, [&](sqlite3_stmt* s) { out.users.push_back(userRow(s)); });
    }
    if (std::vector<int64_t> keys = notableKeys(out.notes, "Post"); !keys.empty()) {
        sqlite3_stmt* ps = db.stmt(kPostsByIdJsonSqlite);
        std::string json = jsonArray(keys);
        bindText(ps, 1, json);
        out.posts.reserve(keys.size());
        eachRow(db, ps, [&](sqlite3_stmt* s) { out.posts.push_back(postRow(s)); });
    }
    linkNotes(out);
    return out;
}

NotesWithTargets w8FetchPg(raw::Pg& db) {
    NotesWithTargets out;
    {
        raw::PgResult res(db.handle(), execParams(db, kNotes, {}));
        const int n = res.rows();
        out.notes.reserve(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i)
            out.notes.push_back(NoteRow{pgInt(res.get(), i, 0), pgText(res.get(), i, 1), pgInt(res.get(), i, 2), pgText(res.get(), i, 3)});
    }
    if (std::vector<int64_t> keys = notableKeys(out.notes, "User"); !keys.empty()) {
        std::string arr = pgArray(keys);
        raw::PgResult res(db.handle(), execParams(db, kUsersAnyPg, {arr.c_str()}));
        for (int i = 0; i < res.rows(); ++i) out.users.push_back(userRow(res.get(), i));
    }
    if (std::vector<int64_t> keys = notableKeys(out.notes, "Post"); !keys.empty()) {
        std::string arr = pgArray(keys);
        raw::PgResult res(db.handle(), execParams(db, kPostsByIdAnyPg, {arr.c_str()}));
        for (int i = 0; i < res.rows(); ++i) out.posts.push_back(postRow(res.get(), i));
    }
    linkNotes(out);
    return out;
}

template <class DB, class Fetch> Outcome w8(DB& db, Fetch fetch) {
    Outcome o;
    auto t0 = Clock::now();
    NotesWithTargets r = fetch(db);
    o.seconds = since(t0);
    for (const auto& n : r.notes) o.check += n.id + (n.user ? n.user->id : n.post ? n.post->id : 0);
    return o;
}

}  // namespace

Outcome w1Insert(Env& env) {
    Outcome o = env.pg ? w1Pg(*env.pg) : w1Sqlite(*env.sq);
    w1CleanupRaw(env);
    return o;
}
Outcome w2Find(Env& env, const std::vector<int64_t>& ids) { return env.pg ? w2Pg(*env.pg, ids) : w2Sqlite(*env.sq, ids); }
// W9: W2 on each of `threads` threads, each with a connection of its own.
Outcome w9FindThreads(Env& env, const std::vector<int64_t>& ids, int threads) {
    const std::string target = env.url.substr(env.isPg() ? 0 : 7);  // "sqlite:" off
    while (env.isPg() && static_cast<int>(env.pgs.size()) < threads) env.pgs.push_back(std::make_unique<raw::Pg>(target));
    while (!env.isPg() && static_cast<int>(env.sqs.size()) < threads) env.sqs.push_back(std::make_unique<raw::Sqlite>(target));
    std::vector<int64_t> sums(static_cast<std::size_t>(threads));
    Outcome o;
    o.seconds = runThreads(threads, [&](int t) {
        const auto i = static_cast<std::size_t>(t);
        sums[i] = (env.isPg() ? w2Pg(*env.pgs[i], ids) : w2Sqlite(*env.sqs[i], ids)).check;
    });
    for (int64_t s : sums) o.check += s;
    return o;
}
Outcome w3FetchAll(Env& env) { return env.pg ? w3(*env.pg, profilesPg) : w3(*env.sq, profilesSqlite); }
Outcome w4PreloadBelongsTo(Env& env) { return env.pg ? w4(*env.pg, w4FetchPg) : w4(*env.sq, w4FetchSqlite); }
Outcome w5PreloadHasMany(Env& env) { return env.pg ? w5(*env.pg, w5FetchPg) : w5(*env.sq, w5FetchSqlite); }
Outcome w6Save(Env& env, int round) { return env.pg ? w6Pg(*env.pg, round) : w6Sqlite(*env.sq, round); }
Outcome w7WhereHasWithCount(Env& env) { return env.pg ? w7(*env.pg, w7FetchPg) : w7(*env.sq, w7FetchSqlite); }
Outcome w8PreloadMorphTo(Env& env) { return env.pg ? w8(*env.pg, w8FetchPg) : w8(*env.sq, w8FetchSqlite); }

}  // namespace bench::raw_side
