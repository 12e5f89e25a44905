#pragma once
// A column's value on its way to and from the database: prepare, scale and consume, write checks, dirty test.
#include <lucid/detail/model_ops.hpp>

#include <exception>
#include <optional>

namespace lucid::detail {

[[noreturn]] void rethrowForColumn(const ModelMeta& meta, const ColumnMeta& c, const std::exception& e);
// The field's value in database form (after prepare).
Value prepared(const ColumnMeta& c, const void* model);
// A database value as the column's field takes it: rounded to the column's scale, then consume().
Value fromDatabase(const ColumnMeta& c, Value v);
// What a write sends for a column; a value the database could not give back is refused, naming Model.property.
Value written(const ModelMeta& meta, const ColumnMeta& c, const void* model);
// Whether a column differs from its original (database-form) value.
bool changed(const ColumnMeta& c, const void* model, const Cell& original);
// The time autoCreate/autoUpdate columns take, at the microsecond both databases keep.
DateTime writeTime();
// Unset autoCreate/autoUpdate columns of a model about to be inserted := t.
void stampNewRow(const ModelMeta& meta, void* model, DateTime t);
// The columns an UPDATE of the model writes, into `dirty` (room for every column): those that differ
// from the originals `was` (the first `tracked` decoded), then its autoUpdate columns, stamped with t
// (taken at the first use). Returns how many; none when no column differs.
std::size_t updatedColumns(const ModelMeta& meta, void* model, const Cell* was, std::size_t tracked, std::size_t* dirty,
                           std::optional<DateTime>& t);

}  // namespace lucid::detail
