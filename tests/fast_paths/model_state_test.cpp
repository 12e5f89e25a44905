// ModelState: its flags (persisted, deleted, fetched) share a word with its link (a client's address or a
// boxed transaction); each must survive every change of the other, and the boxes must be counted right.
#include "support/db_test.hpp"

#include <lucid/detail/model_state.hpp>

#include "database/transaction_core.hpp"
#include "fast_paths/live_allocations.hpp"

#include <memory>

using lucid::QueryClient;
using lucid::detail::ModelState;
using lucid::detail::TransactionCore;
using fast_paths::liveAllocations;

static_assert(alignof(QueryClient) >= 16, "a client's address leaves four low bits for the flags");
static_assert(alignof(lucid::Database) >= 16 && alignof(lucid::Transaction) >= 16 && alignof(lucid::Connection) >= 16);

namespace {

// A client whose address is all a state keeps: it is never asked to run anything.
struct FakeClient : QueryClient {
    lucid::Transaction transaction(const lucid::TransactionOptions&) override { throw lucid::Error("fake"); }
    lucid::Result execute(const lucid::detail::Statement&) override { throw lucid::Error("fake"); }
    const lucid::detail::Dialect& dialect() const override { throw lucid::Error("fake"); }
    const std::string& connectionName() const override { throw lucid::Error("fake"); }
    lucid::Database& database() const override { throw lucid::Error("fake"); }
};

struct Flags {
    bool persisted, deleted, fetched;
};
const Flags kAllFlags[] = {{false, false, false}, {true, false, false}, {false, true, false}, {false, false, true},
                           {true, true, false},   {true, false, true},  {false, true, true},  {true, true, true}};

void setFlags(ModelState& s, Flags f) {
    s.setPersisted(f.persisted);
    s.setDeleted(f.deleted);
    if (f.fetched) s.setFetched();
}
void expectFlags(const ModelState& s, Flags f, const char* after) {
    EXPECT_EQ(s.persisted(), f.persisted) << after;
    EXPECT_EQ(s.deleted(), f.deleted) << after;
    EXPECT_EQ(s.fetched(), f.fetched) << after;
}

class ModelStateTest : public ::testing::Test {
protected:
    FakeClient a, b;
    std::shared_ptr<TransactionCore> core = std::make_shared<TransactionCore>(), other = std::make_shared<TransactionCore>();
};

}  // namespace

TEST_F(ModelStateTest, FlagsAreIndependentOfEachOther) {
    ModelState s;
    expectFlags(s, {false, false, false}, "a new state");
    EXPECT_EQ(s.client(), nullptr);
    EXPECT_EQ(s.trx(), nullptr);
    s.setDeleted(true);
    expectFlags(s, {false, true, false}, "setDeleted");
    s.setPersisted(true);
    expectFlags(s, {true, true, false}, "setPersisted");
    s.setFetched();
    s.setDeleted(false);
    expectFlags(s, {true, false, true}, "setDeleted(false)");
    s.setPersisted(false);
    expectFlags(s, {false, false, true}, "setPersisted(false): fetched is for good");
    EXPECT_EQ(s.client(), nullptr);
}

TEST_F(ModelStateTest, FlagsSurviveEveryChangeOfLink) {
    for (const Flags f : kAllFlags) {
        ModelState s, sharer, swapped;
        setFlags(s, f);
        s.setClient(&a);
        expectFlags(s, f, "setClient");
        EXPECT_EQ(s.client(), &a);
        s.setTrx(core);
        expectFlags(s, f, "setTrx");
        EXPECT_EQ(s.trx(), core);
        EXPECT_EQ(s.client(), &a);
        s.setClient(&b);  // a boxed state takes a new box
        expectFlags(s, f, "setClient while boxed");
        EXPECT_EQ(s.client(), &b);
        EXPECT_EQ(s.trx(), core);
        sharer.setClient(&b);
        sharer.setTrx(other);
        s.shareTrx(sharer);
        expectFlags(s, f, "shareTrx");
        EXPECT_EQ(s.trx(), other);
        swapped.setClient(&a);
        swapped.setPersisted(!f.persisted);
        s.swapLink(swapped);
        expectFlags(s, f, "swapLink");
        EXPECT_EQ(s.client(), &a);
        EXPECT_EQ(s.trx(), nullptr);
        EXPECT_EQ(swapped.persisted(), !f.persisted);
        EXPECT_EQ(swapped.client(), &b);
        EXPECT_EQ(swapped.trx(), other);
        s.swapLink(swapped);
        s.setTrx(nullptr);
        expectFlags(s, f, "setTrx(nullptr)");
        EXPECT_EQ(s.client(), &b);
        EXPECT_EQ(s.trx(), nullptr);
        s.setClient(nullptr);
        expectFlags(s, f, "setClient(nullptr)");
        EXPECT_EQ(s.client(), nullptr);
    }
}

