#pragma once
// What Migrations and Seeders share: factories under unique, non-empty names, handed out in name order.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace lucid::detail {

// `kind` names what is registered ("migration", "seeder"): it makes the error code (E_INVALID_MIGRATION)
// and the wording of the errors below.
void checkNewName(std::string_view kind, const std::string& name, bool taken);
[[noreturn]] void throwUnknownName(std::string_view kind, const std::string& name);

template <class Product> class NamedFactories {
public:
    using Factory = std::function<std::unique_ptr<Product>()>;
    explicit NamedFactories(std::string_view kind) : kind_(kind) {}

    void add(std::string name, Factory make) {
        checkNewName(kind_, name, entries_.count(name) > 0);
        entries_.emplace(std::move(name), std::move(make));
    }
    std::vector<std::string> names() const {
        std::vector<std::string> out;
        out.reserve(entries_.size());
        for (const auto& entry : entries_) out.push_back(entry.first);
        return out;
    }
    bool contains(const std::string& name) const { return entries_.count(name) > 0; }
    std::unique_ptr<Product> create(const std::string& name) const {
        auto it = entries_.find(name);
        if (it == entries_.end()) throwUnknownName(kind_, name);
        return it->second();
    }
    std::size_t size() const { return entries_.size(); }

private:
    std::string_view kind_;
    std::map<std::string, Factory> entries_;
};

}  // namespace lucid::detail
