// The table description's builders: column kinds with their sizes, and foreign keys.
#include <lucid/errors.hpp>
#include <lucid/table_builder.hpp>

namespace lucid {

ColumnBuilder& ColumnBuilder::references(std::string column) {
    auto dot = column.find('.');
    if (dot != std::string::npos) {
        s_->referencesTable = column.substr(0, dot);
        s_->referencesColumn = column.substr(dot + 1);
    } else {
        s_->referencesColumn = std::move(column);
    }
    return *this;
}

ColumnBuilder TableBuilder::add(std::string name, ColumnKind kind) {
    if (name.empty()) throw Error("E_INVALID_COLUMN", "a column of table \"" + table_ + "\" needs a name");
    columns_.push_back(ColumnSpec{.name = std::move(name), .kind = kind});
    return ColumnBuilder(columns_.back());
}
ColumnBuilder TableBuilder::string(std::string name, int length) {
    auto b = add(std::move(name), ColumnKind::String);
    columns_.back().length = length;
    return b;
}
ColumnBuilder TableBuilder::decimal(std::string name, int precision, int scale) {
    auto b = add(std::move(name), ColumnKind::Decimal);
    columns_.back().precision = precision;
    columns_.back().scale = scale;
    return b;
}
void TableBuilder::timestamps() {
    timestamp("created_at").nullable();
    timestamp("updated_at").nullable();
}

ForeignBuilder& ForeignBuilder::references(std::string column) {
    auto dot = column.find('.');
    if (dot != std::string::npos) {
        s_->referencesTable = column.substr(0, dot);
        column = column.substr(dot + 1);
    }
    s_->referencesColumns = {std::move(column)};
    return *this;
}

ForeignBuilder TableBuilder::foreign(std::string column) { return foreign(std::vector<std::string>{std::move(column)}); }
ForeignBuilder TableBuilder::foreign(std::vector<std::string> columns) {
    if (columns.empty()) throw Error("E_INVALID_COLUMN", "a foreign key of table \"" + table_ + "\" needs a column");
    foreigns_.push_back(ForeignSpec{.columns = std::move(columns)});
    return ForeignBuilder(foreigns_.back());
}

}  // namespace lucid
