// Definitions, hydration and persistence of model instances: the untyped core every model shares.
#include <lucid/model.hpp>
#include <lucid/database.hpp>
#include <lucid/relations/relation.hpp>

#include "database/transaction_core.hpp"
#include "orm/thread_cache.hpp"
#include "sql/compiler.hpp"

#include <cxxabi.h>

#include <array>
#include <chrono>
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

ModelMeta::ModelMeta() = default;
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
            m.primary = static_cast<int>(i);
        }
    }
    if (primaries.empty())
        throw DefinitionError("\"" + m.name + "\" model is missing a primary key: mark one column {.isPrimary = true}",
                              "E_MISSING_PRIMARY_KEY");
    if (primaries.size() > 1)
        throw DefinitionError("\"" + m.name + "\" model defines more than one primary key (\"" + primaries[0] + "\", \"" +
                                  primaries[1] + "\"); a model has exactly one",
                              "E_MULTIPLE_PRIMARY_KEYS");
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

ColumnMapPtr columnMap(const ModelMeta& meta, const std::vector<std::string>& columns) {
    // A model meets the same few result shapes again and again: each is mapped once.
    std::lock_guard lock(meta.sqlCacheMutex);
    for (const auto& [names, map] : meta.columnMaps)
        if (names == columns) return map;
    auto map = std::make_shared<ColumnMap>();
    map->toModel.resize(columns.size());
    map->readers.assign(columns.size(), nullptr);
    map->fromResult.assign(meta.columns.size(), -1);
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const int k = map->toModel[i] = meta.findColumn(columns[i]);
        if (k < 0) continue;
        const ColumnMeta& c = meta.columns[static_cast<std::size_t>(k)];
        if (!c.options.consume && c.options.scale < 0) map->readers[i] = c.access.get();
        map->fromResult[static_cast<std::size_t>(k)] = static_cast<int>(i);
    }
    map->complete = std::find(map->fromResult.begin(), map->fromResult.end(), -1) == map->fromResult.end();
    constexpr std::size_t kShapes = 32;
    if (meta.columnMaps.size() >= kShapes) meta.columnMaps.erase(meta.columnMaps.begin());
    meta.columnMaps.emplace_back(columns, map);
    return map;
}

namespace {
[[noreturn]] void rethrowForColumn(const ModelMeta& meta, const ColumnMeta& c, const std::exception& e) {
    throw TypeError("\"" + meta.name + "." + c.property + "\": " + e.what());
}
}  // namespace

namespace {
// SQL that depends only on the model, the dialect and a shape named by the caller, compiled once, into
// `st`. A model has few shapes (find, one UPDATE per set of dirty columns); past kShapes they are
// compiled every time.
template <class Compile> void useCachedSql(Statement& st, const ModelMeta& meta, const Dialect& d, std::string_view shape, Compile compile) {
    // the shape used last on this thread is found without the mutex (entries never move nor go)
    thread_local const ModelMeta::CachedSql* last = nullptr;
    thread_local const ModelMeta* lastMeta = nullptr;
    if (last && lastMeta == &meta && last->dialect == &d && last->shape == shape) return void(st.cachedSql = &last->sql);
    {
        std::lock_guard lock(meta.sqlCacheMutex);
        for (const auto& c : meta.sqlCache)
            if (c->dialect == &d && c->shape == shape) {
                last = c.get();
                lastMeta = &meta;
                return void(st.cachedSql = &c->sql);
            }
    }
    std::string sql = compile(d);
    constexpr std::size_t kShapes = 64;
    std::lock_guard lock(meta.sqlCacheMutex);
    for (const auto& c : meta.sqlCache)  // another thread may have compiled it meanwhile
        if (c->dialect == &d && c->shape == shape) return void(st.cachedSql = &c->sql);
    if (meta.sqlCache.size() >= kShapes) return void(st.sql = std::move(sql));
    meta.sqlCache.push_back(std::make_unique<const ModelMeta::CachedSql>(ModelMeta::CachedSql{&d, std::string(shape), std::move(sql)}));
    st.cachedSql = &meta.sqlCache.back()->sql;
}

// n values of T: on the stack up to N, on the heap past that (most models have a few columns).
template <class T, std::size_t N> class LocalBuffer {
public:
    explicit LocalBuffer(std::size_t n) : heap_(n > N ? n : 0) {}
    T* data() noexcept { return heap_.empty() ? stack_.data() : heap_.data(); }

private:
    std::array<T, N> stack_;  // not value-initialized: callers write before they read
    std::vector<T> heap_;
};

// The bindings of a statement run in a loop (find, save): each thread hands one vector's storage from a call
// to the next instead of allocating one a call. A call made meanwhile (from a hook) simply allocates its own.
class ReusedBindings {
public:
    explicit ReusedBindings(Bindings& into) : into_(into) {
        if (Bindings* spare = threadCache<Bindings>()) into_ = std::move(*spare);
        into_.clear();
    }
    ~ReusedBindings() {
        into_.clear();
        Bindings* spare = threadCache<Bindings>();
        if (spare && spare->capacity() < into_.capacity()) *spare = std::move(into_);
    }
    ReusedBindings(const ReusedBindings&) = delete;
    ReusedBindings& operator=(const ReusedBindings&) = delete;

private:
    Bindings& into_;
};

Value prepared(const ColumnMeta& c, const void* model) {
    Value v = c.access->get(model);
    if (c.options.prepare) return c.options.prepare(v);
    return v;  // moved out: a conditional expression would copy it
}
// A database value as the column's field takes it: rounded to the column's scale, then consume().
Value fromDatabase(const ColumnMeta& c, Value v) {
    if (c.options.scale >= 0) v = roundedToScale(v, c.options.scale);
    if (c.options.consume) return c.options.consume(v);
    return v;
}
// What a write sends for a column; a value the database could not give back is refused, naming Model.property.
Value written(const ModelMeta& meta, const ColumnMeta& c, const void* model) {
    try {
        c.access->checkWritable(model);
    } catch (const TypeError& e) {
        rethrowForColumn(meta, c, e);
    }
    return prepared(c, model);
}
// Whether a column differs from its original (database-form) value.
bool changed(const ColumnMeta& c, const void* model, const Cell& original) {
    // with prepare, compare database forms: prepare need not have a consume that undoes it
    if (c.options.prepare) return !c.options.prepare(c.access->get(model)).looselyEquals(original.value());
    if (c.options.consume || c.options.scale >= 0) {
        const Value consumed = fromDatabase(c, original.value());
        return !c.access->equals(model, Cell::of(consumed));
    }
    return !c.access->equals(model, original);
}

}  // namespace

