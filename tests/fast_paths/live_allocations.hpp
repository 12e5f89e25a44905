#pragma once
// Counts what the global operator new handed out and was not given back, so a test sees a block freed.
namespace fast_paths {

// Blocks from operator new (any thread) not yet deleted; compare two readings taken around the code under test.
long liveAllocations() noexcept;

}  // namespace fast_paths
