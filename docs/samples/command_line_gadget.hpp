#pragma once
// The Gadget model of table "gadgets", made from its columns by `app make:model Gadget --table gadgets`.
#include <lucid/lucid.hpp>

#include <cstdint>
#include <optional>
#include <string>

struct Gadget : lucid::BaseModel<Gadget> {
    int64_t id = 0;
    std::string name;
    std::optional<std::string> description;
    bool isActive = false;
    int64_t stock = 0;
    std::optional<int64_t> views;
    double ratio = 0;
    std::optional<double> weight;
    lucid::Decimal price;
    std::optional<lucid::DateTime> releasedOn;
    std::optional<nlohmann::json> meta;
    std::optional<lucid::Blob> picture;
    std::optional<std::string> serial;
    std::optional<std::string> externalID;
    std::optional<lucid::DateTime> createdAt;
    std::optional<lucid::DateTime> updatedAt;

    static void define(lucid::ModelDefinition<Gadget>& m) {
        m.column(&Gadget::id, "id", {.isPrimary = true});
        m.column(&Gadget::name, "name");
        m.column(&Gadget::description, "description");
        m.column(&Gadget::isActive, "isActive");
        m.column(&Gadget::stock, "stock");
        m.column(&Gadget::views, "views");
        m.column(&Gadget::ratio, "ratio");
        m.column(&Gadget::weight, "weight");
        m.column(&Gadget::price, "price", {.scale = 2});
        m.column(&Gadget::releasedOn, "releasedOn");
        m.column(&Gadget::meta, "meta");
        m.column(&Gadget::picture, "picture");
        m.column(&Gadget::serial, "serial");
        m.column(&Gadget::externalID, "externalID", {.columnName = "externalID"});
        m.column(&Gadget::createdAt, "createdAt", {.autoCreate = true});
        m.column(&Gadget::updatedAt, "updatedAt", {.autoCreate = true, .autoUpdate = true});
    }
};
