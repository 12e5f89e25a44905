#pragma once
// A model's SQL compiled once per dialect and statement shape (find, the UPDATE of a set of dirty columns).
#include "orm/fast/meta_caches.hpp"

#include "sql/dialect.hpp"

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace lucid::detail {

// SQL that depends only on the model, the dialect and a shape named by the caller, compiled once, into
// `st` (its text and how it may be run; `compile` returns a Statement whose bindings are dropped). A model has few shapes (find, one UPDATE per set of dirty columns); past kShapes they are
// compiled every time.
template <class Compile> void useCachedSql(Statement& st, const ModelMeta& meta, const Dialect& d, std::string_view shape, Compile compile) {
    // the shape used last on this thread is found without the mutex (entries never move nor go)
    thread_local const MetaCaches::CachedSql* last = nullptr;
    thread_local const ModelMeta* lastMeta = nullptr;
    auto use = [&st](const MetaCaches::CachedSql& c) {
        st.cachedSql = &c.compiled.sql;
        st.markLike(c.compiled);
    };
    if (last && lastMeta == &meta && last->dialect == &d && last->shape == shape) return use(*last);
    {
        std::lock_guard lock(meta.caches->mutex);
        for (const auto& c : meta.caches->sql)
            if (c->dialect == &d && c->shape == shape) {
                last = c.get();
                lastMeta = &meta;
                return use(*c);
            }
    }
    Statement compiled = compile(d);
    compiled.bindings.clear();
    constexpr std::size_t kShapes = 64;
    std::lock_guard lock(meta.caches->mutex);
    for (const auto& c : meta.caches->sql)  // another thread may have compiled it meanwhile
        if (c->dialect == &d && c->shape == shape) return use(*c);
    if (meta.caches->sql.size() >= kShapes) {
        st.markLike(compiled);
        st.sql = std::move(compiled.sql);
        st.cachedSql = nullptr;  // a reused statement must not keep an earlier shape's text
        return;
    }
    meta.caches->sql.push_back(std::make_unique<const MetaCaches::CachedSql>(MetaCaches::CachedSql{&d, std::string(shape), std::move(compiled)}));
    use(*meta.caches->sql.back());
}

}  // namespace lucid::detail
