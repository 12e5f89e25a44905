#pragma once
// The untyped model descriptor that define() produces once per model and every operation reads.
#include <lucid/json.hpp>
#include <lucid/naming.hpp>
#include <lucid/query.hpp>
#include <lucid/result.hpp>
#include <lucid/transaction.hpp>

#include <array>
#include <cstring>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace lucid {

struct ColumnOptions {
    // out of line: every column() call destroys its options, and define() stays small
    ~ColumnOptions();
    bool isPrimary = false;
    std::string columnName;
    std::string serializeAs;
    bool hidden = false;
    bool autoCreate = false;
    bool autoUpdate = false;
    std::function<Value(const Value&)> prepare;
    std::function<Value(const Value&)> consume;
    // Places after the point a read gives (a Decimal of that scale; SQLite's REAL rounded half away from
    // zero); also sum/min/max of the column. -1: keep what the database gives.
    int scale = -1;
    // How the column appears in serialize(), given the field's value; unset: the field's own JSON.
    std::function<nlohmann::json(const Value&)> serialize;
};

namespace detail {

struct ModelMeta;
class Relation;
class ModelQueryCore;

// Type-erased access to one field of a model instance.
struct FieldAccess {
    virtual ~FieldAccess() = default;
    virtual Value get(const void* model) const = 0;
    virtual void set(void* model, const Value& v) const = 0;  // throws TypeError
    virtual void read(void* model, const Cell& c) const = 0;  // set() from a driver's cell, without a Value when it can
    virtual void copy(void* dst, const void* src) const = 0;
    virtual bool isUnset(const void* model) const = 0;  // default-constructed value (0, "", nullopt, epoch)
    virtual nlohmann::json toJson(const void* model) const = 0;
    virtual void fromJson(void* model, const nlohmann::json& j) const = 0;
    virtual bool isDateTime() const = 0;
    // Throws TypeError for a value the databases would store but not give back (NaN, a DateTime outside years 1-9999).
    virtual void checkWritable(const void* model) const = 0;
    // Whether the field holds what `c` converts to (false when it cannot convert).
    virtual bool equals(const void* model, const Cell& c) const = 0;
};

// A member pointer's bytes: identifies the member without knowing its type.
template <class P> std::string memberKey(P p) {
    std::string k(sizeof(P), '\0');
    std::memcpy(k.data(), &p, sizeof(P));
    return k;
}

struct ColumnMeta {
    std::string property, column, serializeAs;
    ColumnOptions options;
    std::unique_ptr<FieldAccess> access;
    std::string member;  // memberKey of the field
};

class OriginalsArena;

// A model's column values in database form (after prepare) as last read or written, for dirty tracking
// and original(). They live in an immutable block, so copying a model shares it (a reference count);
// the blocks of a fetch's rows are carved from shared chunks, so hydrating a row allocates nothing here.
class Originals {
public:
    Originals() = default;
    Originals(const Originals& o) noexcept;
    Originals(Originals&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
    Originals& operator=(const Originals& o) noexcept;
    Originals& operator=(Originals&& o) noexcept;
    ~Originals() {
        if (p_) clear();
    }

    bool empty() const noexcept { return p_ == nullptr; }
    std::size_t size() const noexcept;
    void clear() noexcept;
    void assign(const Cell* cells, std::size_t n);  // copies what the cells view
    void assign(const std::vector<Value>& values);
    // column i := cells[index[i]], in a block of `arena`; `bytes`: the length of their text and blobs, summed
    void assign(const Cell* cells, const int* index, std::size_t n, std::size_t bytes, OriginalsArena& arena);
    Cell operator[](std::size_t i) const noexcept;  // a view, valid until the next change; walks i values
    Value value(std::size_t i) const { return (*this)[i].value(); }

    // The first n (<= size()) cells, in column order, into out: views valid until the next change.
    void read(Cell* out, std::size_t n) const noexcept;

private:
    std::byte* p_ = nullptr;
};

// The chunk that the originals of a fetch's rows are carved from; a chunk is freed when the arena and
// every model whose originals it holds are gone (a kept model keeps its chunk, at most a few KB).
class OriginalsArena {
public:
    OriginalsArena() = default;
    OriginalsArena(const OriginalsArena&) = delete;
    OriginalsArena& operator=(const OriginalsArena&) = delete;
    ~OriginalsArena();

private:
    friend class Originals;
    inline std::byte* carve(std::size_t size);  // a block, with a reference for its holder
    void* chunk_ = nullptr;
};

// Values a query selected beyond the model's columns (Lucid's $extras). Most rows have none, so they
// cost a pointer, not an empty vector.
class Extras {
public:
    Extras() = default;
    Extras(const Extras& o) : p_(o.p_ ? std::make_unique<Attributes>(*o.p_) : nullptr) {}
    Extras(Extras&&) noexcept = default;
    Extras& operator=(const Extras& o) {
        if (this != &o) p_ = o.p_ ? std::make_unique<Attributes>(*o.p_) : nullptr;
        return *this;
    }
    Extras& operator=(Extras&&) noexcept = default;

