// Building and checking a model's descriptor (define()), and looking up its columns and relations.
#include <lucid/detail/model_ops.hpp>
#include <lucid/detail/relation.hpp>

#include "orm/fast/meta_caches.hpp"

#include <cxxabi.h>

#include <cstdlib>
#include <memory>
#include <unordered_set>

namespace lucid {
ColumnOptions::~ColumnOptions() = default;
}  // namespace lucid

namespace lucid::detail {

std::string demangledModelName(const char* mangled) {
    int status = 0;
    char* d = abi::__cxa_demangle(mangled, nullptr, nullptr, &status);
    std::string name = status == 0 && d ? d : mangled;
    std::free(d);
    // drop namespaces (but not inside template arguments)
    int depth = 0;
    std::size_t cut = 0;
    for (std::size_t i = 0; i < name.size(); ++i) {
        if (name[i] == '<') ++depth;
        else if (name[i] == '>') --depth;
        else if (depth == 0 && name[i] == ':' && i + 1 < name.size() && name[i + 1] == ':') cut = i + 2;
    }
    return name.substr(cut);
}

ModelMeta::ModelMeta() : caches(std::make_unique<MetaCaches>()) {}
ModelMeta::~ModelMeta() = default;
MetaHolder::~MetaHolder() = default;

MetaHolder::MetaHolder(void (*build)(ModelMeta&)) {
    try {
        meta_ = std::make_unique<ModelMeta>();
        build(*meta_);
    } catch (...) {
        error_ = std::current_exception();
        meta_.reset();
    }
}

const ModelMeta& MetaHolder::defined() const {
    if (error_) std::rethrow_exception(error_);
    return *meta_;
}

const ModelMeta& MetaHolder::booted() const {
    const ModelMeta& m = defined();
    std::call_once(bootOnce_, [&] {
        try {
            for (const auto& r : m.relations) r->boot(m);
        } catch (...) {
            bootError_ = std::current_exception();
        }
    });
    if (bootError_) std::rethrow_exception(bootError_);
    return m;
}

void addColumn(ModelMeta& meta, std::string_view property, const ColumnOptions* options,
               std::unique_ptr<FieldAccess> (*makeField)(std::size_t), std::size_t offset, const void* member, std::size_t memberSize) {
    ColumnMeta c;
    c.property = std::string(property);
    if (options) c.options = *options;
    c.access = makeField(offset);
    c.member.assign(static_cast<const char*>(member), memberSize);
    meta.columns.push_back(std::move(c));
}

void throwCompositeKey(const ModelMeta& m) {
    std::string names;
    for (int i : m.keys) names += (names.empty() ? "\"" : ", \"") + m.columns[static_cast<std::size_t>(i)].property + "\"";
    throw Error("E_COMPOSITE_PRIMARY_KEY", "\"" + m.name + "\" model has a composite primary key (" + names +
                                               "): address its rows with lucid::Key{...}; a single-column key is needed here");
}

void finalizeMeta(ModelMeta& m) {
    if (!m.naming) m.naming = std::make_shared<NamingStrategy>();
    if (m.table.empty()) m.table = m.naming->tableName(m.name);
    std::vector<std::string> primaries;
    for (std::size_t i = 0; i < m.columns.size(); ++i) {
        ColumnMeta& c = m.columns[i];
        if (c.property.empty()) throw DefinitionError("\"" + m.name + "\" model has a column without a property name");
        if (!m.byProperty.emplace(c.property, static_cast<int>(i)).second)
            throw DefinitionError("\"" + m.name + "." + c.property + "\" is defined more than once", "E_DUPLICATE_MODEL_ATTRIBUTE");
        for (std::size_t j = 0; j < i; ++j)
            if (m.columns[j].member == c.member)
                throw DefinitionError("\"" + m.name + "." + c.property + "\" and \"" + m.name + "." + m.columns[j].property +
                                          "\" are the same member",
                                      "E_DUPLICATE_MODEL_ATTRIBUTE");
        c.column = c.options.columnName.empty() ? m.naming->columnName(m.name, c.property) : c.options.columnName;
        c.serializeAs = c.options.serializeAs.empty() ? m.naming->serializedName(m.name, c.property) : c.options.serializeAs;
        if (!m.byColumn.emplace(c.column, static_cast<int>(i)).second)
            throw DefinitionError("\"" + m.name + "." + c.property + "\" maps to column \"" + c.column +
                                      "\", which another property of the model already uses",
                                  "E_DUPLICATE_MODEL_ATTRIBUTE");
        if (c.options.scale < -1 || c.options.scale > 16383)
            throw DefinitionError("\"" + m.name + "." + c.property + "\" has scale " + std::to_string(c.options.scale) +
                                      ": use 0-16383, or -1 to keep what the database gives",
                                  "E_INVALID_COLUMN_OPTIONS");
        if ((c.options.autoCreate || c.options.autoUpdate) && !c.access->isDateTime())
            throw DefinitionError("\"" + m.name + "." + c.property + "\" uses autoCreate/autoUpdate, which only a DateTime column can",
                                  "E_INVALID_COLUMN_OPTIONS");
        if (c.options.isPrimary) {
            primaries.push_back(c.property);
            if (m.primary < 0) m.primary = static_cast<int>(i);
            m.keys.push_back(static_cast<int>(i));
        }
    }
    for (ComputedMeta& c : m.computed) c.serializeAs = m.naming->serializedName(m.name, c.name);
    if (primaries.empty())
        throw DefinitionError("\"" + m.name + "\" model is missing a primary key: mark one column {.isPrimary = true}",
                              "E_MISSING_PRIMARY_KEY");
    std::unordered_set<std::string> relationNames;
    for (auto& r : m.relations) {
        if (!relationNames.insert(r->name).second)
            throw DefinitionError("\"" + m.name + "." + r->name + "\" relationship is defined more than once", "E_DUPLICATE_RELATIONSHIP");
        if (m.byProperty.count(r->name))
            throw DefinitionError("\"" + m.name + "." + r->name + "\" is both a column and a relationship", "E_DUPLICATE_RELATIONSHIP");
        r->owner = &m;
    }
}

int ModelMeta::findProperty(std::string_view property) const {
    auto it = byProperty.find(std::string(property));
    return it == byProperty.end() ? -1 : it->second;
}
int ModelMeta::findColumn(std::string_view c) const {
    auto it = byColumn.find(std::string(c));
    return it == byColumn.end() ? -1 : it->second;
}
const ColumnMeta& ModelMeta::column(std::string_view property) const {
    int i = findProperty(property);
    if (i < 0) throw Error("E_UNKNOWN_PROPERTY", "\"" + name + "\" model has no property \"" + std::string(property) + "\"");
    return columns[static_cast<std::size_t>(i)];
}

std::string ModelMeta::resolveColumn(std::string_view ref) const {
    // table-qualified names, wildcards and expressions pass through as written
    if (ref.find_first_of(".*( ") != std::string_view::npos) return std::string(ref);
    if (int i = findProperty(ref); i >= 0) return columns[static_cast<std::size_t>(i)].column;
    if (findColumn(ref) >= 0) return std::string(ref);
    throw Error("E_UNKNOWN_PROPERTY", "\"" + name + "\" model has no property or column named \"" + std::string(ref) + "\"");
}

Relation* ModelMeta::findRelation(std::string_view n) const {
    for (const auto& r : relations)
        if (r->name == n) return r.get();
    return nullptr;
}
Relation& ModelMeta::relation(std::string_view n) const {
    if (Relation* r = findRelation(n)) return *r;
    throw UndefinedRelationship("\"" + std::string(n) + "\" is not defined as a relationship on \"" + name + "\" model");
}
Relation& ModelMeta::relationByMember(const std::string& m) const {
    for (const auto& r : relations)
        if (r->member == m) return *r;
    throw UndefinedRelationship("the member given is not declared as a relationship in \"" + name + "\" define()");
}

void ModelMeta::runEach(const std::vector<std::function<void(void*)>>& list, void* model) {
    for (const auto& f : list) f(model);
}

}  // namespace lucid::detail
