#pragma once
// Relation holders: the fields of a model that hold its related models once loaded.
// They work with an incomplete related type; copying a holder shares its related instances.
#include <lucid/errors.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace lucid {

template <class R> class ModelQuery;

template <class R> struct RelationOptions {  // belongsTo, hasOne, hasMany
    std::string localKey;
    std::string foreignKey;
    std::string serializeAs;
    bool hidden = false;
    std::function<void(ModelQuery<R>&)> onQuery;
};

template <class R> struct ManyToManyOptions {
    std::string pivotTable;
    std::string localKey;
    std::string pivotForeignKey;
    std::string relatedKey;
    std::string pivotRelatedForeignKey;
    std::vector<std::string> pivotColumns;
    bool pivotTimestamps = false;
    std::string serializeAs;
    bool hidden = false;
    std::function<void(ModelQuery<R>&)> onQuery;
};

template <class R> struct ThroughOptions {
    std::string localKey;
    std::string foreignKey;
    std::string throughLocalKey;
    std::string throughForeignKey;
    std::string serializeAs;
    bool hidden = false;
    std::function<void(ModelQuery<R>&)> onQuery;
};

template <class T, class R> class ManyToManyClient;
template <class T, class R> class HasManyThroughClient;
template <class T, class R> class BelongsToClient;
template <class T, class R> class HasOneClient;
template <class T, class R> class HasManyClient;

namespace detail {
[[noreturn]] void throwNotLoaded();
}

template <class R> class OneHolder {
public:
    using Related = R;
    bool isLoaded() const noexcept { return loaded_; }
    R* get() const noexcept { return ptr_.get(); }
    R* operator->() const {
        if (!ptr_) detail::throwNotLoaded();
        return ptr_.get();
    }
    R& operator*() const { return *operator->(); }
    explicit operator bool() const noexcept { return ptr_ != nullptr; }
    R& value() const {
        if (!loaded_) detail::throwNotLoaded();
        if (!ptr_) throw RelationNotLoaded("the relationship is loaded, but as null: no related row matched");
        return *ptr_;
    }
    // Lucid's $setRelated: the holder now holds (a shared copy of) the related model.
    void set(const R& related) { setShared(std::make_shared<R>(related)); }
    void set(std::shared_ptr<R> related) { setShared(std::move(related)); }
    void setNull() { setShared(nullptr); }
    void reset() noexcept {
        ptr_.reset();
        loaded_ = false;
    }
    void setShared(std::shared_ptr<R> p) {
        ptr_ = std::move(p);
        loaded_ = true;
    }
    const std::shared_ptr<R>& shared() const noexcept { return ptr_; }

private:
    std::shared_ptr<R> ptr_;
    bool loaded_ = false;
};

template <class R> class ManyHolder {
public:
    using Related = R;
    class iterator {
    public:
        using value_type = R;
        using difference_type = std::ptrdiff_t;
        using reference = R&;
        using pointer = R*;
        using iterator_category = std::random_access_iterator_tag;
        iterator() = default;
        explicit iterator(typename std::vector<std::shared_ptr<R>>::const_iterator it) : it_(it) {}
        R& operator*() const { return **it_; }
        R* operator->() const { return it_->get(); }
        iterator& operator++() { ++it_; return *this; }
        iterator operator++(int) { auto c = *this; ++it_; return c; }
        bool operator==(const iterator& o) const { return it_ == o.it_; }
        bool operator!=(const iterator& o) const { return it_ != o.it_; }
        difference_type operator-(const iterator& o) const { return it_ - o.it_; }

    private:
        typename std::vector<std::shared_ptr<R>>::const_iterator it_;
    };

    bool isLoaded() const noexcept { return loaded_; }
    std::size_t size() const noexcept { return items_.size(); }
    bool empty() const noexcept { return items_.empty(); }
    R& operator[](std::size_t i) const { return *items_[i]; }
    R& at(std::size_t i) const {
        if (i >= items_.size()) throw Error("E_OUT_OF_RANGE", "relationship index " + std::to_string(i) + " is out of range");
        return *items_[i];
    }
    iterator begin() const { return iterator(items_.begin()); }
    iterator end() const { return iterator(items_.end()); }
    // value(): the loaded list; throws RelationNotLoaded before preload/load/set.
    const ManyHolder& value() const {
        if (!loaded_) detail::throwNotLoaded();
        return *this;
    }
    void set(const std::vector<R>& related) {
        items_.clear();
        for (const auto& r : related) items_.push_back(std::make_shared<R>(r));
        loaded_ = true;
    }
    void reset() noexcept {
        items_.clear();
        loaded_ = false;
    }
    void setShared(std::vector<std::shared_ptr<R>> items) {
        items_ = std::move(items);
        loaded_ = true;
    }
    void pushShared(std::shared_ptr<R> item) {
        items_.push_back(std::move(item));
        loaded_ = true;
    }
    const std::vector<std::shared_ptr<R>>& shared() const noexcept { return items_; }

private:
    std::vector<std::shared_ptr<R>> items_;
    bool loaded_ = false;
};

template <class R> class BelongsTo : public OneHolder<R> {
public:
    using Options = RelationOptions<R>;
    template <class T> using Client = BelongsToClient<T, R>;
    static constexpr const char* kind = "belongsTo";
};

template <class R> class HasOne : public OneHolder<R> {
public:
    using Options = RelationOptions<R>;
    template <class T> using Client = HasOneClient<T, R>;
    static constexpr const char* kind = "hasOne";
};

template <class R> class HasMany : public ManyHolder<R> {
public:
    using Options = RelationOptions<R>;
    template <class T> using Client = HasManyClient<T, R>;
    static constexpr const char* kind = "hasMany";
};

template <class R> class ManyToMany : public ManyHolder<R> {
public:
    using Options = ManyToManyOptions<R>;
    template <class T> using Client = ManyToManyClient<T, R>;
    static constexpr const char* kind = "manyToMany";
};

// Country -> User -> Post: HasManyThrough<Post, User>.
template <class R, class Through> class HasManyThrough : public ManyHolder<R> {
public:
    using Options = ThroughOptions<R>;
    using ThroughModel = Through;
    template <class T> using Client = HasManyThroughClient<T, R>;
    static constexpr const char* kind = "hasManyThrough";
};

}  // namespace lucid