    const Attributes& all() const noexcept {
        static const Attributes none;
        return p_ ? *p_ : none;
    }
    Attributes::const_iterator begin() const noexcept { return all().begin(); }
    Attributes::const_iterator end() const noexcept { return all().end(); }
    void clear() noexcept {
        if (p_) p_->clear();
    }
    void add(std::string name, Value v) {
        if (!p_) p_ = std::make_unique<Attributes>();
        p_->emplace_back(std::move(name), std::move(v));
    }
    void set(const std::string& name, Value v) {  // replaces the value of that name, or adds it
        if (p_)
            for (auto& [k, old] : *p_)
                if (k == name) return void(old = std::move(v));
        add(name, std::move(v));
    }

private:
    std::unique_ptr<Attributes> p_;
};

// What a model instance carries besides its fields. 24 bytes: every fetched row has one.
class ModelState {
public:
    Originals original;  // per column; empty while local
    Extras extras;

    ModelState() = default;
    ModelState(const ModelState& o);  // copies the extras: may throw bad_alloc
    // a moved-from model keeps whether it is persisted and deleted, as its other fields keep their values
    ModelState(ModelState&& o) noexcept
        : original(std::move(o.original)), extras(std::move(o.extras)), word_(std::exchange(o.word_, o.word_ & kState)) {}
    ModelState& operator=(const ModelState& o);
    ModelState& operator=(ModelState&& o) noexcept;
    ~ModelState() {
        if (word_ & kBoxed) release();
    }

    bool persisted() const noexcept { return word_ & kPersisted; }
    bool deleted() const noexcept { return word_ & kDeleted; }
    void setPersisted(bool on) noexcept { word_ = on ? word_ | kPersisted : word_ & ~kPersisted; }
    void setDeleted(bool on) noexcept { word_ = on ? word_ | kDeleted : word_ & ~kDeleted; }
    // Made from a row of the database (Lucid's !$isLocal), not in this process; for good once set.
    bool fetched() const noexcept { return word_ & kFetched; }
    void setFetched() noexcept { word_ |= kFetched; }

