// checkSchema<Models...>(): each model's table and columns, and each relation's key pair, against the database.
#include <lucid/detail/relation.hpp>

#include "sql/dialect.hpp"

#include <map>

namespace lucid::detail {

// The owner's key and the related model's, when they meet directly (manyToMany's and hasManyThrough's meet
// in a third table: not comparable).
std::vector<std::pair<SchemaColumn, SchemaColumn>> Relation::keyPairs() const {
    if (!ownerKey || !relatedKey || !keysMeetDirectly()) return {};
    return {{{owner->table, ownerKey->column}, {related().table, relatedKey->column}}};
}

std::vector<std::string> checkModelSchema(QueryClient& client, const std::vector<const ModelMeta*>& models) {
    std::vector<std::string> problems;
    std::map<std::string, std::map<std::string, std::string>> tables;  // table -> column -> declared type
    auto columnsOf = [&](const std::string& table) -> const std::map<std::string, std::string>& {
        auto it = tables.find(table);
        if (it != tables.end()) return it->second;
        std::map<std::string, std::string> cols;
        for (const Row& r : client.rawQuery(client.dialect().columnsSQL(), {table}))
            cols[r.get<std::string>("name")] = r.get<std::string>("type");
        return tables.emplace(table, std::move(cols)).first->second;
    };
    for (const ModelMeta* m : models) {
        const auto& cols = columnsOf(m->table);
        if (cols.empty()) {
            problems.push_back("table \"" + m->table + "\" of model \"" + m->name + "\" does not exist");
            continue;
        }
        for (const auto& c : m->columns)
            if (!cols.count(c.column))
                problems.push_back("table \"" + m->table + "\" has no column \"" + c.column + "\" for \"" + m->name + "." + c.property + "\"");
        for (const auto& r : m->relations) {
            const auto& d = client.dialect();
            // a column missing from the owner's table is reported above, as a column of the model
            auto find = [&](const SchemaColumn& c) -> const std::string* {
                const auto& in = columnsOf(c.table);
                auto it = in.find(c.column);
                if (it != in.end()) return &it->second;
                if (!in.empty() && c.table != m->table)
                    problems.push_back("table \"" + c.table + "\" has no column \"" + c.column + "\" for " + r->label());
                return nullptr;
            };
            for (const auto& [a, b] : r->keyPairs()) {
                const std::string* ta = find(a);
                const std::string* tb = find(b);
                if (!ta || !tb) continue;
                std::string fa = d.typeFamily(*ta), fb = d.typeFamily(*tb);
                if (fa != fb)
                    problems.push_back(a.table + "." + a.column + " is " + fa + ", but " + b.table + "." + b.column + " is " + fb +
                                       ": " + r->label() + " needs both of one type");
            }
            for (const auto& c : r->typeColumns())
                if (const std::string* t = find(c); t && d.typeFamily(*t) != "text")
                    problems.push_back(c.table + "." + c.column + " is " + d.typeFamily(*t) + ", but " + r->label() +
                                       " stores model names in it: it needs a text column");
        }
    }
    return problems;
}

}  // namespace lucid::detail
