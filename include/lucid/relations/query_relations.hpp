#pragma once
// ModelQuery's relationship calls: preload, has/whereHas, withCount, withAggregate.
#include <lucid/relations/declare.hpp>

namespace lucid {

// An aggregate of a related column for withAggregate: lucid::sum(&Post::points).as("totalPoints").
template <class R> struct RelationAggregate {
    std::string fn;
    std::string member;  // memberKey of the column, resolved against R's definition
    std::string alias;
    RelationAggregate as(std::string name) const {
        RelationAggregate a = *this;
        a.alias = std::move(name);
        return a;
    }
};
template <class R, class F> RelationAggregate<R> sum(F R::*col) { return {"sum", detail::memberKey(col), {}}; }
template <class R, class F> RelationAggregate<R> avg(F R::*col) { return {"avg", detail::memberKey(col), {}}; }
template <class R, class F> RelationAggregate<R> min(F R::*col) { return {"min", detail::memberKey(col), {}}; }
template <class R, class F> RelationAggregate<R> max(F R::*col) { return {"max", detail::memberKey(col), {}}; }
template <class R, class F> RelationAggregate<R> count(F R::*col) { return {"count", detail::memberKey(col), {}}; }

template <class T> template <class H> ModelQuery<T>& ModelQuery<T>::preload(H T::*relation) {
    core_.preload(detail::relationOf(relation), nullptr);
    return *this;
}
template <class T> template <class H, class F> ModelQuery<T>& ModelQuery<T>::preload(H T::*relation, F&& callback) {
    core_.preload(detail::relationOf(relation), detail::wrapCallback<typename H::Related>(std::forward<F>(callback)));
    return *this;
}
template <class T> ModelQuery<T>& ModelQuery<T>::preload(std::string_view relation) {
    core_.preload(core_.meta().relation(relation), nullptr);  // unknown names fail here, where the mistake is made
    return *this;
}

#define LUCID_HAS_VARIANT(method, orJoin, negate)                                                              \
    template <class T> template <class H>                                                                      \
    ModelQuery<T>& ModelQuery<T>::method(H T::*relation, std::string_view op, int64_t count) {                 \
        detail::addHas(core_, detail::relationOf(relation), nullptr, op, count, orJoin, negate);                \
        return *this;                                                                                          \
    }
LUCID_HAS_VARIANT(has, false, false)
LUCID_HAS_VARIANT(orHas, true, false)
LUCID_HAS_VARIANT(doesntHave, false, true)
LUCID_HAS_VARIANT(orDoesntHave, true, true)
#undef LUCID_HAS_VARIANT

#define LUCID_WHERE_HAS_VARIANT(method, orJoin, negate)                                                        \
    template <class T> template <class H, class F>                                                             \
    ModelQuery<T>& ModelQuery<T>::method(H T::*relation, F&& callback, std::string_view op, int64_t count) {   \
        detail::addHas(core_, detail::relationOf(relation),                                                    \
                       detail::wrapCallback<typename H::Related>(std::forward<F>(callback)), op, count, orJoin, negate); \
        return *this;                                                                                          \
    }
LUCID_WHERE_HAS_VARIANT(whereHas, false, false)
LUCID_WHERE_HAS_VARIANT(orWhereHas, true, false)
LUCID_WHERE_HAS_VARIANT(whereDoesntHave, false, true)
LUCID_WHERE_HAS_VARIANT(orWhereDoesntHave, true, true)
#undef LUCID_WHERE_HAS_VARIANT

template <class T> ModelQuery<T>& ModelQuery<T>::has(std::string_view relation, std::string_view op, int64_t count) {
    detail::addHas(core_, core_.meta().relation(relation), nullptr, op, count, false, false);
    return *this;
}
template <class T> ModelQuery<T>& ModelQuery<T>::doesntHave(std::string_view relation, std::string_view op, int64_t count) {
    detail::addHas(core_, core_.meta().relation(relation), nullptr, op, count, false, true);
    return *this;
}

template <class T> template <class H> ModelQuery<T>& ModelQuery<T>::withCount(H T::*relation) {
    detail::addRelationAggregate(core_, detail::relationOf(relation), "count", "*", {}, nullptr);
    return *this;
}
template <class T> template <class H, class F> ModelQuery<T>& ModelQuery<T>::withCount(H T::*relation, F&& callback) {
    detail::addRelationAggregate(core_, detail::relationOf(relation), "count", "*", {},
                                 detail::wrapCallback<typename H::Related>(std::forward<F>(callback)));
    return *this;
}
template <class T> template <class H, class A> ModelQuery<T>& ModelQuery<T>::withAggregate(H T::*relation, const A& aggregate) {
    detail::addRelationAggregate(core_, detail::relationOf(relation), aggregate.fn, aggregate.member, aggregate.alias, nullptr);
    return *this;
}
template <class T> template <class H, class A, class F>
ModelQuery<T>& ModelQuery<T>::withAggregate(H T::*relation, const A& aggregate, F&& callback) {
    detail::addRelationAggregate(core_, detail::relationOf(relation), aggregate.fn, aggregate.member, aggregate.alias,
                                 detail::wrapCallback<typename H::Related>(std::forward<F>(callback)));
    return *this;
}

}  // namespace lucid
