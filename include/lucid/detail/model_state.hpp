#pragma once
// What every model instance carries besides its fields (BaseModel<T> holds one): the originals of its
// columns for dirty tracking, the extras a query selected, and its persisted/deleted/fetched flags
// packed with the transaction or connection it belongs to. Implemented in src/orm/fast/.
#include <lucid/result.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace lucid {
class QueryClient;
namespace detail {
struct TransactionCore;

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

}  // namespace detail
}  // namespace lucid
