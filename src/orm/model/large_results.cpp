// Big result sets: chunk()/each() walk a model's rows by primary key, cursor() pulls one statement's rows.
#include <lucid/detail/large_results.hpp>
#include <lucid/detail/query_nodes.hpp>

#include "database/driver.hpp"
#include "orm/model/hydration.hpp"

#include <algorithm>

namespace lucid::detail {

KeysetWalk::KeysetWalk(const ModelQueryCore& query, int64_t size) : query_(query), size_(size) {
    if (size < 1) throw Error("E_INVALID_CHUNK_SIZE", "chunk size must be 1 or more, got " + std::to_string(size));
    QueryState& q = query_.builder().state();
    remaining_ = q.limit;
    q.orders = {OrderItem{.column = query_.qualify(query_.meta().primaryColumn().column)}};
}

ModelQueryCore KeysetWalk::page() const {
    ModelQueryCore page = query_;
    QueryState& q = page.builder().state();
    // in the scope: ANDed with the user's wheres, which are bracketed (an orWhere cannot escape it)
    if (after_) q.scope.push_back(basicWhere(query_.qualify(query_.meta().primaryColumn().column), ">", *after_, false, false));
    if (after_) q.offset.reset();  // the offset only moves the first page: the key places the others
    q.limit = remaining_ ? std::min(size_, *remaining_) : size_;
    return page;
}

bool KeysetWalk::next(std::size_t rows, const void* last) {
    const auto n = static_cast<int64_t>(rows);
    if (remaining_) *remaining_ -= n;
    if (n < size_ || !last || (remaining_ && *remaining_ <= 0)) return false;
    Value key = query_.meta().primaryColumn().access->get(last);
    // a select() without the key leaves every row's at its default: the walk would begin again forever
    if (after_ && key == *after_)
        throw Error("E_CHUNK_WITHOUT_KEY", "\"" + query_.meta().name + "\": chunk()/each() walk by the primary key \"" +
                                               query_.meta().primaryColumn().column + "\": select it");
    after_ = std::move(key);
    return true;
}

struct CursorState {
    std::unique_ptr<RowReader> reader;
    void* target = nullptr;  // the instance the next row goes into
    ModelSink sink;
    CursorState(const ModelMeta& meta, QueryClient& client)
        : sink(meta, client, [](void* self) { return static_cast<CursorState*>(self)->target; }, this) {}
};

CursorCore::CursorCore(ModelQueryCore& query) {
    if (query.hasPreloads())
        throw Error("E_CURSOR_PRELOAD", "\"" + query.meta().name + "\": cursor() loads no relations (its rows come one at a time): "
                                        "use chunk() or each() to preload them once per chunk");
    for (const auto& hook : query.meta().beforeFetch) hook(query);
    QueryClient& client = query.client();
    s_ = std::make_unique<CursorState>(query.meta(), client);
    s_->reader = client.read(selectStatement(query, client));
    s_->sink.begin(s_->reader->columns(), 0, s_->reader->shape());
}

CursorCore::~CursorCore() = default;
CursorCore::CursorCore(CursorCore&&) noexcept = default;
CursorCore& CursorCore::operator=(CursorCore&&) noexcept = default;

bool CursorCore::next(void* model) {
    if (!s_ || !s_->reader) return false;
    const Cell* cells = s_->reader->next();
    if (!cells) {
        s_->reader.reset();  // the connection goes back now, not when the loop's range goes
        return false;
    }
    s_->target = model;
    s_->sink.row(cells);
    return true;
}

}  // namespace lucid::detail