void hydrateCells(const ModelMeta& meta, const std::vector<std::string>& columns, const Cell* cells, const ColumnMap& map, void* model,
                  OriginalsArena& arena) {
    ModelState& st = meta.state(model);
    if (!st.persisted()) st.setFetched();  // a new instance for the row (refresh() keeps what a model is)
    st.extras.clear();
    std::size_t bytes = 0;  // of the model's text and blob cells, to size their originals
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const int k = map.toModel[i];
        if (k < 0) {
            st.extras.add(columns[i], cells[i].value());
            continue;
        }
        if (map.fromResult[static_cast<std::size_t>(k)] == static_cast<int>(i)) bytes += cells[i].bytes.size();  // once a column
        const FieldAccess* reader = map.readers[i];
        try {
            if (reader) {
                reader->read(model, cells[i]);
            } else {
                const ColumnMeta& c = meta.columns[static_cast<std::size_t>(k)];
                c.access->set(model, fromDatabase(c, cells[i].value()));
            }
        } catch (const TypeError& e) {
            rethrowForColumn(meta, meta.columns[static_cast<std::size_t>(k)], e);
        }
    }
    if (map.complete) {
        st.original.assign(cells, map.fromResult.data(), map.fromResult.size(), bytes, arena);
    } else {
        // columns the query did not select keep what the instance holds as their original
        const std::size_t m = meta.columns.size();
        std::vector<Value> held(m);
        std::vector<Cell> original(m);
        for (std::size_t k = 0; k < m; ++k) {
            const int i = map.fromResult[k];
            if (i >= 0) original[k] = cells[i];
            else original[k] = Cell::of(held[k] = prepared(meta.columns[k], model));
        }
        st.original.assign(original.data(), m);
    }
    st.setPersisted(true);
    st.setDeleted(false);
}

void ModelMeta::runEach(const std::vector<std::function<void(void*)>>& list, void* model) {
    for (const auto& f : list) f(model);
}

void markPersisted(const ModelMeta& meta, void* model) {
    std::vector<Value> values;
    values.reserve(meta.columns.size());
    for (const auto& c : meta.columns) values.push_back(prepared(c, model));
    meta.state(model).original.assign(values);
}

QueryClient& defaultClient(const ModelMeta& meta) {
    Database& db = defaultDatabase();
    if (meta.connection.empty()) return db;
    return db.connection(meta.connection);
}

ClientHandle clientFor(const ModelMeta& meta, void* model) {
    ModelState& st = meta.state(model);
    if (auto trx = st.trx()) {
        if (trx->isOpen()) return ClientHandle(Transaction(std::move(trx), false));
        st.setTrx(nullptr);  // its transaction ended: the model goes back to its connection, as in Lucid
    }
    if (QueryClient* c = st.client()) return ClientHandle(*c);
    return ClientHandle(defaultClient(meta));
}

std::shared_ptr<QueryClient> sharedClientFor(const ModelMeta& meta, void* model) {
    ModelState& st = meta.state(model);
    if (auto trx = st.trx(); trx && trx->isOpen()) return std::make_shared<Transaction>(std::move(trx), false);
    st.setTrx(nullptr);
    QueryClient* c = st.client() ? st.client() : &defaultClient(meta);
    return std::shared_ptr<QueryClient>(std::shared_ptr<void>(), c);  // not owned
}

bool sameValues(const ModelMeta& meta, const void* a, const void* b, const std::vector<std::string>& properties) {
    for (const auto& p : properties) {
        const ColumnMeta& c = meta.column(p);
        if (!c.access->get(a).looselyEquals(c.access->get(b))) return false;
    }
    return true;
}

