#pragma once
// Rows as the drivers return them: column names once, then the cells row by row.
#include <lucid/value.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace lucid {

namespace detail {
// One cell as a driver holds it, read without building a Value: text and blob bytes are a view that
// stays valid while the row is being handed over. Rows stream into models through cells, so a text
// column costs one copy (into the field) instead of a Value and then a copy.
struct Cell {
    Value::Kind kind = Value::Kind::Null;
    int64_t integer = 0;     // Int; Bool as 0/1
    double real = 0;         // Double
    std::string_view bytes;  // Text, Blob

    static Cell of(const Value& v) noexcept {
        Cell c;
        c.kind = v.kind();
        switch (c.kind) {
        case Value::Kind::Bool: c.integer = std::get<bool>(v.storage()) ? 1 : 0; break;
        case Value::Kind::Int: c.integer = std::get<int64_t>(v.storage()); break;
        case Value::Kind::Double: c.real = std::get<double>(v.storage()); break;
        case Value::Kind::Text: c.bytes = std::get<std::string>(v.storage()); break;
        case Value::Kind::Blob: {
            const auto& b = std::get<Blob>(v.storage());
            c.bytes = std::string_view(reinterpret_cast<const char*>(b.data()), b.size());
            break;
        }
        case Value::Kind::Null: break;
        }
        return c;
    }
    Value value() const {
        switch (kind) {
        case Value::Kind::Bool: return Value(integer != 0);
        case Value::Kind::Int: return Value(integer);
        case Value::Kind::Double: return Value(real);
        case Value::Kind::Text: return Value(std::string(bytes));
        case Value::Kind::Blob: {
            auto p = reinterpret_cast<const std::byte*>(bytes.data());
            return Value(Blob(p, p + bytes.size()));
        }
        case Value::Kind::Null: break;
        }
        return Value();
    }
};

struct ResultData {
    std::vector<std::string> columns;
    std::vector<Value> cells;  // row-major, columns.size() per row
    std::size_t rows = 0;
    int64_t rowsAffected = 0;
    int64_t lastInsertId = 0;
    int columnIndex(std::string_view name) const noexcept;
};
}  // namespace detail

class Row {
public:
    Row(std::shared_ptr<const detail::ResultData> data, std::size_t index) : d_(std::move(data)), r_(index) {}
    // The cell of a column; an unknown column throws lucid::Error naming it.
    const Value& operator[](std::string_view column) const;
    const Value& at(std::size_t i) const { return d_->cells[r_ * d_->columns.size() + i]; }
    bool has(std::string_view column) const noexcept { return d_->columnIndex(column) >= 0; }
    std::size_t size() const noexcept { return d_->columns.size(); }
    const std::vector<std::string>& columns() const noexcept { return d_->columns; }

    template <class T> T get(std::string_view column) const {
        const Value& v = (*this)[column];
        try {
            return v.template as<T>();
        } catch (const TypeError& e) {
            throw TypeError("column \"" + std::string(column) + "\": " + e.what());
        }
    }

private:
    std::shared_ptr<const detail::ResultData> d_;
    std::size_t r_;
};

class Result {
public:
    Result() : d_(std::make_shared<detail::ResultData>()) {}
    explicit Result(std::shared_ptr<detail::ResultData> d) : d_(std::move(d)) {}

    std::size_t size() const noexcept { return d_->rows; }
    bool empty() const noexcept { return d_->rows == 0; }
    int64_t rowsAffected() const noexcept { return d_->rowsAffected; }
    int64_t lastInsertId() const noexcept { return d_->lastInsertId; }
    const std::vector<std::string>& columns() const noexcept { return d_->columns; }
    Row operator[](std::size_t i) const { return Row(d_, i); }
    const detail::ResultData& data() const noexcept { return *d_; }

    class iterator {
    public:
        using value_type = Row;
        using difference_type = std::ptrdiff_t;
        iterator(const Result* r, std::size_t i) : r_(r), i_(i) {}
        Row operator*() const { return (*r_)[i_]; }
        // rows are views made on demand: -> holds one for the length of the expression
        struct Arrow {
            Row row;
            const Row* operator->() const { return &row; }
        };
        Arrow operator->() const { return {(*r_)[i_]}; }
        iterator& operator++() { ++i_; return *this; }
        iterator operator++(int) { iterator old = *this; ++i_; return old; }
        bool operator==(const iterator& o) const { return i_ == o.i_; }
        bool operator!=(const iterator& o) const { return i_ != o.i_; }

    private:
        const Result* r_;
        std::size_t i_;
    };
    iterator begin() const { return {this, 0}; }
    iterator end() const { return {this, d_->rows}; }

private:
    std::shared_ptr<detail::ResultData> d_;
};

}  // namespace lucid
