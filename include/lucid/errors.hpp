#pragma once
// The error hierarchy: every error carries Lucid's code so callers can branch on it.
#include <stdexcept>
#include <string>

namespace lucid {

class Error : public std::runtime_error {
public:
    Error(std::string code, const std::string& message)
        : std::runtime_error(message), code_(std::move(code)) {}
    explicit Error(const std::string& message) : Error("E_RUNTIME_EXCEPTION", message) {}
    const std::string& code() const noexcept { return code_; }

private:
    std::string code_;
};

struct RowNotFound : Error {
    explicit RowNotFound(const std::string& message = "Row not found") : Error("E_ROW_NOT_FOUND", message) {}
};
struct DefinitionError : Error {
    DefinitionError(const std::string& message, std::string code = "E_MISSING_MODEL_ATTRIBUTE")
        : Error(std::move(code), message) {}
};
struct UndefinedRelationship : Error {
    explicit UndefinedRelationship(const std::string& message) : Error("E_UNDEFINED_RELATIONSHIP", message) {}
};
struct RelationNotLoaded : Error {
    explicit RelationNotLoaded(const std::string& message) : Error("E_RELATION_NOT_LOADED", message) {}
};
struct TypeError : Error {
    explicit TypeError(const std::string& message) : Error("E_TYPE_ERROR", message) {}
};
struct ConnectionError : Error {
    explicit ConnectionError(const std::string& message) : Error("E_CONNECTION_ERROR", message) {}
};
// The migrator's own failures, with Lucid's codes: E_UNABLE_ACQUIRE_LOCK, E_MISSING_SCHEMA_FILES.
struct MigrationError : Error {
    MigrationError(std::string code, const std::string& message) : Error(std::move(code), message) {}
};
class Value;
// A failed statement: the driver's message, plus the SQL and the bindings that produced it.
class QueryError : public Error {
public:
    QueryError(const std::string& driverMessage, std::string sql, std::string bindingsText,
               std::string sqlState = {});
    const std::string& sql() const noexcept { return sql_; }
    const std::string& driverMessage() const noexcept { return driverMessage_; }
    // SQLSTATE on PostgreSQL ("23505"); the extended result code as text on SQLite.
    const std::string& sqlState() const noexcept { return sqlState_; }
    const std::string& bindingsText() const noexcept { return bindings_; }

protected:
    QueryError(std::string code, const std::string& driverMessage, std::string sql, std::string bindingsText, std::string sqlState);

private:
    std::string driverMessage_, sql_, bindings_, sqlState_;
};

// A statement that ran past its timeout(): cancelled on the server (PostgreSQL) or interrupted (SQLite).
class QueryTimeout : public QueryError {
public:
    QueryTimeout(const std::string& driverMessage, std::string sql, std::string bindingsText, std::string sqlState = {})
        : QueryError("E_QUERY_TIMEOUT", driverMessage, std::move(sql), std::move(bindingsText), std::move(sqlState)) {}
};

}  // namespace lucid