void copyColumns(const ModelMeta& meta, void* dst, const void* src, const std::vector<std::string>& except) {
    for (std::size_t i = 0; i < meta.columns.size(); ++i) {
        const ColumnMeta& c = meta.columns[i];
        // the key, the listed properties and the creation timestamp of the existing row are kept
        if (static_cast<int>(i) == meta.primary || c.options.autoCreate || std::find(except.begin(), except.end(), c.property) != except.end())
            continue;
        c.access->copy(dst, src);
    }
}

void adoptTransaction(const ModelMeta& meta, void* model, QueryClient& client) {
    ModelState& st = meta.state(model);
    if (auto core = client.transactionCore()) st.setTrx(std::move(core));
    else st.setClient(&client);
}

Value primaryKeyValue(const ModelMeta& meta, const void* model) { return prepared(meta.primaryColumn(), model); }

ModelSnapshot::ModelSnapshot(const ModelMeta& meta, void* model) : meta_(&meta), model_(model), state_(meta.state(model)) {
    values_.reserve(meta.columns.size());
    for (const auto& c : meta.columns) values_.push_back(c.access->get(model));
}

void ModelSnapshot::restore() {
    for (std::size_t i = 0; i < values_.size(); ++i) meta_->columns[i].access->set(model_, values_[i]);
    meta_->state(model_) = state_;
}

void throwRowNotFound(const ModelMeta&) { throw RowNotFound("Row not found"); }

namespace {

DateTime now() { return std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now()); }

bool hasAfterHooks(const ModelMeta& m, bool creating) {
    auto has = [&](Hook h) { return !m.hooks[static_cast<std::size_t>(h)].empty(); };
    return has(Hook::AfterSave) || has(creating ? Hook::AfterCreate : Hook::AfterUpdate);
}

// Runs the write and the after-hooks; when after-hooks exist, both go in one transaction so a hook that
// throws leaves nothing written.
template <class Write> void writeWithHooks(const ModelMeta& meta, void* model, QueryClient& client, bool creating, Write write) {
    auto after = [&] {
        meta.runHooks(creating ? Hook::AfterCreate : Hook::AfterUpdate, model);
        meta.runHooks(Hook::AfterSave, model);
    };
    if (!hasAfterHooks(meta, creating)) {
        write(client);
        return;
    }
    client.transaction([&](Transaction& trx) {
        UseTransaction in(meta, model, trx);
        write(trx);
        after();
    });
}

void insertModel(const ModelMeta& meta, void* model, QueryClient& client) {
    ModelState& st = meta.state(model);
    meta.runHooks(Hook::BeforeCreate, model);
    meta.runHooks(Hook::BeforeSave, model);
    const DateTime t = now();
    for (const auto& c : meta.columns)
        if ((c.options.autoCreate || c.options.autoUpdate) && c.access->isUnset(model)) c.access->set(model, Value(t));
    const ColumnMeta& pk = meta.primaryColumn();
    const Value pkBefore = pk.access->get(model);
    Attributes values;
    values.reserve(meta.columns.size());
    for (std::size_t i = 0; i < meta.columns.size(); ++i) {
        const ColumnMeta& c = meta.columns[i];
        if (static_cast<int>(i) == meta.primary && c.access->isUnset(model)) continue;
        values.emplace_back(c.column, written(meta, c, model));
    }
    try {
        writeWithHooks(meta, model, client, true, [&](QueryClient& via) {
            Value id = via.from(meta.table).forModel(meta.name).insertReturning(values, pk.column);
            if (!id.isNull()) {
                try {
                    pk.access->set(model, pk.options.consume ? pk.options.consume(id) : id);
                } catch (const TypeError& e) {
                    rethrowForColumn(meta, pk, e);
                }
            }
            st.setPersisted(true);
            markPersisted(meta, model);
        });
    } catch (...) {
        // nothing was kept: the instance is local again, as before the call
        st.setPersisted(false);
        st.original.clear();
        pk.access->set(model, pkBefore);
        throw;
    }
    if (!hasAfterHooks(meta, true)) {
        meta.runHooks(Hook::AfterCreate, model);
        meta.runHooks(Hook::AfterSave, model);
    }
}

