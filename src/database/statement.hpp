#pragma once
// What the layers above hand a driver: a statement (SQL, bindings, how it may be run), and the sink its
// rows may stream into.
#include <lucid/result.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lucid::detail {

// A statement ready for a driver: SQL in the dialect's placeholders, and its bindings.
struct Statement {
    // Whether a plan kept for the statement can outlive a schema change: not when its rows' columns are
    // the table's (`*`), since a new column changes them.
    enum class Columns : uint8_t {
        Unmarked,   // built by hand: a read may select `*`, a write returns no rows (a model's cached find or UPDATE)
        Fixed,      // named columns, or no rows
        FromTable,  // `*`
    };

    std::string sql;
    Bindings bindings;
    std::string_view model;  // the model that issued it, for events
    bool read = false;       // a SELECT that may go to a read replica
    int64_t timeoutMs = 0;   // cancelled past this many milliseconds (lucid::QueryTimeout); 0: no limit
    // SQL kept by a cache that outlives the statement (a model's compiled shapes), used instead of `sql`
    const std::string* cachedSql = nullptr;

    // How a driver may run it, marked by whoever built it (the compiler, the schema builder, transactions):
    // drivers never read the SQL text. The defaults fit DML built by hand from compiled text.
    bool preparable = true;      // DML that repeats: a driver may keep its plan per connection (not DDL,
                                 // transaction control, nor a per-call key list whose length a plan cannot know)
    Columns columns = Columns::Unmarked;
    bool changesSchema = false;  // DDL: plans kept from before it may no longer fit
    bool commits = false;        // COMMIT: a server that answers it with ROLLBACK (a statement had failed) is an error

    const std::string& text() const noexcept { return cachedSql ? *cachedSql : sql; }
    // Takes how `compiled` may be run (not its SQL nor bindings): for a statement whose text a cache keeps.
    void markLike(const Statement& compiled) noexcept {
        preparable = compiled.preparable;
        columns = compiled.columns;
        changesSchema = compiled.changesSchema;
        commits = compiled.commits;
    }
    // Its plan can be kept inside a transaction, where a stale one cannot be made again (the transaction is aborted).
    bool keepsShape() const noexcept { return columns == Columns::Fixed || (columns == Columns::Unmarked && !read); }
};

// Receives rows one at a time instead of a whole Result; the cells are views valid during the call.
struct RowSink {
    virtual ~RowSink() = default;
    // `rows`: how many rows will follow when the driver knows it up front (else 0), to reserve for them.
    // `shape`: when not 0, identifies these column names: a shape always comes with the same names, so
    // what a sink derives from them can be kept under it.
    virtual void begin(const std::vector<std::string>& columns, std::size_t rows, uint64_t shape) = 0;
    virtual void row(const Cell* cells) = 0;
};

}  // namespace lucid::detail
