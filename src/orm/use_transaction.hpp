#pragma once
// UseTransaction: a model instance writes through a transaction for a scope, then through its own client again.
#include <lucid/detail/model_ops.hpp>
#include <lucid/transaction.hpp>

namespace lucid::detail {

class UseTransaction {
public:
    UseTransaction(const ModelMeta& meta, void* model, Transaction& trx);
    ~UseTransaction();
    UseTransaction(const UseTransaction&) = delete;
    UseTransaction& operator=(const UseTransaction&) = delete;

private:
    ModelState* state_;
    ModelState saved_;  // holds the model's own transaction and connection meanwhile
};

}  // namespace lucid::detail