void updateModel(const ModelMeta& meta, void* model, QueryClient& client) {
    ModelState& st = meta.state(model);
    meta.runHooks(Hook::BeforeUpdate, model);
    meta.runHooks(Hook::BeforeSave, model);
    LocalBuffer<std::size_t, 32> dirtyColumns(meta.columns.size());
    std::size_t* const dirty = dirtyColumns.data();
    std::size_t dirtyCount = 0;
    // the originals decoded once: for the dirty check, then (with the written values) for the new block
    const std::size_t tracked = st.original.size();
    LocalBuffer<Cell, 8> trackedCells(tracked);
    Cell* const was = trackedCells.data();
    if (tracked) st.original.read(was, tracked);
    for (std::size_t i = 0; i < meta.columns.size(); ++i)
        if (i >= tracked || changed(meta.columns[i], model, was[i])) dirty[dirtyCount++] = i;
    if (dirtyCount == 0) return;
    std::optional<DateTime> t;
    for (std::size_t i = 0; i < meta.columns.size(); ++i) {
        if (!meta.columns[i].options.autoUpdate) continue;
        if (!t) t = now();
        meta.columns[i].access->set(model, Value(*t));
        if (std::find(dirty, dirty + dirtyCount, i) == dirty + dirtyCount) dirty[dirtyCount++] = i;
    }
    // the SET values, then the key: the order of the UPDATE's placeholders
    // the shape names the dirty columns in two bytes each, written on the stack
    Statement update;
    update.model = meta.name;
    ReusedBindings reused(update.bindings);
    Bindings& values = update.bindings;
    LocalBuffer<char, 1 + 2 * 32> shapeBytes(1 + 2 * dirtyCount);
    char* const shape = shapeBytes.data();
    shape[0] = 'u';
    for (std::size_t k = 0; k < dirtyCount; ++k) {
        const std::size_t i = dirty[k];
        values.push_back(written(meta, meta.columns[i], model));
        shape[1 + 2 * k] = static_cast<char>(i & 0xff);
        shape[2 + 2 * k] = static_cast<char>(i >> 8);
    }
    const std::size_t pk = static_cast<std::size_t>(meta.primary);
    Value key = pk < st.original.size() ? st.original.value(pk) : prepared(meta.primaryColumn(), model);
    auto compile = [&](const Dialect& d) {
        Attributes set;
        for (std::size_t k = 0; k < dirtyCount; ++k) set.emplace_back(meta.columns[dirty[k]].column, values[k]);
        QueryBuilder b(nullptr, meta.table);
        b.where(meta.primaryColumn().column, key);
        return compileUpdate(b.state(), set, d);
    };
    if (key.isNull()) {  // "where id is null": not the shape of the cached statement
        Statement compiled = compile(client.dialect());
        update.sql = std::move(compiled.sql);
        values = std::move(compiled.bindings);
    } else {
        useCachedSql(update, meta, client.dialect(), std::string_view(shape, 1 + 2 * dirtyCount), [&](const Dialect& d) { return compile(d).sql; });
        values.push_back(std::move(key));
    }
    // with after-hooks the UPDATE can still be rolled back: keep what the originals were
    Originals before;
    if (hasAfterHooks(meta, false)) before = st.original;
    try {
        writeWithHooks(meta, model, client, false, [&](QueryClient& via) {
            struct : RowSink {  // an UPDATE returns no rows: no Result to build and free
                void begin(const std::vector<std::string>&, std::size_t, uint64_t) override {}
                void row(const Cell*) override {}
            } none;
            via.stream(update, none);
            // only the written columns changed: they become the originals (already in database form)
            if (st.original.size() != meta.columns.size()) {
                markPersisted(meta, model);
                return;
            }
            for (std::size_t k = 0; k < dirtyCount; ++k) was[dirty[k]] = Cell::of(update.bindings[k]);
            st.original.assign(was, tracked);
        });
    } catch (...) {
        if (!before.empty()) st.original = std::move(before);
        throw;
    }
    if (!hasAfterHooks(meta, false)) {
        meta.runHooks(Hook::AfterUpdate, model);
        meta.runHooks(Hook::AfterSave, model);
    }
}

}  // namespace

namespace {
// Hydrates each streamed row into the instance that next(context) provides.
// A statement run in a loop (find, first) meets the same shape each time: its column map is remembered per
// thread, so it costs neither the cache's mutex nor a comparison of the names. Only the outermost sink of a
// thread (no other sink alive on it) replaces it, so that sink may use it without holding a reference.
struct LastShape {
    const ModelMeta* meta = nullptr;
    uint64_t shape = 0;
    ColumnMapPtr map;
};
thread_local int liveSinks = 0;

class ModelSink final : public RowSink {
public:
    ModelSink(const ModelMeta& meta, QueryClient& client, void* (*next)(void*), void* context,
              void (*reserve)(void*, std::size_t) = nullptr)
        : meta_(meta), client_(client), inTrx_(client.transactionCore() != nullptr), next_(next), reserve_(reserve), context_(context) {
        if (inTrx_) trx_.setTrx(client.transactionCore());
        ++liveSinks;
    }
    ~ModelSink() override { --liveSinks; }
    ModelSink(const ModelSink&) = delete;
    ModelSink& operator=(const ModelSink&) = delete;

