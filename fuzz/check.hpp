#pragma once
// What every fuzz target asserts: a call either succeeds or throws the lucid error it documents.
// Anything else (another exception, a broken property) prints the case and aborts, so that libFuzzer
// keeps the input as a crash.
#include <lucid/errors.hpp>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

namespace lucid_fuzz {

[[noreturn]] inline void fail(const std::string& what) {
    std::fprintf(stderr, "lucid fuzz: %s\n", what.c_str());
    std::abort();
}

// Runs fn; E (a lucid error class) is an accepted outcome, any other exception is a failure.
// True when fn returned normally.
template <class E, class F> bool allows(const std::string& context, F&& fn) {
    try {
        fn();
        return true;
    } catch (const E&) {
        return false;
    } catch (const std::exception& e) {
        fail(context + ": unexpected exception: " + e.what());
    } catch (...) {
        fail(context + ": a non-std exception");
    }
}

}  // namespace lucid_fuzz
