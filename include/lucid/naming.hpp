#pragma once
// Lucid's naming strategy: table, column and serialized names, and the default relation keys.
#include <string>
#include <string_view>

namespace lucid {

std::string snakeCase(std::string_view s);   // avatarUrl -> avatar_url, UserProfile -> user_profile
std::string camelCase(std::string_view s);   // user_id -> userId
std::string pluralize(std::string_view word);  // category -> categories, person -> people

class NamingStrategy {
public:
    virtual ~NamingStrategy() = default;
    virtual std::string tableName(std::string_view modelName) const { return pluralize(snakeCase(modelName)); }
    virtual std::string columnName(std::string_view /*modelName*/, std::string_view property) const { return snakeCase(property); }
    virtual std::string serializedName(std::string_view /*modelName*/, std::string_view property) const { return std::string(property); }
    // belongsTo / hasOne / hasMany / hasManyThrough foreign key: camelCase(modelName + "_" + primaryKey)
    virtual std::string relationForeignKey(std::string_view modelName, std::string_view primaryKey) const {
        return camelCase(std::string(modelName) + "_" + std::string(primaryKey));
    }
    // manyToMany pivot table: both model names in snake case, sorted, joined by "_"
    virtual std::string relationPivotTable(std::string_view modelName, std::string_view relatedModelName) const;
    // manyToMany pivot keys: snake_case(modelName + "_" + primaryKey)
    virtual std::string relationPivotForeignKey(std::string_view modelName, std::string_view primaryKey) const {
        return snakeCase(std::string(modelName) + "_" + std::string(primaryKey));
    }
};

}  // namespace lucid
