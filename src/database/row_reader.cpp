// Readers of rows pulled one by one: over a Result already read (drivers without a cursor of their own),
// and one that keeps its pooled connection until it is done.
#include <lucid/database.hpp>

#include "database/connection_core.hpp"

namespace lucid::detail {

namespace {
class ResultReader final : public RowReader {
public:
    explicit ResultReader(Result r) : r_(std::move(r)), cells_(r_.data().columns.size()) {}
    const std::vector<std::string>& columns() const override { return r_.data().columns; }
    const Cell* next() override {
        const ResultData& d = r_.data();
        if (row_ >= d.rows) return nullptr;
        for (std::size_t c = 0; c < cells_.size(); ++c) cells_[c] = Cell::of(d.cells[row_ * cells_.size() + c]);
        ++row_;
        return cells_.data();
    }

private:
    Result r_;
    std::vector<Cell> cells_;
    std::size_t row_ = 0;
};

class LeasedReader final : public RowReader {
public:
    LeasedReader(std::unique_ptr<Pool::Lease> lease, std::unique_ptr<RowReader> reader)
        : lease_(std::move(lease)), reader_(std::move(reader)) {}
    const std::vector<std::string>& columns() const override { return reader_->columns(); }
    uint64_t shape() const override { return reader_->shape(); }
    const Cell* next() override { return reader_->next(); }

private:
    std::unique_ptr<Pool::Lease> lease_;  // declared first: the reader ends before its connection goes back
    std::unique_ptr<RowReader> reader_;
};
}  // namespace

std::unique_ptr<RowReader> readResult(Result r) { return std::make_unique<ResultReader>(std::move(r)); }

std::unique_ptr<RowReader> DriverConnection::read(const Statement& st) { return readResult(execute(st)); }

std::unique_ptr<RowReader> leased(std::unique_ptr<Pool::Lease> lease, std::unique_ptr<RowReader> reader) {
    return std::make_unique<LeasedReader>(std::move(lease), std::move(reader));
}

}  // namespace lucid::detail

namespace lucid {
std::unique_ptr<detail::RowReader> QueryClient::read(const detail::Statement& st) { return detail::readResult(execute(st)); }
std::unique_ptr<detail::RowReader> Database::read(const detail::Statement& st) { return default_->read(st); }
}  // namespace lucid
