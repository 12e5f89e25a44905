// ModelState: the link to a transaction lives in a reference-counted box, so a state is one word besides
// its originals and extras, and the rows of one fetch share one box.
#include <lucid/detail/model_ops.hpp>

#include <atomic>

namespace lucid::detail {

struct alignas(16) ModelState::Box {
    std::atomic<std::size_t> refs{1};
    std::shared_ptr<TransactionCore> trx;
    QueryClient* client = nullptr;
};
static_assert(alignof(QueryClient) >= 16);

ModelState::ModelState(const ModelState& o) : original(o.original), extras(o.extras), word_(o.word_) {
    if (Box* b = box()) b->refs.fetch_add(1, std::memory_order_relaxed);
}

ModelState& ModelState::operator=(const ModelState& o) {
    if (this != &o) *this = ModelState(o);
    return *this;
}

ModelState& ModelState::operator=(ModelState&& o) noexcept {
    if (this != &o) {
        original = std::move(o.original);
        extras = std::move(o.extras);
        release();
        word_ = std::exchange(o.word_, o.word_ & kState);
    }
    return *this;
}

void ModelState::release() noexcept {
    Box* b = box();
    if (b && b->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete b;
    word_ &= kState;
}

std::shared_ptr<TransactionCore> ModelState::trx() const {
    Box* b = box();
    return b ? b->trx : nullptr;
}

QueryClient* ModelState::client() const noexcept {
    if (Box* b = box()) return b->client;
    return reinterpret_cast<QueryClient*>(word_ & ~kFlags);
}

void ModelState::setTrx(std::shared_ptr<TransactionCore> core) {
    QueryClient* c = client();
    uintptr_t target = reinterpret_cast<uintptr_t>(c);
    if (core) {
        auto* b = new Box;
        b->trx = std::move(core);
        b->client = c;
        target = reinterpret_cast<uintptr_t>(b) | kBoxed;
    }
    release();
    link(target);
}

// A boxed state's connection changes in a box of its own: other states may share this one.
void ModelState::reboxClient(QueryClient* c) {
    auto* nb = new Box;
    nb->trx = box()->trx;
    nb->client = c;
    release();
    link(reinterpret_cast<uintptr_t>(nb) | kBoxed);
}

void ModelState::shareTrx(const ModelState& o) {
    Box* b = o.box();
    if (!b) return setTrx(o.trx());  // `o` holds no box (callers pass one that does; this keeps them safe)
    if (b == box()) return;
    if (client() != b->client) return setTrx(b->trx);  // this model keeps its own connection
    b->refs.fetch_add(1, std::memory_order_relaxed);
    release();
    link(reinterpret_cast<uintptr_t>(b) | kBoxed);
}

}  // namespace lucid::detail
