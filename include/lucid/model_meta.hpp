#pragma once
// Transitional: the model descriptor now lives in include/lucid/detail/ (removed once every include moved).
#include <lucid/detail/model_ops.hpp>
#include <lucid/query.hpp>
#include <lucid/result.hpp>
#include <lucid/transaction.hpp>
