// The application's list of migrations, and migrations written as two callables.
#include <lucid/errors.hpp>
#include <lucid/migration.hpp>

namespace lucid {
namespace {

// A migration written as two callables.
class StepMigration final : public Migration {
public:
    StepMigration(Migrations::Step up, Migrations::Step down) : up_(std::move(up)), down_(std::move(down)) {}
    void up(Schema& schema) override { up_(schema); }
    void down(Schema& schema) override {
        if (down_) down_(schema);
    }

private:
    Migrations::Step up_, down_;
};

}  // namespace

Migrations& Migrations::add(std::string name, Step up, Step down) {
    if (!up) throw Error("E_INVALID_MIGRATION", "Migration \"" + name + "\" needs an up step");
    return addFactory(std::move(name), [up = std::move(up), down = std::move(down)] {
        return std::unique_ptr<Migration>(std::make_unique<StepMigration>(up, down));
    });
}

Migrations& Migrations::addFactory(std::string name, Factory make) {
    entries_.add(std::move(name), std::move(make));
    return *this;
}

std::vector<std::string> Migrations::names() const { return entries_.names(); }

std::unique_ptr<Migration> Migrations::create(const std::string& name) const { return entries_.create(name); }

}  // namespace lucid
