// UseTransaction (use_transaction.hpp).
#include "orm/use_transaction.hpp"

namespace lucid::detail {

// The transaction's link is made first (it may allocate) and swapped in; the destructor swaps back.
UseTransaction::UseTransaction(const ModelMeta& meta, void* model, Transaction& trx) : state_(&meta.state(model)) {
    saved_.setTrx(trx.transactionCore());
    state_->swapLink(saved_);
}
UseTransaction::~UseTransaction() { state_->swapLink(saved_); }

}  // namespace lucid::detail
