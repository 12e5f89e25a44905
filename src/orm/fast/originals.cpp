// Originals: blocks of encoded column values, which never change once built; chunks count the blocks that use them.
#include <lucid/errors.hpp>
#include <lucid/detail/model_ops.hpp>

#include "orm/fast/thread_cache.hpp"

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

// A find() or a save() builds one small block and drops the one before: each thread keeps one freed small
// chunk for the next, so that loop does not go to malloc for its originals.
constexpr std::size_t kSmallChunk = 128;
struct SpareChunk {
    void* chunk = nullptr;
    ~SpareChunk() { ::operator delete(chunk); }
};

Chunk* newChunk(std::size_t capacity, std::size_t refs = 1) {
    void* p = nullptr;
    if (capacity <= kSmallChunk) {
        capacity = kSmallChunk;
        if (SpareChunk* spare = threadCache<SpareChunk>()) p = std::exchange(spare->chunk, nullptr);
    }
    if (!p) p = ::operator new(sizeof(Chunk) + capacity);
    return new (p) Chunk{{refs}, capacity, 0, 0};
}
void release(Chunk* c, std::size_t n = 1) noexcept {
    if (c->refs.fetch_sub(n, std::memory_order_acq_rel) == n) {
        const bool small = c->capacity == kSmallChunk;
        c->~Chunk();
        SpareChunk* spare = small ? threadCache<SpareChunk>() : nullptr;
        if (spare && !spare->chunk) spare->chunk = c;
        else ::operator delete(c);
    }
}
// The arena lets go of its chunk: its own reference and the reserved ones it did not hand out.
void leave(Chunk* c) noexcept { release(c, 1 + kReserved - c->carved); }

// A block: how far back its chunk starts (2 bytes), the column count (2), then per column a tag byte and
// the fewest bytes that hold its value: integers in 1, 2, 4 or 8 bytes, booleans in the tag, text and blobs
// as a 1- or 4-byte length and the bytes. Most rows take half of a fixed 8 bytes a column.
constexpr std::size_t kHeader = 4;
constexpr std::size_t kMaxColumns = UINT16_MAX;
constexpr std::size_t aligned(std::size_t n) { return (n + 3) & ~std::size_t{3}; }  // blocks start 4-aligned

enum Tag : uint8_t { Null, False, True, Int8, Int16, Int32, Int64, Real, Text8, Text32, Blob8, Blob32 };

// The bytes after the tag: fixed ones, then (for text and blobs) the value's own.
std::size_t fixedSize(Tag t) {
    static constexpr uint8_t sizes[] = {0, 0, 0, 1, 2, 4, 8, 8, 1, 4, 1, 4};
    return sizes[t];
}
constexpr std::size_t kMaxEncoded = 9;  // a tag and 8 bytes: the most a value takes besides its text or blob bytes

template <class T> T load(const std::byte* p) noexcept {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
template <class T> std::byte* store(std::byte* p, T v) noexcept {
    std::memcpy(p, &v, sizeof v);
    return p + sizeof v;
}
std::byte* tagged(std::byte* at, Tag t) noexcept {
    *at = static_cast<std::byte>(t);
    return at + 1;
}

Chunk* chunkOf(const std::byte* p) noexcept { return reinterpret_cast<Chunk*>(const_cast<std::byte*>(p) - load<uint16_t>(p)); }
std::size_t countOf(const std::byte* p) noexcept { return load<uint16_t>(p + 2); }

// The most bytes the block of these cells can take (its exact size is known once written).
template <class CellAt> std::size_t boundFor(std::size_t n, CellAt cell) {
    if (n > kMaxColumns) throw Error("E_TOO_MANY_COLUMNS", "a model of over 65535 columns cannot be tracked");
    std::size_t size = kHeader + n * kMaxEncoded;
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t length = cell(i).bytes.size();
        // neither database stores a value past 1 GB; a local one that large could not be saved either
        if (length > UINT32_MAX) throw Error("E_VALUE_TOO_LARGE", "a column value of over 4 GB cannot be tracked");
        size += length;
    }
    return aligned(size);
}

std::byte* writeInt(std::byte* at, int64_t v) noexcept {
    if (v >= INT8_MIN && v <= INT8_MAX) return store(tagged(at, Int8), static_cast<int8_t>(v));
    if (v >= INT16_MIN && v <= INT16_MAX) return store(tagged(at, Int16), static_cast<int16_t>(v));
    if (v >= INT32_MIN && v <= INT32_MAX) return store(tagged(at, Int32), static_cast<int32_t>(v));
    return store(tagged(at, Int64), v);
}
std::byte* writeBytes(std::byte* at, std::string_view b, bool text) noexcept {
    if (b.size() <= UINT8_MAX) at = store(tagged(at, text ? Text8 : Blob8), static_cast<uint8_t>(b.size()));
    else at = store(tagged(at, text ? Text32 : Blob32), static_cast<uint32_t>(b.size()));
    if (!b.empty()) std::memcpy(at, b.data(), b.size());
    return at + b.size();
}

