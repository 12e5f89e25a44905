// Value::as<T> for every field type, from values of every kind built from the input: a T or a
// lucid::TypeError. What converts must keep its value: an integer, a date or a JSON document read
// from a Value and written back into one reads back equal.
#include "check.hpp"

#include <lucid/json.hpp>
#include <lucid/value.hpp>

#include <fuzzer/FuzzedDataProvider.h>

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

using lucid::Value;
using lucid_fuzz::fail;

namespace {

Value makeValue(FuzzedDataProvider& in) {
    switch (in.ConsumeIntegralInRange<int>(0, 6)) {
    case 0: return Value();
    case 1: return Value(in.ConsumeBool());
    case 2: return Value(in.ConsumeIntegral<int64_t>());
    case 3: return Value(in.ConsumeFloatingPoint<double>());
    case 4: {  // a double from its bit pattern: NaNs, infinities, denormals
        uint64_t bits = in.ConsumeIntegral<uint64_t>();
        double d;
        static_assert(sizeof d == sizeof bits);
        __builtin_memcpy(&d, &bits, sizeof d);
        return Value(d);
    }
    case 5: {
        std::string bytes = in.ConsumeRandomLengthString(64);
        return Value(lucid::Blob(reinterpret_cast<const std::byte*>(bytes.data()),
                                 reinterpret_cast<const std::byte*>(bytes.data()) + bytes.size()));
    }
    default: return Value(in.ConsumeRandomLengthString(64));
    }
}

// as<T>() and as<std::optional<T>>(): a T or a TypeError, and the optional agrees with the plain one.
template <class T> std::optional<T> convert(const Value& v, const char* type) {
    std::optional<T> out;
    lucid_fuzz::allows<lucid::TypeError>(std::string("as<") + type + "> of " + v.toDebugString(), [&] { out = v.as<T>(); });
    std::optional<T> viaOptional;
    bool ok = lucid_fuzz::allows<lucid::TypeError>(std::string("as<optional<") + type + ">> of " + v.toDebugString(),
                                                   [&] { viaOptional = v.as<std::optional<T>>(); });
    if (v.isNull() ? (!ok || viaOptional) : (ok != out.has_value()))
        fail(std::string("as<optional<") + type + ">> disagrees with as<" + type + "> on " + v.toDebugString());
    return out;
}

// An integer that converted must survive the trip back into a Value.
template <class I> void integer(const Value& v, const char* type) {
    if (auto x = convert<I>(v, type)) {
        if (Value(*x).as<I>() != *x) fail(std::string(type) + " does not read back the same from " + v.toDebugString());
        if (auto p = v.integer(); p && static_cast<int64_t>(*x) != *p)
            fail(std::string(type) + " changed the value of " + v.toDebugString());
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    const Value v = makeValue(in);
    const Value other = makeValue(in);
    v.toDebugString();
    v.kindName();
    v.hash();
    v.looselyEquals(other);

    integer<int8_t>(v, "int8_t");
    integer<uint8_t>(v, "uint8_t");
    integer<int16_t>(v, "int16_t");
    integer<uint16_t>(v, "uint16_t");
    integer<int32_t>(v, "int32_t");
    integer<uint32_t>(v, "uint32_t");
    integer<int64_t>(v, "int64_t");
    integer<uint64_t>(v, "uint64_t");
    convert<bool>(v, "bool");
    convert<float>(v, "float");
    if (auto d = convert<double>(v, "double"); d && v.kind() == Value::Kind::Double) {
        const double in = std::get<double>(v.storage());
        if (!(*d == in || (std::isnan(*d) && std::isnan(in)))) fail("as<double> changed " + v.toDebugString());
    }
    convert<lucid::Blob>(v, "Blob");
    if (auto s = convert<std::string>(v, "string"); s && *s != *v.text()) fail("as<string> changed " + v.toDebugString());
    // a date that was read must be written in a form that reads back as the same instant
    if (auto t = convert<lucid::DateTime>(v, "DateTime")) {
        std::optional<lucid::DateTime> back;
        lucid_fuzz::allows<lucid::TypeError>("DateTime written back", [&] { back = Value(*t).as<lucid::DateTime>(); });
        if (back != t) fail("DateTime from " + v.toDebugString() + " is written as " + lucid::formatDateTime(*t) + ", which does not read back");
    }
    if (auto j = convert<nlohmann::json>(v, "json")) {
        // a document that was read is stored as text that reads back as the same document
        std::optional<nlohmann::json> back;
        lucid_fuzz::allows<lucid::TypeError>("JSON written back", [&] { back = lucid::toValue(*j).as<nlohmann::json>(); });
        if (back != j && !(j->is_number_float() && !std::isfinite(j->get<double>())))
            fail("JSON from " + v.toDebugString() + " does not read back");
    }
    return 0;
}