    void begin(const std::vector<std::string>& columns, std::size_t rows, uint64_t shape) override {
        columns_ = &columns;
        LastShape* last = threadCache<LastShape>();
        if (last && shape && last->shape == shape && last->meta == &meta_) {
            if (liveSinks != 1) held_ = last->map;  // a nested sink may outlive an outer one's change of it
            map_ = last->map.get();
        } else {
            held_ = columnMap(meta_, columns);
            map_ = held_.get();
            if (last && shape && liveSinks == 1) *last = {&meta_, shape, held_};
        }
        if (rows && reserve_) reserve_(context_, rows);
    }
    void row(const Cell* cells) override {
        void* m = next_(context_);
        hydrateCells(meta_, *columns_, cells, *map_, m, arena_);
        ModelState& st = meta_.state(m);
        if (inTrx_) st.shareTrx(trx_);
        else st.setClient(&client_);
    }

private:
    const ModelMeta& meta_;
    QueryClient& client_;
    bool inTrx_;
    ModelState trx_;  // holds the transaction the rows share
    void* (*next_)(void*);
    void (*reserve_)(void*, std::size_t);
    void* context_;
    const std::vector<std::string>* columns_ = nullptr;
    const ColumnMap* map_ = nullptr;
    ColumnMapPtr held_;  // a reference to map_, unless it is the thread's last shape and this the outermost sink
    OriginalsArena arena_;
};

// A sink for at most one row, hydrated into `out`.
struct OneRow {
    void* out;
    bool found = false;
    static void* next(void* self) {
        auto& o = *static_cast<OneRow*>(self);
        o.found = true;
        return o.out;
    }
};

// The query's SELECT (its relation columns added), streamed into `sink`.
void streamModels(ModelQueryCore& q, QueryClient& c, RowSink& sink) {
    Statement st = compileSelect((q.relationColumns.empty() ? q.builder() : q.selecting()).state(), c.dialect());
    st.model = q.meta().name;
    c.stream(st, sink);
}
}  // namespace

void hydrateRows(const ModelMeta& meta, const Result& r, void* first, std::size_t stride, QueryClient& client) {
    struct Slots {
        char* next;
        std::size_t stride;
        static void* take(void* self) {
            auto& s = *static_cast<Slots*>(self);
            return std::exchange(s.next, s.next + s.stride);
        }
    } slots{static_cast<char*>(first), stride};
    ModelSink sink(meta, client, &Slots::take, &slots);
    feed(r, sink);
}

bool findInto(const ModelMeta& meta, QueryClient* explicitClient, Value id, void* out) {
    QueryClient& client = explicitClient ? *explicitClient : defaultClient(meta);
    if (!meta.beforeFind.empty()) {  // the hooks need a query to shape: the general path
        ModelQueryCore q(&meta, &client);
        q.builder().where(meta.primaryColumn().column, std::move(id));
        return q.firstInto(out);
    }
    Statement st;
    useCachedSql(st, meta, client.dialect(), "find", [&](const Dialect& d) {
        QueryBuilder b(nullptr, meta.table);
        b.where(meta.primaryColumn().column, int64_t{0}).limit(1);  // only the SQL text is kept
        return compileSelect(b.state(), d).sql;
    });
    if (meta.primaryColumn().options.prepare) id = meta.primaryColumn().options.prepare(id);
    ReusedBindings reused(st.bindings);
    st.bindings.push_back(std::move(id));
    st.bindings.emplace_back(int64_t{1});
    st.model = meta.name;
    st.read = true;
    OneRow one{out};
    ModelSink sink(meta, client, &OneRow::next, &one);
    client.stream(st, sink);
    if (!one.found) return false;
    meta.runHooks(Hook::AfterFind, out);
    return true;
}

void saveModel(const ModelMeta& meta, void* model) {
    ModelState& st = meta.state(model);
    if (st.deleted()) throw Error("E_MODEL_DELETED", "Cannot save a deleted \"" + meta.name + "\" model instance");
    ClientHandle h = clientFor(meta, model);
    if (!st.persisted()) insertModel(meta, model, h.get());
    else updateModel(meta, model, h.get());
}

