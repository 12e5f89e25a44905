#pragma once
// The direction of an orderBy: lucid::Asc, lucid::Desc.
namespace lucid {

enum class Order { Asc, Desc };
inline constexpr Order Asc = Order::Asc, Desc = Order::Desc;

}  // namespace lucid
