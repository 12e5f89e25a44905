#pragma once
// Transactions: managed (commit on return, rollback on throw) or manual; savepoints when nested.
#include <lucid/query_client.hpp>

#include <exception>
#include <functional>
#include <string_view>
#include <memory>

namespace lucid {

class Transaction : public QueryClient {
public:
    // owner: rolls back on destruction when still open (a non-owning view never does).
    Transaction(std::shared_ptr<detail::TransactionCore> core, bool owner);
    Transaction(Transaction&& other) noexcept;
    Transaction& operator=(Transaction&& other) noexcept;
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction() override;

    void commit();
    void rollback();
    bool isCompleted() const;
    // fn runs once the outermost transaction committed ("commit"), or once this transaction or savepoint
    // (or one that holds it) rolled back, also when destroyed while open ("rollback"). A savepoint's
    // "commit" callbacks wait for the outermost commit and are dropped if an enclosing level rolls back.
    // Any other event name throws lucid::Error.
    void after(std::string_view event, std::function<void()> fn);

    Transaction transaction(const TransactionOptions& options) override;  // a savepoint
    using QueryClient::transaction;

    Result execute(const detail::Statement& statement) override;
    void stream(const detail::Statement& statement, detail::RowSink& sink) override;
    std::unique_ptr<detail::RowReader> read(const detail::Statement& statement) override;  // ends before the transaction
    const detail::Dialect& dialect() const override;
    const std::string& connectionName() const override;
    Database& database() const override;
    std::shared_ptr<detail::TransactionCore> transactionCore() const override { return core_; }

private:
    void finish(const std::string& sql, bool commits);
    void undo();
    void settle(bool committed);
    std::shared_ptr<detail::TransactionCore> core_;
    bool owner_;
};

template <class F> auto QueryClient::transaction(F&& fn, const TransactionOptions& options) -> std::invoke_result_t<F, Transaction&> {
    Transaction trx = transaction(options);
    try {
        if constexpr (std::is_void_v<std::invoke_result_t<F, Transaction&>>) {
            fn(trx);
            if (!trx.isCompleted()) trx.commit();
        } else {
            auto result = fn(trx);
            if (!trx.isCompleted()) trx.commit();
            return result;
        }
    } catch (...) {
        if (!trx.isCompleted()) {
            try { trx.rollback(); } catch (...) {}
        }
        throw;
    }
}

}  // namespace lucid
