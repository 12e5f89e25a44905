// One statement on one driver connection: timed, under its timeout, told to the query listeners.
#include <lucid/database.hpp>

#include "database/connection_core.hpp"
#include "database/statement.hpp"

#include <chrono>
#include <type_traits>

namespace lucid {
namespace detail {

void feed(const Result& r, RowSink& sink) {
    sink.begin(r.columns(), r.size(), 0);
    const ResultData& d = r.data();
    std::vector<Cell> cells(d.columns.size());
    for (std::size_t i = 0; i < d.rows; ++i) {
        for (std::size_t c = 0; c < cells.size(); ++c) cells[c] = Cell::of(d.cells[i * cells.size() + c]);
        sink.row(cells.data());
    }
}

void DriverConnection::stream(const Statement& st, RowSink& sink) { feed(execute(st), sink); }

namespace {
// run(), timed and told to the listeners (when there are any), failed or not.
template <class Run> auto observed(ConnectionCore& connection, const Statement& st, bool inTransaction, Run run) {
    // after the statement, failed or not (a failed COMMIT may have committed): reads stick to the primary
    struct Wrote {
        ConnectionCore& c;
        bool read;
        ~Wrote() {
            if (!read) c.reads->wrote();
        }
    } wrote{connection, st.read};
    EventHub& hub = connection.events;
    const bool listen = hub.any.load(std::memory_order_relaxed);
    const auto start = listen ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
    auto tell = [&](bool failed) {
        if (!listen) return;
        hub.emit(QueryEvent{connection.connection.connectionName(), st.text(), st.bindings, std::chrono::steady_clock::now() - start,
                            inTransaction, st.model, failed});
    };
    try {
        if constexpr (std::is_void_v<decltype(run())>) {
            run();
            tell(false);
        } else {
            auto r = run();
            tell(false);
            return r;
        }
    } catch (...) {
        tell(true);
        throw;
    }
}

// run() under the statement's timeout, which ends with it.
template <class Run> auto limited(DriverConnection& driver, const Statement& st, Run run) {
    if (st.timeoutMs <= 0) return run();
    struct Reset {
        DriverConnection& d;
        ~Reset() { d.setTimeout(std::chrono::milliseconds{0}); }
    } reset{driver};
    driver.setTimeout(std::chrono::milliseconds{st.timeoutMs});
    return run();
}
}  // namespace

Result runStatement(ConnectionCore& connection, DriverConnection& driver, const Statement& st, bool inTransaction) {
    return observed(connection, st, inTransaction, [&] { return limited(driver, st, [&] { return driver.execute(st); }); });
}

void streamStatement(ConnectionCore& connection, DriverConnection& driver, const Statement& st, bool inTransaction, RowSink& sink) {
    observed(connection, st, inTransaction, [&] { limited(driver, st, [&] { driver.stream(st, sink); }); });
}
std::unique_ptr<RowReader> readStatement(ConnectionCore& connection, DriverConnection& driver, const Statement& st, bool inTransaction) {
    return observed(connection, st, inTransaction, [&] { return limited(driver, st, [&] { return driver.read(st); }); });
}
}  // namespace detail

void QueryClient::stream(const detail::Statement& st, detail::RowSink& sink) { detail::feed(execute(st), sink); }

}  // namespace lucid
