// Originals: one block per model instance. Layout: the column count (8 bytes), one kind byte per
// column (padded to 8), one 8-byte payload per column (integer, double, or offset and length of the
// bytes), then the bytes of the text and blob values.
#include <lucid/errors.hpp>
#include <lucid/model_meta.hpp>

#include <cstdint>
#include <cstring>
#include <new>

namespace lucid::detail {
namespace {
constexpr std::size_t kHeader = 8;
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

std::size_t countOf(const std::byte* p) noexcept { return *reinterpret_cast<const uint64_t*>(p); }
const Value::Kind* kindsOf(const std::byte* p) noexcept { return reinterpret_cast<const Value::Kind*>(p + kHeader); }
std::size_t payloadAt(std::size_t n) noexcept { return kHeader + padded(n); }
bool hasBytes(Value::Kind k) noexcept { return k == Value::Kind::Text || k == Value::Kind::Blob; }

std::size_t blockSize(const std::byte* p) noexcept {
    const std::size_t n = countOf(p);
    std::size_t size = payloadAt(n) + n * sizeof(Payload);
    const auto* payloads = reinterpret_cast<const Payload*>(p + payloadAt(n));
    for (std::size_t i = 0; i < n; ++i)
        if (hasBytes(kindsOf(p)[i])) size += payloads[i].bytes.length;
    return size;
}

// Builds a block from the cells that cell(i) returns for i < n, in one allocation.
template <class CellAt> std::byte* build(std::size_t n, CellAt cell) {
    std::size_t size = payloadAt(n) + n * sizeof(Payload);
    for (std::size_t i = 0; i < n; ++i) {
        const Cell& c = cell(i);
        if (hasBytes(c.kind)) size += c.bytes.size();
    }
    // neither database stores a value past 1 GB; a local one that large could not be saved either
    if (size > UINT32_MAX) throw Error("E_VALUE_TOO_LARGE", "column values of over 4 GB in one row cannot be tracked");
    auto* p = static_cast<std::byte*>(::operator new(size));
    *reinterpret_cast<uint64_t*>(p) = n;
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
    return p;
}
}  // namespace

Originals::Originals(const Originals& o) {
    if (!o.p_) return;
    const std::size_t size = blockSize(o.p_);
    p_ = static_cast<std::byte*>(::operator new(size));
    std::memcpy(p_, o.p_, size);
}

Originals& Originals::operator=(const Originals& o) {
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
    ::operator delete(p_);
    p_ = nullptr;
}

std::size_t Originals::size() const noexcept { return p_ ? countOf(p_) : 0; }

// The new block is complete before the old one goes: the cells may view the old one.
void Originals::assign(const Cell* cells, std::size_t n) {
    std::byte* p = build(n, [&](std::size_t i) -> const Cell& { return cells[i]; });
    ::operator delete(p_);
    p_ = p;
}

void Originals::assign(const Cell* cells, const int* index, std::size_t n) {
    std::byte* p = build(n, [&](std::size_t i) -> const Cell& { return cells[index[i]]; });
    ::operator delete(p_);
    p_ = p;
}

void Originals::assign(const std::vector<Value>& values) {
    std::vector<Cell> cells(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) cells[i] = Cell::of(values[i]);
    assign(cells.data(), cells.size());
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
