#pragma once
// Everything of lucid-cpp: values, database, query builder, schema, models and relationships.
#include <lucid/database.hpp>
#include <lucid/errors.hpp>
#include <lucid/json.hpp>
#include <lucid/migration.hpp>
#include <lucid/command.hpp>
#include <lucid/query.hpp>
#include <lucid/result.hpp>
#include <lucid/schema.hpp>
#include <lucid/transaction.hpp>
#include <lucid/value.hpp>
#include <lucid/model.hpp>
#include <lucid/naming.hpp>
#include <lucid/relations/clients.hpp>
#include <lucid/relations/declare.hpp>
#include <lucid/relations/holders.hpp>
#include <lucid/relations/query_relations.hpp>
