/// SplitMix64 (Steele, Lea, Flood 2014): a tiny 64-bit generator used to expand one seed into
/// well-mixed state words. Pure integer arithmetic, so identical on every platform.
struct SplitMix64: Sendable {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.finalize(state)
    }

    /// The SplitMix64 output function: a bijective 64-bit mixer.
    static func finalize(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Combines a seed and a stream index into one well-mixed seed (for per-row generators).
    static func derive(seed: UInt64, index: UInt64) -> UInt64 {
        finalize(seed ^ finalize(index &+ 0x632B_E59B_D9B4_E019))
    }
}