namespace {
// Rows that a multi-row INSERT can write: fresh instances, no hooks to run between them, and a primary
// key that is either given in every row or assigned by the database as an integer in every row.
bool batchable(const ModelMeta& meta, const std::vector<void*>& models) {
    if (models.size() < 2) return false;
    for (Hook h : {Hook::BeforeCreate, Hook::BeforeSave, Hook::AfterCreate, Hook::AfterSave})
        if (!meta.hooks[static_cast<std::size_t>(h)].empty()) return false;
    const ColumnMeta& pk = meta.primaryColumn();
    const bool firstUnset = pk.access->isUnset(models[0]);
    for (void* m : models) {
        const ModelState& st = meta.cstate(m);
        if (st.persisted() || st.deleted() || pk.access->isUnset(m) != firstUnset) return false;
    }
    return !firstUnset || pk.access->get(meta.defaults).kind() == Value::Kind::Int;
}

void insertBatch(const ModelMeta& meta, QueryClient& client, const std::vector<void*>& models) {
    const ColumnMeta& pk = meta.primaryColumn();
    const bool assignKeys = pk.access->isUnset(models[0]);
    const DateTime t = now();
    std::vector<std::size_t> cols;
    std::vector<std::string> names;
    for (std::size_t i = 0; i < meta.columns.size(); ++i) {
        if (assignKeys && static_cast<int>(i) == meta.primary) continue;
        cols.push_back(i);
        names.push_back(meta.columns[i].column);
    }
    const Dialect& d = client.dialect();
    const std::size_t perStatement = std::max<std::size_t>(1, d.maxBindings() / std::max<std::size_t>(1, cols.size()));
    for (std::size_t start = 0; start < models.size(); start += perStatement) {
        const std::size_t end = std::min(models.size(), start + perStatement);
        std::vector<Bindings> rows;
        rows.reserve(end - start);
        for (std::size_t k = start; k < end; ++k) {
            void* m = models[k];
            for (const auto& c : meta.columns)
                if ((c.options.autoCreate || c.options.autoUpdate) && c.access->isUnset(m)) c.access->set(m, Value(t));
            Bindings row;
            row.reserve(cols.size());
            for (std::size_t i : cols) row.push_back(written(meta, meta.columns[i], m));
            rows.push_back(std::move(row));
        }
        Statement st = compileInsert(meta.table, names, rows, assignKeys ? pk.column : "", d);
        st.model = meta.name;
        Result r = client.execute(st);
        if (assignKeys) {
            // keys are allocated in the order of the VALUES rows, whatever order RETURNING lists them in
            if (r.size() != end - start) throw Error("E_INSERT_MISMATCH", "a multi-row INSERT returned " + std::to_string(r.size()) +
                                                                          " keys for " + std::to_string(end - start) + " rows");
            std::vector<int64_t> ids;
            ids.reserve(r.size());
            for (std::size_t i = 0; i < r.size(); ++i) ids.push_back(r[i].at(0).as<int64_t>());
            std::sort(ids.begin(), ids.end());
            for (std::size_t k = start; k < end; ++k) pk.access->set(models[k], Value(ids[k - start]));
        }
        for (std::size_t k = start; k < end; ++k) {
            meta.state(models[k]).setPersisted(true);
            markPersisted(meta, models[k]);
        }
    }
}
}  // namespace

void createModels(const ModelMeta& meta, QueryClient& client, const std::vector<void*>& models) {
    std::vector<ModelSnapshot> snapshots;
    snapshots.reserve(models.size());
    for (void* m : models) snapshots.emplace_back(meta, m);
    try {
        client.transaction([&](Transaction& trx) {
            ModelState in;
            in.setTrx(trx.transactionCore());
            for (void* m : models) meta.state(m).shareTrx(in);
            if (batchable(meta, models)) insertBatch(meta, trx, models);
            else
                for (void* m : models) saveModel(meta, m);
        });
    } catch (...) {
        for (auto& s : snapshots) s.restore();
        throw;
    }
}

void removeModel(const ModelMeta& meta, void* model) {
    ModelState& st = meta.state(model);
    if (st.deleted()) throw Error("E_MODEL_DELETED", "Cannot delete a \"" + meta.name + "\" model instance twice");
    if (!st.persisted()) throw Error("E_MODEL_NOT_PERSISTED", "Cannot delete a \"" + meta.name + "\" model instance that is not persisted");
    ClientHandle h = clientFor(meta, model);
    meta.runHooks(Hook::BeforeDelete, model);
    const Value key = primaryKeyValue(meta, model);
    auto del = [&](QueryClient& via) { via.from(meta.table).forModel(meta.name).where(meta.primaryColumn().column, key).del(); };
    if (meta.hooks[static_cast<std::size_t>(Hook::AfterDelete)].empty()) {
        del(h.get());
        st.setDeleted(true);
        return;
    }
    // the DELETE and the after-hooks in one transaction: a hook that throws leaves the row in place
    try {
        h.get().transaction([&](Transaction& trx) {
            UseTransaction in(meta, model, trx);
            del(trx);
            st.setDeleted(true);
            meta.runHooks(Hook::AfterDelete, model);
        });
    } catch (...) {
        st.setDeleted(false);
        throw;
    }
}

void refreshModel(const ModelMeta& meta, void* model) {
    ModelState& st = meta.state(model);
    if (!st.persisted()) throw Error("E_MODEL_NOT_PERSISTED", "Cannot refresh a \"" + meta.name + "\" model instance that is not persisted");
    ClientHandle h = clientFor(meta, model);
    Result r = h.get().from(meta.table).forModel(meta.name).where(meta.primaryColumn().column, primaryKeyValue(meta, model)).limit(1).exec();
    if (r.empty()) throw RowNotFound("Row not found");
    hydrateRows(meta, r, model, 0, h.get());
}

void mergeAttributes(const ModelMeta& meta, void* model, const Attributes& values) {
    for (const auto& [key, v] : values) {
        int i = meta.findProperty(key);
        if (i < 0)
            throw Error("E_MISSING_MODEL_ATTRIBUTE",
                        "Cannot define \"" + key + "\" on \"" + meta.name + "\" model, since it is not defined as a model property");
        const ColumnMeta& c = meta.columns[static_cast<std::size_t>(i)];
        try {
            c.access->set(model, v);
        } catch (const TypeError& e) {
            rethrowForColumn(meta, c, e);
        }
    }
}

