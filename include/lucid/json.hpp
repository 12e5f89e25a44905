#pragma once
// nlohmann::json as a field type: stored as JSON text, read back from text (json/jsonb/text columns).
// Include this (or <lucid/lucid.hpp>) where the code uses JSON values: serialize(), toJSON(), JSON fields.
#include <lucid/json_fwd.hpp>

#include <nlohmann/json.hpp>
