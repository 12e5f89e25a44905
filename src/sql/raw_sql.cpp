// SQL that a user wrote: compiled as it is ('?' into the dialect's placeholders), and marked with what
// only its text can tell a driver, since no clause tree says it.
#include "sql/compiler.hpp"

namespace lucid::detail {

namespace {
bool startsWith(std::string_view sql, std::string_view word, bool anyCase) {
    if (sql.size() < word.size()) return false;
    return anyCase ? iequals(sql.substr(0, word.size()), word) : sql.substr(0, word.size()) == word;
}
}  // namespace

void markUserSql(Statement& st, std::string_view sql, bool whole) {
    // a kept plan cannot know how long a "= any($n)" key list is; those are planned per call
    if (sql.find("= any(") != std::string_view::npos) st.preparable = false;
    if (sql.find('*') != std::string_view::npos) st.columns = Statement::Columns::FromTable;
    if (!whole) return;
    if (st.columns == Statement::Columns::Unmarked) st.columns = Statement::Columns::Fixed;
    // only DML written in lower case is prepared, as the driver did when it read the text itself
    const bool dml = startsWith(sql, "select ", false) || startsWith(sql, "insert ", false) || startsWith(sql, "update ", false) ||
                     startsWith(sql, "delete ", false);
    st.preparable = st.preparable && dml;
    st.changesSchema = startsWith(sql, "create ", true) || startsWith(sql, "alter ", true) || startsWith(sql, "drop ", true);
    st.commits = sql == "commit";
}

Statement compileRaw(std::string_view sql, const Bindings& bindings, const Dialect& d) {
    SqlWriter w(d);
    w.raw(sql, bindings);
    Statement st = w.take();
    markUserSql(st, st.sql, true);
    return st;
}

}  // namespace lucid::detail