TEST_F(ModelStateTest, FlagsDoNotLeakIntoTheLink) {
    ModelState s;
    setFlags(s, {true, true, true});
    EXPECT_EQ(s.client(), nullptr);
    EXPECT_EQ(s.trx(), nullptr);
    s.setClient(&a);
    EXPECT_EQ(s.client(), &a);
    s.setTrx(core);
    s.setPersisted(false);
    EXPECT_EQ(s.client(), &a);
    EXPECT_EQ(s.trx(), core);
}

TEST_F(ModelStateTest, CopiesShareTheBox) {
    ModelState s;
    setFlags(s, {true, false, true});
    s.setClient(&a);
    s.setTrx(core);
    EXPECT_EQ(core.use_count(), 2);  // one box holds it
    {
        ModelState copy(s);
        ModelState assigned;
        assigned = s;
        EXPECT_EQ(core.use_count(), 2) << "copies share the box instead of making one each";
        expectFlags(copy, {true, false, true}, "copy");
        expectFlags(assigned, {true, false, true}, "copy-assign");
        EXPECT_EQ(assigned.client(), &a);
        EXPECT_EQ(assigned.trx(), core);
        // a sharer that changes its connection leaves the others theirs
        copy.setClient(&b);
        EXPECT_EQ(copy.client(), &b);
        EXPECT_EQ(s.client(), &a);
        EXPECT_EQ(assigned.client(), &a);
        EXPECT_EQ(copy.trx(), core);
        EXPECT_EQ(core.use_count(), 3);
        // ...and so does one that takes another transaction or none
        assigned.setTrx(other);
        copy.setTrx(nullptr);
        EXPECT_EQ(s.trx(), core);
        EXPECT_EQ(s.client(), &a);
        EXPECT_EQ(copy.client(), &b);
    }
    EXPECT_EQ(core.use_count(), 2);
    EXPECT_EQ(other.use_count(), 1);
    s = s;  // self-assignment keeps it
    ModelState& alias = s;
    s = std::move(alias);
    EXPECT_EQ(s.trx(), core);
    EXPECT_EQ(s.client(), &a);
    expectFlags(s, {true, false, true}, "self-assignment");
    s.setTrx(nullptr);
    EXPECT_EQ(core.use_count(), 1) << "the last holder frees the box";
}

TEST_F(ModelStateTest, MovesTakeTheLinkAndKeepTheFlags) {
    ModelState s;
    setFlags(s, {true, true, false});
    s.setClient(&a);
    s.setTrx(core);
    ModelState moved(std::move(s));
    expectFlags(moved, {true, true, false}, "move-constructed");
    EXPECT_EQ(moved.trx(), core);
    EXPECT_EQ(moved.client(), &a);
    // a moved-from model keeps what it is, not what it was linked to
    expectFlags(s, {true, true, false}, "moved-from");  // NOLINT(bugprone-use-after-move)
    EXPECT_EQ(s.trx(), nullptr);
    EXPECT_EQ(s.client(), nullptr);
    EXPECT_EQ(core.use_count(), 2);

    ModelState target;
    setFlags(target, {false, false, true});
    target.setClient(&b);
    target.setTrx(other);
    target = std::move(moved);
    expectFlags(target, {true, true, false}, "move-assigned");
    EXPECT_EQ(target.trx(), core);
    EXPECT_EQ(other.use_count(), 1) << "the target's own box went";
    expectFlags(moved, {true, true, false}, "moved-from by assignment");  // NOLINT(bugprone-use-after-move)
    EXPECT_EQ(moved.trx(), nullptr);
    EXPECT_EQ(core.use_count(), 2);

    ModelState plain;  // a client without a box moves too
    plain.setClient(&b);
    plain.setFetched();
    ModelState taken(std::move(plain));
    EXPECT_EQ(taken.client(), &b);
    EXPECT_TRUE(taken.fetched());
    EXPECT_EQ(plain.client(), nullptr);  // NOLINT(bugprone-use-after-move)
    EXPECT_TRUE(plain.fetched());
}

TEST_F(ModelStateTest, ShareTrxTakesTheBoxWhenTheConnectionIsTheSame) {
    ModelState fetch;  // what a fetch in a transaction holds: its box, no connection
    fetch.setTrx(core);
    const long before = liveAllocations();
    std::vector<ModelState> rows(100);
    const long withRows = liveAllocations();
    for (ModelState& row : rows) {
        row.setPersisted(true);
        row.shareTrx(fetch);
        EXPECT_EQ(row.trx(), core);
        EXPECT_TRUE(row.persisted());
    }
    EXPECT_EQ(liveAllocations(), withRows) << "rows sharing a fetch's transaction allocate nothing";
    EXPECT_EQ(core.use_count(), 2);
    rows[0].shareTrx(fetch);  // sharing the box it holds changes nothing
    EXPECT_EQ(rows[0].trx(), core);
    EXPECT_EQ(core.use_count(), 2);

    ModelState own;  // a model with a connection of its own keeps it, in a box of its own
    own.setClient(&a);
    own.setDeleted(true);
    own.shareTrx(fetch);
    EXPECT_EQ(own.trx(), core);
    EXPECT_EQ(own.client(), &a);
    EXPECT_TRUE(own.deleted());
    EXPECT_EQ(fetch.client(), nullptr);
    EXPECT_EQ(core.use_count(), 3);
    rows = std::vector<ModelState>();  // its storage too (= {} would keep it)
    own = ModelState();
    EXPECT_EQ(core.use_count(), 2);
    EXPECT_EQ(liveAllocations(), before);
}

