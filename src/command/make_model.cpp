// make:model NAME --table T: a model struct whose fields and define() come from the live table's columns
// (Lucid's camelCase properties, field types from the column types, std::optional where nullable).
#include "command/commands.hpp"
#include "command/generated_file.hpp"
#include "sql/dialect.hpp"

#include <lucid/errors.hpp>
#include <lucid/naming.hpp>
#include <lucid/result.hpp>

#include <set>

namespace lucid::command {
namespace {

struct Field {
    std::string column, property, member, type, init, note;
    bool nullable = false, primary = false;
    int scale = -1;
};

// The C++ type of a column the schema builder could have made; text for any other (its declared type noted).
void typeOf(Field& f, const std::optional<ColumnSpec>& spec, const std::string& declared) {
    if (!spec) {
        f.type = "std::string";
        f.note = "  // " + declared + ": read as text";
        return;
    }
    switch (spec->kind) {
    case ColumnKind::Increments:
    case ColumnKind::BigIncrements:
    case ColumnKind::Integer:
    case ColumnKind::BigInteger: f.type = "int64_t", f.init = " = 0"; return;
    case ColumnKind::Boolean: f.type = "bool", f.init = " = false"; return;
    case ColumnKind::Float:
    case ColumnKind::Double: f.type = "double", f.init = " = 0"; return;
    case ColumnKind::Decimal: f.type = "lucid::Decimal", f.scale = spec->scale; return;
    case ColumnKind::Date:
    case ColumnKind::DateTime:
    case ColumnKind::Timestamp: f.type = "lucid::DateTime", f.init = "{}"; return;
    case ColumnKind::Json: f.type = "nlohmann::json"; return;
    case ColumnKind::Binary: f.type = "lucid::Blob"; return;
    case ColumnKind::String:
    case ColumnKind::Text:
    case ColumnKind::Uuid: f.type = "std::string"; return;
    }
}

// A property that is a C++ keyword keeps its name; only the member gets a trailing '_'.
std::string memberName(const std::string& property) {
    static const std::set<std::string> keywords{
        "alignas", "alignof", "and", "asm", "auto", "bool", "break", "case", "catch", "char", "class", "const", "constexpr",
        "continue", "default", "delete", "do", "double", "else", "enum", "explicit", "export", "extern", "false", "float",
        "for", "friend", "goto", "if", "inline", "int", "long", "mutable", "namespace", "new", "not", "operator", "or",
        "private", "protected", "public", "register", "return", "short", "signed", "sizeof", "static", "struct", "switch",
        "template", "this", "throw", "true", "try", "typedef", "typename", "union", "unsigned", "using", "virtual", "void",
        "volatile", "while", "xor", "define", "query", "save", "create"};
    return keywords.count(property) ? property + "_" : property;
}

std::vector<Field> describe(QueryClient& client, const std::string& table) {
    const detail::Dialect& d = client.dialect();
    std::vector<Field> fields;
    bool primaryTaken = false;
    for (const Row& r : client.rawQuery(d.describeColumnsSQL(), {table})) {
        Field f;
        f.column = r.get<std::string>("name");
        f.property = camelCase(f.column);
        f.member = memberName(f.property);
        // one primary key per model, as Lucid's; a key column is never null (SQLite's rowid alias says it may be)
        f.primary = r.get<bool>("is_primary") && !primaryTaken;
        primaryTaken = primaryTaken || f.primary;
        f.nullable = r.get<bool>("nullable") && !r.get<bool>("is_primary");
        const std::string declared = r.get<std::string>("type");
        typeOf(f, d.columnOfType(declared), declared);
        fields.push_back(std::move(f));
    }
    if (fields.empty()) throw Error("E_MISSING_TABLE", "Table \"" + table + "\" does not exist (or has no columns) on connection \"" + client.connectionName() + "\"");
    return fields;
}

std::string options(const Field& f) {
    std::vector<std::string> parts;
    if (f.primary) parts.push_back(".isPrimary = true");
    if (snakeCase(f.property) != f.column) parts.push_back(".columnName = " + cppString(f.column));
    // Lucid's model template: created_at set on insert, updated_at on insert and update
    if (f.type == "lucid::DateTime" && (f.column == "created_at" || f.column == "updated_at")) parts.push_back(".autoCreate = true");
    if (f.type == "lucid::DateTime" && f.column == "updated_at") parts.push_back(".autoUpdate = true");
    if (f.scale >= 0) parts.push_back(".scale = " + std::to_string(f.scale));
    std::string s;
    for (const auto& p : parts) s += (s.empty() ? ", {" : ", ") + p;
    return s.empty() ? s : s + "}";
}

std::string modelSource(const std::string& model, const std::string& table, const std::vector<Field>& fields, const std::string& commandLine) {
    std::string s = "#pragma once\n// The " + model + " model of table " + cppString(table) + ", made from its columns by `" + commandLine + "`.\n" +
                    "#include <lucid/lucid.hpp>\n\n#include <cstdint>\n#include <optional>\n#include <string>\n\n" + "struct " + model +
                    " : lucid::BaseModel<" + model + "> {\n";
    for (const Field& f : fields)
        s += "    " + (f.nullable ? "std::optional<" + f.type + ">" : f.type) + " " + f.member + (f.nullable ? "" : f.init) + ";" + f.note + "\n";
    s += "\n    static void define(lucid::ModelDefinition<" + model + ">& m) {\n";
    if (NamingStrategy().tableName(model) != table) s += "        m.table(" + cppString(table) + ");\n";
    for (const Field& f : fields)
        s += "        m.column(&" + model + "::" + f.member + ", " + cppString(f.property) + options(f) + ");\n";
    return s + "    }\n};\n";
}

}  // namespace

int makeModel(Context& ctx) {
    const std::string& raw = ctx.args.argument(0);
    requireName(raw, "model name");
    const std::string model = pascalCase(raw);
    const std::string table = ctx.args.value("table").value_or(NamingStrategy().tableName(model));
    const auto fields = describe(connectionOf(ctx), table);
    std::string commandLine = ctx.program + " make:model " + raw;
    if (ctx.args.has("table")) commandLine += " --table " + table;
    writeNewFile(ctx.output, ctx.options.modelsPath, snakeCase(model) + ".hpp", modelSource(model, table, fields, commandLine));
    return 0;
}

}  // namespace lucid::command
