#pragma once
// The User model of table "users", made from its columns by `example_app make:model User`.
#include <lucid/lucid.hpp>

#include <cstdint>
#include <optional>
#include <string>

struct User : lucid::BaseModel<User> {
    int64_t id = 0;
    std::string email;
    std::optional<std::string> fullName;
    std::optional<lucid::DateTime> createdAt;
    std::optional<lucid::DateTime> updatedAt;

    static void define(lucid::ModelDefinition<User>& m) {
        m.column(&User::id, "id", {.isPrimary = true});
        m.column(&User::email, "email");
        m.column(&User::fullName, "fullName");
        m.column(&User::createdAt, "createdAt", {.autoCreate = true});
        m.column(&User::updatedAt, "updatedAt", {.autoCreate = true, .autoUpdate = true});
    }
};