    // The model's transaction (useTransaction, or fetched in one), or null.
    std::shared_ptr<TransactionCore> trx() const;
    void setTrx(std::shared_ptr<TransactionCore> core);
    // A connection it was created or fetched through (not owned), or null.
    QueryClient* client() const noexcept;
    void setClient(QueryClient* c) {
        if (word_ & kBoxed) return reboxClient(c);
        link(reinterpret_cast<uintptr_t>(c));
    }
    // Takes the transaction of `o` (which holds one), sharing its reference: one atomic increment, not an
    // allocation, for each row a transaction fetches.
    void shareTrx(const ModelState& o);
    // Exchanges the transactions and connections of two states (not their flags), allocating nothing.
    void swapLink(ModelState& o) noexcept {
        constexpr uintptr_t link = ~kState;
        const uintptr_t mine = word_ & link;
        word_ = (o.word_ & link) | (word_ & ~link);
        o.word_ = mine | (o.word_ & ~link);
    }

private:
    struct Box;  // a transaction and a connection, shared by the states that use them
    // A QueryClient*, or (kBoxed) a Box*; both 16-aligned, so the low bits hold the flags.
    static constexpr uintptr_t kBoxed = 1, kPersisted = 2, kDeleted = 4, kFetched = 8, kFlags = 15;
    static constexpr uintptr_t kState = kPersisted | kDeleted | kFetched;  // what a model is, not what it is linked to
    Box* box() const noexcept { return (word_ & kBoxed) ? reinterpret_cast<Box*>(word_ & ~kFlags) : nullptr; }
    void release() noexcept;
    void reboxClient(QueryClient* c);
    void link(uintptr_t target) noexcept { word_ = target | (word_ & kState); }
    uintptr_t word_ = 0;
};

// How a result's columns fill a model: computed once per result shape (column names).
struct ColumnMap {
    std::vector<int> toModel;     // per result column: the model column it fills, or -1 (an extra)
    std::vector<const FieldAccess*> readers;  // per result column: its field, when it is read without consume()
    std::vector<int> fromResult;  // per model column: the result column that holds it, or -1
    bool complete = false;        // every model column is in the result
};
using ColumnMapPtr = std::shared_ptr<const ColumnMap>;

enum class Hook { BeforeSave, AfterSave, BeforeCreate, AfterCreate, BeforeUpdate, AfterUpdate, BeforeDelete, AfterDelete, AfterFind, Count };

struct ModelMeta {
    ModelMeta();
    ~ModelMeta();
    ModelMeta(const ModelMeta&) = delete;
    ModelMeta& operator=(const ModelMeta&) = delete;
    std::string name, table, connection;
    std::vector<ColumnMeta> columns;
    int primary = -1;
    std::unordered_map<std::string, int> byProperty, byColumn;
    std::vector<std::unique_ptr<Relation>> relations;
    std::shared_ptr<const NamingStrategy> naming;
    bool serializeExtras = false;

    // typed operations, filled by the model's template
    ModelState& (*state)(void*) = nullptr;
    const ModelState& (*cstate)(const void*) = nullptr;
    std::shared_ptr<void> (*create)() = nullptr;
    // hydrates rows into new instances (running afterFetch/afterFind), shared for preloads
    std::vector<std::shared_ptr<void>> (*fetchShared)(const ModelMeta&, Result&, QueryClient&) = nullptr;
    const void* defaults = nullptr;  // a default-constructed instance, for fill()

    std::array<std::vector<std::function<void(void*)>>, static_cast<std::size_t>(Hook::Count)> hooks;
    std::vector<std::function<void(void*)>> afterFetch;   // std::vector<T>*
    std::vector<std::function<void(ModelQueryCore&)>> beforeFind;
    std::vector<std::function<void(ModelQueryCore&)>> beforeFetch;

    const ColumnMeta& primaryColumn() const { return columns[static_cast<std::size_t>(primary)]; }

