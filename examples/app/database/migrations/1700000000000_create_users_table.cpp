// CreateUsersTable: made by `app make:migration create_users_table`. Add it to the application's migrations:
//   migrations.add<CreateUsersTable>("database/migrations/1700000000000_create_users_table");
#include <lucid/lucid.hpp>

struct CreateUsersTable : lucid::Migration {
    void up(lucid::Schema& schema) override {
        schema.createTable("users", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.string("email", 254).notNullable().unique();
            t.string("full_name").nullable();
            t.timestamp("created_at");
            t.timestamp("updated_at");
        });
    }
    void down(lucid::Schema& schema) override { schema.dropTable("users"); }
};
