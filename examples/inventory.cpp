// A nightly inventory sync: a supplier's feed upserted in a fixed number of statements
// (updateOrCreateMany), discontinued products soft-deleted, stock kept in a table with a composite
// key, a report streamed with cursor(), and JSON shaped with pick/omit.
// Runs on an embedded SQLite database by default; pass any URL to use another.
#include <lucid/lucid.hpp>
#include <lucid/json.hpp>

#include <iostream>
#include <map>

struct Stock;

struct Product : lucid::BaseModel<Product> {
    int64_t id = 0;
    std::string sku;
    std::string name;
    lucid::Decimal price;
    std::optional<lucid::DateTime> deletedAt;
    lucid::HasMany<Stock> stock;
    static void define(lucid::ModelDefinition<Product>& m);
};

// One row per (warehouse, product): the pair is the primary key.
struct Stock : lucid::BaseModel<Stock> {
    int64_t warehouseId = 0;
    int64_t productId = 0;
    int64_t quantity = 0;
    static void define(lucid::ModelDefinition<Stock>& m) {
        m.table("stock");
        m.column(&Stock::warehouseId, "warehouseId", {.isPrimary = true});
        m.column(&Stock::productId, "productId", {.isPrimary = true});
        m.column(&Stock::quantity, "quantity");
    }
};

void Product::define(lucid::ModelDefinition<Product>& m) {
    m.column(&Product::id, "id", {.isPrimary = true});
    m.column(&Product::sku, "sku");
    m.column(&Product::name, "name");
    m.column(&Product::price, "price", {.scale = 2});
    m.softDeletes(&Product::deletedAt);  // the column, and every read leaving trashed rows out
    m.hasMany(&Product::stock, "stock");
}

// What the supplier sends each night: every product it still sells, at today's price.
std::vector<Product> feed(int night) {
    std::vector<Product> rows;
    for (int i = 1; i <= 5; ++i) {
        if (night == 2 && i == 4) continue;  // discontinued on the second night
        rows.push_back(Product{.sku = "SKU-" + std::to_string(i), .name = "Part " + std::to_string(i),
                               .price = lucid::Decimal{std::to_string(i * 10 + night) + ".99"}});
    }
    return rows;
}

int main(int argc, char** argv) {
    try {
        lucid::Database db{argc > 1 ? argv[1] : "sqlite::memory:"};
        lucid::useDatabase(db);
        auto schema = db.schema();
        for (const char* t : {"stock", "products"}) schema.dropTableIfExists(t);
        schema.createTable("products", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.string("sku").unique();
            t.string("name");
            t.decimal("price", 12, 2);
            t.timestamp("deleted_at").nullable();
        });
        schema.createTable("stock", [](lucid::TableBuilder& t) {
            t.integer("warehouse_id");
            t.integer("product_id");
            t.integer("quantity");
            t.primary({"warehouse_id", "product_id"});
        });

        for (int night = 1; night <= 2; ++night) {
            int statements = 0;
            auto counter = db.onQuery([&](const lucid::QueryEvent&) { ++statements; });
            // one SELECT, one INSERT for the new rows, one UPDATE for the changed ones: whatever the feed's size
            std::vector<Product> synced = Product::updateOrCreateMany(&Product::sku, feed(night));
            // products the feed no longer lists are soft-deleted: the rows stay, every read leaves them out
            std::vector<std::string> listed;
            for (const Product& p : synced) listed.push_back(p.sku);
            Product::query().whereNotIn(&Product::sku, lucid::Bindings(listed.begin(), listed.end())).del();
            std::cout << "night " << night << ": " << synced.size() << " products synced in " << statements << " statements\n";
        }

        // stock by (warehouse, product): find and save address the row by both columns
        for (const Product& p : Product::query().orderBy(&Product::id).all())
            for (int64_t warehouse : {1, 2}) Stock::create({.warehouseId = warehouse, .productId = p.id, .quantity = p.id * warehouse});
        Stock s = Stock::findOrFail(lucid::Key{2, 3});
        s.quantity -= 1;
        s.save();

        // the report: one statement, rows streamed one at a time (the loop runs no query of its own: the
        // cursor holds its connection, the only one of an in-memory SQLite database)
        std::map<int64_t, int64_t> unitsOf;
        for (const lucid::Row& r : db.from("stock").select("product_id").selectRaw("sum(quantity) as units").groupBy("product_id").exec())
            unitsOf[r.get<int64_t>("product_id")] = r.get<int64_t>("units");
        lucid::Decimal value{"0"};
        for (Product& p : Product::query().orderBy(&Product::sku).cursor()) {
            const int64_t units = unitsOf[p.id];
            std::cout << p.sku << "  " << p.name << "  " << p.price.toString() << "  x " << units << "\n";
            value = value + p.price * lucid::Decimal{std::to_string(units)};
        }
        std::cout << "stock value: " << value.toString() << "\n";
        std::cout << "discontinued: " << Product::query().onlyTrashed().count() << ", on sale: " << Product::query().count() << "\n";

        // JSON for the shop's front end: the product's sku and price, and its stock without the product key
        Product first = Product::query().preload(&Product::stock).orderBy(&Product::id).firstOrFail();
        lucid::SerializeOptions shape{.fields = {.pick = {"sku", "price"}},
                                      .relations = {{"stock", lucid::SerializeOptions{.fields = {.omit = {"productId"}}}}}};
        std::cout << first.serialize(shape).dump() << "\n";
        return 0;
    } catch (const lucid::Error& e) {
        std::cerr << "error (" << e.code() << "): " << e.what() << "\n";
        return 1;
    }
}