// Writes the block for the cells that cell(i) returns, i < n, at p (at most boundFor bytes; chunk bytes are
// < 64 KB from their chunk's start); returns its size.
template <class CellAt> std::size_t write(std::byte* p, Chunk* chunk, std::size_t n, CellAt cell) {
    std::byte* at = store(p, static_cast<uint16_t>(p - reinterpret_cast<std::byte*>(chunk)));
    at = store(at, static_cast<uint16_t>(n));
    for (std::size_t i = 0; i < n; ++i) {
        const Cell& c = cell(i);
        switch (c.kind) {
        case Value::Kind::Null: at = tagged(at, Null); break;
        case Value::Kind::Bool: at = tagged(at, c.integer ? True : False); break;
        case Value::Kind::Int: at = writeInt(at, c.integer); break;
        case Value::Kind::Double: at = store(tagged(at, Real), c.real); break;
        case Value::Kind::Text: at = writeBytes(at, c.bytes, true); break;
        case Value::Kind::Blob: at = writeBytes(at, c.bytes, false); break;
        }
    }
    return aligned(static_cast<std::size_t>(at - p));
}

// Decodes the value at `at` into c; returns where the next one starts.
const std::byte* decode(const std::byte* at, Cell& c) noexcept {
    const auto t = static_cast<Tag>(*at++);
    std::size_t length = 0;
    switch (t) {
    case Null: c.kind = Value::Kind::Null; return at;
    case False:
    case True: c.kind = Value::Kind::Bool; c.integer = t == True; return at;
    case Int8: c.kind = Value::Kind::Int; c.integer = load<int8_t>(at); return at + 1;
    case Int16: c.kind = Value::Kind::Int; c.integer = load<int16_t>(at); return at + 2;
    case Int32: c.kind = Value::Kind::Int; c.integer = load<int32_t>(at); return at + 4;
    case Int64: c.kind = Value::Kind::Int; c.integer = load<int64_t>(at); return at + 8;
    case Real: c.kind = Value::Kind::Double; c.real = load<double>(at); return at + 8;
    case Text8:
    case Blob8: length = load<uint8_t>(at); at += 1; break;
    case Text32:
    case Blob32: length = load<uint32_t>(at); at += 4; break;
    }
    c.kind = t == Text8 || t == Text32 ? Value::Kind::Text : Value::Kind::Blob;
    c.bytes = std::string_view(reinterpret_cast<const char*>(at), length);
    return at + length;
}
const std::byte* skip(const std::byte* at) noexcept {
    const auto t = static_cast<Tag>(*at);
    switch (t) {
    case Text8:
    case Blob8: return at + 2 + load<uint8_t>(at + 1);
    case Text32:
    case Blob32: return at + 5 + load<uint32_t>(at + 1);
    default: return at + 1 + fixedSize(t);
    }
}

// A block in a chunk of its own.
template <class CellAt> std::byte* standalone(std::size_t n, CellAt cell) {
    Chunk* c = newChunk(boundFor(n, cell));
    c->used = write(c->data(), c, n, cell);
    return c->data();
}
}  // namespace

OriginalsArena::~OriginalsArena() {
    if (chunk_) leave(static_cast<Chunk*>(chunk_));
}

std::byte* OriginalsArena::carve(std::size_t size) {
    auto* c = static_cast<Chunk*>(chunk_);
    // a block must start within 64 KB of its chunk (its header holds the distance in 2 bytes): past a row of
    // over 64 KB, whose chunk is sized for it, the next row takes a new chunk
    if (!c || c->capacity - c->used < size || sizeof(Chunk) + c->used > UINT16_MAX) [[unlikely]] {
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

void Originals::assign(const Cell* cells, const int* index, std::size_t n, std::size_t bytes, OriginalsArena& arena) {
    auto cell = [&](std::size_t i) -> const Cell& { return cells[index[i]]; };
    // the caller summed the lengths while reading the row: no pass over the cells to size the block
    const std::size_t bound = n <= kMaxColumns && bytes <= UINT32_MAX ? aligned(kHeader + n * kMaxEncoded + bytes) : boundFor(n, cell);
    std::byte* p = arena.carve(bound);
    auto* chunk = static_cast<Chunk*>(arena.chunk_);
    chunk->used = static_cast<std::size_t>(p - chunk->data()) + write(p, chunk, n, cell);  // the rest of the bound goes back
    if (p_) clear();
    p_ = p;
}

Cell Originals::operator[](std::size_t i) const noexcept {
    const std::byte* at = p_ + kHeader;
    for (; i > 0; --i) at = skip(at);
    Cell c;
    decode(at, c);
    return c;
}

void Originals::read(Cell* out, std::size_t n) const noexcept {
    const std::byte* at = p_ + kHeader;
    for (std::size_t i = 0; i < n; ++i) at = decode(at, out[i]);
}

}  // namespace lucid::detail
