// Our own PRNG and range reduction: the standard distributions differ between
// libstdc++ (native) and libc++ (Emscripten), and traces must be identical.
#pragma once

#include <cstdint>

namespace finwave {

class Rng {
public:
    explicit Rng(std::uint64_t seed) : state_(seed) {}
    // splitmix64
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    // Uniform in [0, n) for n < 2^32 by multiply-shift (Lemire), without a division.
    std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(((next() >> 32) * n) >> 32); }
    // True with probability p, p in [0, 1], in steps of 2^-32.
    bool chance(double p) {
        const auto threshold = static_cast<std::uint64_t>(p * 4294967296.0);
        return (next() >> 32) < threshold;
    }

private:
    std::uint64_t state_;
};

}  // namespace finwave
