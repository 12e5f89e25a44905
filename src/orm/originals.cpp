// Originals. A block: how far back its chunk starts (4 bytes), the column count (4), one kind byte per column (padded to 8),
// one 8-byte payload per column (integer, double, or offset and length of the bytes), then the bytes of
// the text and blob values. Blocks never change once built; chunks count the blocks that use them.
#include <lucid/errors.hpp>
#include <lucid/model_meta.hpp>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <new>

namespace lucid::detail {
namespace {
struct Chunk {
    std::atomic<std::size_t> refs;
    std::size_t capacity, used;
    std::size_t carved;  // blocks an arena handed out from it (their references come out of kReserved)
    std::byte* data() noexcept { return reinterpret_cast<std::byte*>(this + 1); }
};
static_assert(sizeof(Chunk) % 8 == 0);
constexpr std::size_t kChunkBytes = 8192 - sizeof(Chunk);

// An arena's chunk starts with its own reference plus kReserved for the blocks it will carve, so carving
// needs no atomic operation per row; the unused ones go back when the arena moves on. A block released
// meanwhile (a model hydrated twice in one fetch) only takes the count down from that large number.
constexpr std::size_t kReserved = std::size_t{1} << 40;

Chunk* newChunk(std::size_t capacity, std::size_t refs = 1) {
    void* p = ::operator new(sizeof(Chunk) + capacity);
    return new (p) Chunk{{refs}, capacity, 0, 0};
}
void release(Chunk* c, std::size_t n = 1) noexcept {
    if (c->refs.fetch_sub(n, std::memory_order_acq_rel) == n) {
        c->~Chunk();
        ::operator delete(c);
    }
}
// The arena lets go of its chunk: its own reference and the reserved ones it did not hand out.
void leave(Chunk* c) noexcept { release(c, 1 + kReserved - c->carved); }

constexpr std::size_t kHeader = 8;  // distance back to the chunk, count
constexpr std::size_t padded(std::size_t n) { return (n + 7) & ~std::size_t{7}; }

struct Bytes {
    uint32_t offset, length;
};
union Payload {
    int64_t integer;
    double real;
    Bytes bytes;
};
static_assert(sizeof(Payload) == 8);

Chunk* chunkOf(const std::byte* p) noexcept {
    return reinterpret_cast<Chunk*>(const_cast<std::byte*>(p) - *reinterpret_cast<const uint32_t*>(p));
}
std::size_t countOf(const std::byte* p) noexcept { return *reinterpret_cast<const uint32_t*>(p + 4); }
const Value::Kind* kindsOf(const std::byte* p) noexcept { return reinterpret_cast<const Value::Kind*>(p + kHeader); }
std::size_t payloadAt(std::size_t n) noexcept { return kHeader + padded(n); }
bool hasBytes(Value::Kind k) noexcept { return k == Value::Kind::Text || k == Value::Kind::Blob; }

template <class CellAt> std::size_t sizeFor(std::size_t n, CellAt cell) {
    std::size_t size = payloadAt(n) + n * sizeof(Payload);
    for (std::size_t i = 0; i < n; ++i) {
        const Cell& c = cell(i);
        if (hasBytes(c.kind)) size += c.bytes.size();
    }
    // neither database stores a value past 1 GB; a local one that large could not be saved either
    if (size > UINT32_MAX) throw Error("E_VALUE_TOO_LARGE", "column values of over 4 GB in one row cannot be tracked");
    return padded(size);
}

// Writes the block for the cells that cell(i) returns, i < n, at p.
template <class CellAt> void write(std::byte* p, Chunk* chunk, std::size_t n, CellAt cell) {
    *reinterpret_cast<uint32_t*>(p) = static_cast<uint32_t>(p - reinterpret_cast<std::byte*>(chunk));
    *reinterpret_cast<uint32_t*>(p + 4) = static_cast<uint32_t>(n);
    auto* kinds = reinterpret_cast<Value::Kind*>(p + kHeader);
    auto* payloads = reinterpret_cast<Payload*>(p + payloadAt(n));
    std::size_t at = payloadAt(n) + n * sizeof(Payload);
    for (std::size_t i = 0; i < n; ++i) {
        const Cell& c = cell(i);
        kinds[i] = c.kind;
        Payload& x = payloads[i];
        x.integer = 0;
        switch (c.kind) {
        case Value::Kind::Bool:
        case Value::Kind::Int: x.integer = c.integer; break;
        case Value::Kind::Double: x.real = c.real; break;
        case Value::Kind::Text:
        case Value::Kind::Blob:
            x.bytes = Bytes{static_cast<uint32_t>(at), static_cast<uint32_t>(c.bytes.size())};
            if (!c.bytes.empty()) std::memcpy(p + at, c.bytes.data(), c.bytes.size());
            at += c.bytes.size();
            break;
        case Value::Kind::Null: break;
        }
    }
}

// A block in a chunk of its own.
template <class CellAt> std::byte* standalone(std::size_t n, CellAt cell) {
    const std::size_t size = sizeFor(n, cell);
    Chunk* c = newChunk(size);
    c->used = size;
    write(c->data(), c, n, cell);
    return c->data();
}
}  // namespace

OriginalsArena::~OriginalsArena() {
    if (chunk_) leave(static_cast<Chunk*>(chunk_));
}

std::byte* OriginalsArena::carve(std::size_t size) {
    auto* c = static_cast<Chunk*>(chunk_);
    if (!c || c->capacity - c->used < size) {
        // the first chunk fits one row exactly (a find() keeps no spare bytes), later ones grow to kChunkBytes
        const std::size_t capacity = c ? std::max(size, std::min(kChunkBytes, c->capacity * 8)) : size;
        if (c) leave(c);
        chunk_ = c = newChunk(capacity, 1 + kReserved);
    }
    std::byte* p = c->data() + c->used;
    c->used += size;
    ++c->carved;
    return p;
}

Originals::Originals(const Originals& o) noexcept : p_(o.p_) {
    if (p_) chunkOf(p_)->refs.fetch_add(1, std::memory_order_relaxed);
}

Originals& Originals::operator=(const Originals& o) noexcept {
    if (this != &o) *this = Originals(o);
    return *this;
}

Originals& Originals::operator=(Originals&& o) noexcept {
    if (this != &o) {
        clear();
        p_ = std::exchange(o.p_, nullptr);
    }
    return *this;
}

void Originals::clear() noexcept {
    if (p_) release(chunkOf(p_));
    p_ = nullptr;
}

std::size_t Originals::size() const noexcept { return p_ ? countOf(p_) : 0; }

// The new block is complete before the old one goes: the cells may view the old one.
void Originals::assign(const Cell* cells, std::size_t n) {
    std::byte* p = standalone(n, [&](std::size_t i) -> const Cell& { return cells[i]; });
    clear();
    p_ = p;
}

void Originals::assign(const std::vector<Value>& values) {
    std::vector<Cell> cells(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) cells[i] = Cell::of(values[i]);
    assign(cells.data(), cells.size());
}

void Originals::assign(const Cell* cells, const int* index, std::size_t n, OriginalsArena& arena) {
    auto cell = [&](std::size_t i) -> const Cell& { return cells[index[i]]; };
    std::byte* p = arena.carve(sizeFor(n, cell));
    write(p, static_cast<Chunk*>(arena.chunk_), n, cell);
    clear();
    p_ = p;
}

Cell Originals::operator[](std::size_t i) const noexcept {
    const std::size_t n = countOf(p_);
    const Payload& x = reinterpret_cast<const Payload*>(p_ + payloadAt(n))[i];
    Cell c;
    c.kind = kindsOf(p_)[i];
    switch (c.kind) {
    case Value::Kind::Bool:
    case Value::Kind::Int: c.integer = x.integer; break;
    case Value::Kind::Double: c.real = x.real; break;
    case Value::Kind::Text:
    case Value::Kind::Blob: c.bytes = std::string_view(reinterpret_cast<const char*>(p_ + x.bytes.offset), x.bytes.length); break;
    case Value::Kind::Null: break;
    }
    return c;
}

}  // namespace lucid::detail
