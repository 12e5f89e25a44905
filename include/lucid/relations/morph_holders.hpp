#pragma once
// Holders of polymorphic relations: MorphTo<Ts...> holds one model of several types; MorphOne, MorphMany,
// MorphToMany and MorphedByMany hold what their plain counterparts hold. They work with incomplete types.
#include <lucid/relations/holders.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>

namespace lucid {

// morphOne, morphMany, morphToMany, morphedByMany (R: the related model) and morphTo (R = void).
template <class R> struct MorphOptions {
    std::string morphName;   // "commentable": keys commentableType / commentableId, pivot "taggables"
    std::string typeKey;     // the type column's property (the pivot's column for morphToMany / morphedByMany)
    std::string idKey;       // the id column's property (likewise)
    std::string localKey;    // the key the id column points at (default: the primary key)
    std::string pivotTable;  // morphToMany / morphedByMany
    std::string serializeAs;
    bool hidden = false;
    std::function<void(ModelQuery<R>&)> onQuery;  // not on a morphTo: constrain its preload instead
};

template <class T, class... Ts> class MorphToClient;
namespace detail {
template <class... Ts> struct MorphTargets;  // the models of a MorphTo, for callbacks (relations/morph_declare.hpp)
}

// Comment.commentable: a Post or a Video, as the comment's type column says.
template <class... Ts> class MorphTo {
    static_assert(sizeof...(Ts) > 0, "lucid: MorphTo<...> needs at least one model");

public:
    using Options = MorphOptions<void>;
    using Related = detail::MorphTargets<Ts...>;
    template <class T> using Client = MorphToClient<T, Ts...>;
    static constexpr const char* kind = "morphTo";
    // Where M is in Ts... (sizeof...(Ts) when it is not).
    template <class M> static constexpr std::size_t indexOf() {
        constexpr bool same[] = {std::is_same_v<M, Ts>...};
        for (std::size_t i = 0; i < sizeof...(Ts); ++i)
            if (same[i]) return i;
        return sizeof...(Ts);
    }

    bool isLoaded() const noexcept { return loaded_; }
    explicit operator bool() const noexcept { return ptr_ != nullptr; }
    template <class M> bool is() const noexcept {
        static_assert(indexOf<M>() < sizeof...(Ts), "lucid: is<M>() names a model that this MorphTo<...> cannot hold");
        return ptr_ && type_ == indexOf<M>();
    }
    // The model when it is an M; nullptr when it is another, null, or not loaded.
    template <class M> M* get() const noexcept { return is<M>() ? static_cast<M*>(ptr_.get()) : nullptr; }
    // Calls f(model) with the model as its own type (Post&, Video&); false when there is none.
    template <class F> bool visit(F&& f) const {
        if (!ptr_) return false;
        std::size_t i = 0;
        (void)((type_ == i++ ? (f(*static_cast<Ts*>(ptr_.get())), true) : false) || ...);
        return true;
    }
    template <class M> void set(const M& related) { set(std::make_shared<M>(related)); }
    template <class M> void set(std::shared_ptr<M> related) {
        static_assert(indexOf<M>() < sizeof...(Ts), "lucid: set() takes one of the models of this MorphTo<...>");
        setShared(indexOf<M>(), std::move(related));
    }
    void setNull() { setShared(0, nullptr); }
    void reset() noexcept {
        ptr_.reset();
        loaded_ = false;
    }

    // The untyped side: what preloads fill.
    void setShared(std::size_t type, std::shared_ptr<void> p) {
        ptr_ = std::move(p);
        type_ = type;
        loaded_ = true;
    }
    std::size_t typeIndex() const noexcept { return type_; }
    void* raw() const noexcept { return ptr_.get(); }

private:
    std::shared_ptr<void> ptr_;
    std::size_t type_ = 0;
    bool loaded_ = false;
};

// Post.image: the image whose imageableType is Post's and imageableId the post's id.
template <class R> class MorphOne : public OneHolder<R> {
public:
    using Options = MorphOptions<R>;
    template <class T> using Client = HasOneClient<T, R>;
    static constexpr const char* kind = "morphOne";
};

// Post.comments: the comments whose commentableType is Post's and commentableId the post's id.
template <class R> class MorphMany : public ManyHolder<R> {
public:
    using Options = MorphOptions<R>;
    template <class T> using Client = HasManyClient<T, R>;
    static constexpr const char* kind = "morphMany";
};

// Post.tags, through a pivot "taggables" (tag_id, taggable_id, taggable_type).
template <class R> class MorphToMany : public ManyHolder<R> {
public:
    using Options = MorphOptions<R>;
    template <class T> using Client = ManyToManyClient<T, R>;
    static constexpr const char* kind = "morphToMany";
};

// Tag.posts: the inverse of MorphToMany.
template <class R> class MorphedByMany : public ManyHolder<R> {
public:
    using Options = MorphOptions<R>;
    template <class T> using Client = ManyToManyClient<T, R>;
    static constexpr const char* kind = "morphedByMany";
};

}  // namespace lucid
