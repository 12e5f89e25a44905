// CreatePostsTable: made by `app make:migration create_posts_table`. Add it to the application's migrations:
//   migrations.add<CreatePostsTable>("database/migrations/1700000000001_create_posts_table");
#include <lucid/lucid.hpp>

struct CreatePostsTable : lucid::Migration {
    void up(lucid::Schema& schema) override {
        schema.createTable("posts", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.integer("user_id").unsigned_().notNullable();
            t.foreign("user_id").references("id").inTable("users").onDelete("cascade");
            t.string("title").notNullable();
            t.timestamp("created_at");
            t.timestamp("updated_at");
        });
    }
    void down(lucid::Schema& schema) override { schema.dropTable("posts"); }
};