void mergeJson(const ModelMeta& meta, void* model, const nlohmann::json& values) {
    if (!values.is_object()) throw TypeError("\"" + meta.name + "\": merge/fill needs a JSON object, got " + values.dump());
    for (const auto& [key, v] : values.items()) {
        int i = meta.findProperty(key);
        if (i < 0)
            for (std::size_t k = 0; k < meta.columns.size(); ++k)
                if (meta.columns[k].serializeAs == key) i = static_cast<int>(k);
        if (i < 0)
            throw Error("E_MISSING_MODEL_ATTRIBUTE",
                        "Cannot define \"" + key + "\" on \"" + meta.name + "\" model, since it is not defined as a model property");
        const ColumnMeta& c = meta.columns[static_cast<std::size_t>(i)];
        try {
            c.access->fromJson(model, v);
        } catch (const TypeError& e) {
            rethrowForColumn(meta, c, e);
        }
    }
}

void resetToDefaults(const ModelMeta& meta, void* model) {
    const bool persisted = meta.cstate(model).persisted();
    for (std::size_t i = 0; i < meta.columns.size(); ++i) {
        if (persisted && static_cast<int>(i) == meta.primary) continue;  // fill() must not move a saved row
        meta.columns[i].access->copy(model, meta.defaults);
    }
}

Attributes dirtyAttributes(const ModelMeta& meta, const void* model) {
    const ModelState& st = meta.cstate(model);
    Attributes out;
    const std::size_t tracked = st.original.size();
    LocalBuffer<Cell, 8> trackedCells(tracked);
    Cell* const original = trackedCells.data();
    if (tracked) st.original.read(original, tracked);
    for (std::size_t i = 0; i < meta.columns.size(); ++i) {
        const ColumnMeta& c = meta.columns[i];
        Value v = c.access->get(model);
        if (!st.persisted()) {
            if (static_cast<int>(i) == meta.primary && c.access->isUnset(model)) continue;
            out.emplace_back(c.property, std::move(v));
        } else if (i >= tracked || changed(c, model, original[i])) {
            out.emplace_back(c.property, std::move(v));
        }
    }
    return out;
}

Attributes originalAttributes(const ModelMeta& meta, const void* model) {
    const ModelState& st = meta.cstate(model);
    Attributes out;
    const std::size_t n = std::min(st.original.size(), meta.columns.size());
    LocalBuffer<Cell, 8> cells(n);
    if (n) st.original.read(cells.data(), n);
    for (std::size_t i = 0; i < n; ++i) out.emplace_back(meta.columns[i].property, cells.data()[i].value());
    return out;
}

Value scaledAggregate(const ModelMeta& meta, QueryBuilder& query, const char* fn, std::string_view column) {
    std::string_view name = column;
    if (auto dot = name.rfind('.'); dot != std::string_view::npos) name.remove_prefix(dot + 1);  // "table.column"
    const int i = meta.findColumn(name);
    const int scale = i < 0 ? -1 : meta.columns[static_cast<std::size_t>(i)].options.scale;
    if (scale < 0) return query.aggregate(fn, column);
    return roundedToScale(query.aggregate(fn, column, /*exact=*/true), scale);
}

nlohmann::json serializeModel(const ModelMeta& meta, const void* model) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& c : meta.columns)
        if (!c.options.hidden) j[c.serializeAs] = c.options.serialize ? c.options.serialize(c.access->get(model)) : c.access->toJson(model);
    for (const auto& r : meta.relations) {
        if (r->config.hidden || !r->holder->isLoaded(model)) continue;
        const ModelMeta& rm = r->related();
        auto items = r->holder->items(model);
        if (r->holder->isMany()) {
            nlohmann::json arr = nlohmann::json::array();
            for (void* item : items) arr.push_back(serializeModel(rm, item));
            j[r->serializedName()] = std::move(arr);
        } else {
            j[r->serializedName()] = items.empty() ? nlohmann::json(nullptr) : serializeModel(rm, items[0]);
        }
    }
    if (meta.serializeExtras) {
        nlohmann::json extras = nlohmann::json::object();
        for (const auto& [k, v] : meta.cstate(model).extras) extras[k] = toJson(v);
        j["meta"] = std::move(extras);
    }
    return j;
}

// ---- ModelQueryCore ----

ModelQueryCore::~ModelQueryCore() = default;
ModelQueryCore::ModelQueryCore(const ModelQueryCore&) = default;
ModelQueryCore::ModelQueryCore(ModelQueryCore&&) noexcept = default;
ModelQueryCore& ModelQueryCore::operator=(const ModelQueryCore&) = default;
ModelQueryCore& ModelQueryCore::operator=(ModelQueryCore&&) noexcept = default;

std::string columnOfMember(const ModelMeta& meta, const std::string& key) {
    for (const auto& c : meta.columns)
        if (c.member == key) return c.column;
    throw Error("E_UNKNOWN_COLUMN", "\"" + meta.name + "\": the member pointer given is not a column declared in define()");
}

ModelQueryCore::ModelQueryCore(const ModelMeta* meta, QueryClient* client) : meta_(meta), client_(client), builder_(nullptr, meta->table) {}

QueryClient& ModelQueryCore::client() const { return client_ ? *client_ : defaultClient(*meta_); }

Attributes ModelQueryCore::toColumns(const Attributes& values) const {
    Attributes out;
    out.reserve(values.size());
    for (const auto& [k, v] : values) out.emplace_back(meta_->resolveColumn(k), v);  // SET takes bare columns
    return out;
}