    // Caches filled on first use: SQL text per dialect and statement shape (find by primary key, the
    // UPDATE of a set of dirty columns), the column map per result shape.
    struct CachedSql {
        const Dialect* dialect;
        std::string shape, sql;
    };
    mutable std::mutex sqlCacheMutex;
    mutable std::vector<std::unique_ptr<const CachedSql>> sqlCache;  // entries never move nor go: statements point to them
    mutable std::vector<std::pair<std::vector<std::string>, ColumnMapPtr>> columnMaps;  // result columns -> map
    int findProperty(std::string_view property) const;
    int findColumn(std::string_view column) const;
    const ColumnMeta& column(std::string_view property) const;  // throws naming the model
    std::string resolveColumn(std::string_view propertyOrColumn) const;  // -> column name; "t.c" passes through
    Relation* findRelation(std::string_view name) const;
    Relation& relation(std::string_view name) const;  // throws UndefinedRelationship
    Relation& relationByMember(const std::string& member) const;
    void runHooks(Hook h, void* model) const {
        const auto& list = hooks[static_cast<std::size_t>(h)];
        if (!list.empty()) runEach(list, model);  // most models have no hooks: no call
    }
    static void runEach(const std::vector<std::function<void(void*)>>& list, void* model);
};

// Holds a model's descriptor: built on first use, thread-safely; a definition error is kept and thrown
// again on every later use. Relations are resolved (booted) separately, on first use of the model, so
// models may refer to each other.
class MetaHolder {
public:
    explicit MetaHolder(void (*build)(ModelMeta&));
    ~MetaHolder();
    const ModelMeta& defined() const;  // columns checked; relations declared, not resolved
    const ModelMeta& booted() const;   // relations resolved too

private:
    std::unique_ptr<ModelMeta> meta_;
    std::exception_ptr error_;
    mutable std::once_flag bootOnce_;
    mutable std::exception_ptr bootError_;
};

// Untyped model operations (src/orm): the typed layer only forwards to these.
std::string demangledModelName(const char* mangled);
void finalizeMeta(ModelMeta& meta);
// A column of `meta`: its field accessor made by makeField(offset); `member` holds the member pointer's bytes.
void addColumn(ModelMeta& meta, std::string_view property, const ColumnOptions* options,
               std::unique_ptr<FieldAccess> (*makeField)(std::size_t offset), std::size_t offset, const void* member, std::size_t memberSize);
// For each result column, the model column it fills (-1: an extra); cached per result shape.
ColumnMapPtr columnMap(const ModelMeta& meta, const std::vector<std::string>& columns);
// One row's cells into a model (fields, originals, extras).
void hydrateCells(const ModelMeta& meta, const std::vector<std::string>& columns, const Cell* cells, const ColumnMap& map, void* model,
                  OriginalsArena& arena);
// Hydrates every row of `r` into consecutive instances starting at `first`, `stride` bytes apart.
void hydrateRows(const ModelMeta& meta, const Result& r, void* first, std::size_t stride, QueryClient& client);
void markPersisted(const ModelMeta& meta, void* model);  // original := current values
// The client a model instance writes through: its open transaction, else the connection it came from,
// else its model's connection. Holds a non-owning Transaction view when needed.
class ClientHandle {
public:
    explicit ClientHandle(QueryClient& c) : c_(&c) {}
    explicit ClientHandle(Transaction view) : view_(std::move(view)), c_(&*view_) {}
    ClientHandle(ClientHandle&& o) noexcept : view_(std::move(o.view_)), c_(view_ ? &*view_ : o.c_) {}
    QueryClient& get() const { return *c_; }

private:
    std::optional<Transaction> view_;
    QueryClient* c_;
};
ClientHandle clientFor(const ModelMeta& meta, void* model);
std::shared_ptr<QueryClient> sharedClientFor(const ModelMeta& meta, void* model);
bool sameValues(const ModelMeta& meta, const void* a, const void* b, const std::vector<std::string>& properties);
// dst's columns := src's, except the primary key and the listed properties
void copyColumns(const ModelMeta& meta, void* dst, const void* src, const std::vector<std::string>& except);
QueryClient& defaultClient(const ModelMeta& meta);
void adoptTransaction(const ModelMeta& meta, void* model, QueryClient& client);  // models fetched in a trx keep it
// find(id): the row with that primary key into `out` (false when none); its SQL is compiled once per dialect.
bool findInto(const ModelMeta& meta, QueryClient* client, Value id, void* out);
void saveModel(const ModelMeta& meta, void* model);
// createMany: in one transaction; multi-row INSERTs when the model has no create/save hooks. On failure
// the instances are left as they were.
void createModels(const ModelMeta& meta, QueryClient& client, const std::vector<void*>& models);
void removeModel(const ModelMeta& meta, void* model);
void refreshModel(const ModelMeta& meta, void* model);
void mergeAttributes(const ModelMeta& meta, void* model, const Attributes& values);
void mergeJson(const ModelMeta& meta, void* model, const nlohmann::json& values);
void resetToDefaults(const ModelMeta& meta, void* model);
Attributes dirtyAttributes(const ModelMeta& meta, const void* model);
Attributes originalAttributes(const ModelMeta& meta, const void* model);
nlohmann::json serializeModel(const ModelMeta& meta, const void* model);
// fn (sum/min/max) of `column` over the query's rows; with the column's scale, exact decimal text of that scale.
Value scaledAggregate(const ModelMeta& meta, QueryBuilder& query, const char* fn, std::string_view column);
Value primaryKeyValue(const ModelMeta& meta, const void* model);
[[noreturn]] void throwRowNotFound(const ModelMeta& meta);

// Snapshot of a model instance (fields and state) to restore when a persistence call fails.
class ModelSnapshot {
public:
    ModelSnapshot(const ModelMeta& meta, void* model);
    void restore();

private:
    const ModelMeta* meta_;
    void* model_;
    std::vector<Value> values_;
    ModelState state_;
};



}  // namespace detail
}  // namespace lucid
