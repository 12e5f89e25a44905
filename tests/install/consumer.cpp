#include <lucid/lucid.hpp>

#include <iostream>

int main() {
    lucid::Database db{"sqlite::memory:"};
    db.schema().createTable("t", [](lucid::TableBuilder& t) { t.increments("id"); t.string("name"); });
    db.table("t").insert({{"name", "installed"}});
    auto row = db.from("t").first();
    if (!row || row->get<std::string>("name") != "installed") return 1;
    std::cout << "find_package(lucid) works\n";
    return 0;
}