TEST_F(ModelStateTest, SwapLinkAllocatesNothingAndSwapsBack) {
    ModelState model, saved;  // how useTransaction lends a model another link for a while
    model.setClient(&a);
    model.setTrx(core);
    model.setPersisted(true);
    saved.setTrx(other);
    const long before = liveAllocations();
    model.swapLink(saved);
    EXPECT_EQ(model.trx(), other);
    EXPECT_EQ(model.client(), nullptr);
    EXPECT_TRUE(model.persisted());
    EXPECT_FALSE(saved.persisted());
    EXPECT_EQ(saved.client(), &a);
    model.swapLink(saved);
    EXPECT_EQ(liveAllocations(), before);
    EXPECT_EQ(model.trx(), core);
    EXPECT_EQ(model.client(), &a);
    EXPECT_EQ(saved.trx(), other);
    EXPECT_EQ(core.use_count(), 2);
    EXPECT_EQ(other.use_count(), 2);
}

// On real clients: their addresses leave the flag bits free, and a fetch in a transaction shares one box.
namespace {
struct StateProbe : lucid::BaseModel<StateProbe> {
    int64_t id = 0;
    std::string label;
    static void define(lucid::ModelDefinition<StateProbe>& m) {
        m.table("fast_state_probes");
        m.column(&StateProbe::id, "id", {.isPrimary = true});
        m.column(&StateProbe::label, "label");
    }
};
}  // namespace

class ModelStateDbTest : public lucid_test::DbTest {};

TEST_P(ModelStateDbTest, RealClientsKeepTheFlags) {
    auto heapDb = std::make_unique<lucid::Database>(GetParam());
    QueryClient* clients[] = {&*db, heapDb.get(), &db->connection()};
    for (QueryClient* c : clients) {
        EXPECT_EQ(reinterpret_cast<std::uintptr_t>(c) % 16, 0u);
        ModelState s;
        setFlags(s, {true, true, true});
        s.setClient(c);
        EXPECT_EQ(s.client(), c);
        expectFlags(s, {true, true, true}, "a real client");
    }
    lucid::Transaction trx = db->transaction();
    auto heapTrx = std::make_unique<lucid::Transaction>(trx.transaction());  // a savepoint: SQLite's pool has one connection
    for (QueryClient* c : {static_cast<QueryClient*>(&trx), static_cast<QueryClient*>(heapTrx.get())}) {
        EXPECT_EQ(reinterpret_cast<std::uintptr_t>(c) % 16, 0u);
        ModelState s;
        s.setFetched();
        s.setClient(c);
        s.setTrx(c->transactionCore());
        EXPECT_EQ(s.client(), c);
        EXPECT_EQ(s.trx(), c->transactionCore());
        EXPECT_TRUE(s.fetched());
    }
    heapTrx->rollback();
    trx.rollback();
}

TEST_P(ModelStateDbTest, RowsFetchedInATransactionShareOneBox) {
    dropTables({"fast_state_probes"});
    db->schema().createTable("fast_state_probes", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.string("label");
    });
    for (const char* l : {"a", "b", "c", "d"}) db->table("fast_state_probes").insert({{"label", l}});
    db->transaction([&](lucid::Transaction& trx) {
        const auto core = trx.transactionCore();
        const long before = core.use_count();
        auto rows = StateProbe::query(trx).orderBy("id").all();
        ASSERT_EQ(rows.size(), 4u);
        EXPECT_EQ(core.use_count(), before + 1) << "each row should share the fetch's box, not hold one of its own";
        for (const auto& r : rows) {
            EXPECT_EQ(StateProbe::meta().cstate(&r).trx(), core);
            EXPECT_TRUE(StateProbe::meta().cstate(&r).persisted());
            EXPECT_TRUE(StateProbe::meta().cstate(&r).fetched());
            EXPECT_FALSE(StateProbe::meta().cstate(&r).deleted());
        }
        rows[1].label = "changed";
        rows[1].save();  // through the shared box's transaction
        EXPECT_EQ(StateProbe::meta().cstate(&rows[1]).trx(), core);
        EXPECT_TRUE(StateProbe::meta().cstate(&rows[1]).persisted());
    });
    EXPECT_EQ(StateProbe::findOrFail(2).label, "changed");
}

LUCID_DB_TEST_SUITE(ModelStateDbTest);
