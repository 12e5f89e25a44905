// UserSeeder: two users and a post each, in one transaction (db:seed gives the seeder its own).
#include "../../app/models/user.hpp"

#include <lucid/lucid.hpp>

struct UserSeeder : lucid::Seeder {
    void run(lucid::QueryClient& client) override {
        for (const User& u : User::createMany({{.email = "ada@example.com", .fullName = "Ada Lovelace"},
                                               {.email = "alan@example.com", .fullName = "Alan Turing"}},
                                              client))
            client.table("posts").insert({{"user_id", u.id}, {"title", "Hello from " + u.email}});
    }
};