QueryBuilder ModelQueryCore::selecting() const {
    QueryBuilder b = builder_;
    if (relationColumns.empty()) return b;
    auto& select = b.state().select;
    if (select.empty()) select.push_back(SelectItem{.column = (qualifier.empty() ? meta_->table : qualifier) + ".*"});
    select.insert(select.end(), relationColumns.begin(), relationColumns.end());
    return b;
}

Result ModelQueryCore::fetch() {
    builder_.useClient(client()).forModel(meta_->name);
    if (!relationColumns.empty()) return selecting().exec();
    return builder_.exec();
}


bool ModelQueryCore::firstInto(void* out) {
    for (const auto& hook : meta_->beforeFind) hook(*this);
    auto& limit = builder_.state().limit;
    const auto saved = limit;
    limit = 1;
    QueryClient& c = client();
    OneRow one{out};
    ModelSink sink(*meta_, c, &OneRow::next, &one);
    try {
        streamModels(*this, c, sink);
    } catch (...) {
        limit = saved;
        throw;
    }
    limit = saved;
    if (!one.found) return false;
    if (!preloads_.empty()) runPreloads({out});
    meta_->runHooks(Hook::AfterFind, out);
    return true;
}

void ModelQueryCore::streamAll(void* vector, void* (*append)(void*), void (*reserve)(void*, std::size_t)) {
    for (const auto& hook : meta_->beforeFetch) hook(*this);
    QueryClient& c = client();
    ModelSink sink(*meta_, c, append, vector, reserve);
    streamModels(*this, c, sink);
}

std::vector<std::shared_ptr<void>> ModelQueryCore::fetchShared() {
    QueryClient& c = client();
    if (!meta_->afterFetch.empty() && meta_->fetchShared) {  // the hook wants the rows as a std::vector<T>
        Result r = fetch();
        return meta_->fetchShared(*meta_, r, c);
    }
    struct Context {
        const ModelMeta* meta;
        std::vector<std::shared_ptr<void>> rows;
    } ctx{meta_, {}};
    ModelSink sink(
        *meta_, c,
        [](void* p) -> void* {
            auto& x = *static_cast<Context*>(p);
            return x.rows.emplace_back(x.meta->create()).get();
        },
        &ctx, [](void* p, std::size_t n) { static_cast<Context*>(p)->rows.reserve(n); });
    streamModels(*this, c, sink);
    return std::move(ctx.rows);
}

void ModelQueryCore::finishAll(void* first, std::size_t stride, std::size_t count, void* vector) {
    if (!preloads_.empty()) {
        std::vector<void*> parents(count);
        for (std::size_t i = 0; i < count; ++i) parents[i] = static_cast<char*>(first) + i * stride;
        runPreloads(parents);
    }
    for (const auto& f : meta_->afterFetch) f(vector);
}

void ModelQueryCore::preload(std::string relation, std::function<void(ModelQueryCore&)> callback) {
    meta_->relation(relation);  // unknown names fail here, where the mistake is made
    preloads_.push_back(PreloadSpec{std::move(relation), std::move(callback)});
}

void ModelQueryCore::runPreloads(const std::vector<void*>& parents) {
    for (const auto& p : preloads_) meta_->relation(p.relation).preload(client(), parents, p.callback);
}

ModelQueryCore ModelQueryCore::emptyCopy() const {
    ModelQueryCore c(meta_, client_);
    c.qualifier = qualifier;
    c.pivotTable = pivotTable;
    return c;
}

bool ModelQueryCore::selectsAlias(std::string_view name) const {
    for (const auto& item : builder_.state().select)
        if (!item.alias.empty() && item.alias == name) return true;
    return false;
}

namespace {
void requirePivot(const ModelQueryCore& q) {
    if (q.pivotTable.empty())
        throw Error("E_NOT_A_PIVOT_QUERY", "wherePivot and its kin work only on the query of a manyToMany relationship (the \"" +
                                               q.meta().name + "\" query has no pivot table)");
}
}  // namespace

void ModelQueryCore::wherePivot(std::string_view column, std::string_view op, Value value, bool orJoin, bool negate) {
    requirePivot(*this);
    builder_.state().wheres.push_back(basicWhere(pivotTable + "." + std::string(column), op, std::move(value), orJoin, negate));
}
void ModelQueryCore::whereInPivot(std::string_view column, Bindings values, bool orJoin, bool negate) {
    requirePivot(*this);
    WhereNode n{.kind = WhereKind::In, .orJoin = orJoin, .negate = negate, .column = pivotTable + "." + std::string(column)};
    n.values = std::move(values);
    builder_.state().wheres.push_back(std::move(n));
}
void ModelQueryCore::whereNullPivot(std::string_view column, bool orJoin, bool negate) {
    requirePivot(*this);
    builder_.state().wheres.push_back(
        WhereNode{.kind = WhereKind::Null, .orJoin = orJoin, .negate = negate, .column = pivotTable + "." + std::string(column)});
}

}  // namespace lucid::detail
