// checkSchema<Models...>(): each model's table and columns, and each relation's key pair, against the database.
#include <lucid/relations/relation.hpp>

#include "sql/dialect.hpp"

#include <map>

namespace lucid::detail {

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
            // manyToMany and hasManyThrough keys meet in a third table: their pair is not comparable directly
            if (!r->ownerKey || !r->relatedKey || !r->keysMeetDirectly()) continue;
            const ModelMeta& rm = r->related();
            const auto& rcols = columnsOf(rm.table);
            auto a = cols.find(r->ownerKey->column);
            auto b = rcols.find(r->relatedKey->column);
            if (a == cols.end() || b == rcols.end()) {
                if (!rcols.empty() && b == rcols.end())
                    problems.push_back("table \"" + rm.table + "\" has no column \"" + r->relatedKey->column + "\" for " + r->label());
                continue;
            }
            const auto& d = client.dialect();
            std::string fa = d.typeFamily(a->second), fb = d.typeFamily(b->second);
            if (fa != fb)
                problems.push_back(m->table + "." + a->first + " is " + fa + ", but " + rm.table + "." + b->first + " is " + fb +
                                   ": " + r->label() + " needs both of one type");
        }
    }
    return problems;
}

}  // namespace lucid::detail
