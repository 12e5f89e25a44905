// Small pieces the typed relation layer calls into: messages, aggregate columns, schema checks.
#include <lucid/database.hpp>
#include <lucid/relations/query_relations.hpp>

#include "sql/dialect.hpp"

#include <map>

namespace lucid::detail {

RelationConfig::RelationConfig() = default;
RelationConfig::~RelationConfig() = default;
RelationConfig::RelationConfig(RelationConfig&&) noexcept = default;
RelationConfig& RelationConfig::operator=(RelationConfig&&) noexcept = default;

void setKeys(RelationConfig& c, const std::string& localKey, const std::string& foreignKey, const std::string& serializeAs, bool hidden) {
    c.localKey = localKey;
    c.foreignKey = foreignKey;
    c.serializeAs = serializeAs;
    c.hidden = hidden;
}

void addRelation(ModelMeta& meta, RelationFactory make, std::string_view name, const ModelMeta& (*related)(),
                 const ModelMeta& (*relatedDefinition)(), std::unique_ptr<HolderAccess> (*makeHolder)(std::size_t), std::size_t offset,
                 const void* member, std::size_t memberSize, RelationConfig& config) {
    meta.relations.push_back(make(std::string(name), related, relatedDefinition, makeHolder(offset),
                                  std::string(static_cast<const char*>(member), memberSize), std::move(config)));
}

void throwNotLoaded() {
    throw RelationNotLoaded("the relationship is not loaded: preload it, load() it or set() it first (lucid-cpp never loads lazily)");
}

std::string aggregateColumn(const ModelMeta& related, const std::string& member) {
    for (const auto& c : related.columns)
        if (c.member == member) return c.column;
    throw Error("E_UNKNOWN_COLUMN", "\"" + related.name + "\": the member given to the aggregate is not a column declared in define()");
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
            // manyToMany and hasManyThrough keys meet in a third table: their pair is not comparable directly
            if (!r->ownerKey || !r->relatedKey || std::string(r->kind()) == "manyToMany" || std::string(r->kind()) == "hasManyThrough") continue;
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
