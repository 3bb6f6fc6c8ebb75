/// Integer-only sampling helpers. No floating point is involved anywhere, so results are
/// bit-for-bit reproducible regardless of libm, CPU or compiler flags.
extension Xoshiro256StarStar {
    /// A uniform integer in `0..<bound` (Lemire's unbiased multiply-and-reject method).
    @inline(__always)
    mutating func uniform(below bound: Int) -> Int {
        precondition(bound > 0, "uniform(below:) needs a positive bound")
        let b = UInt64(bound)
        var product = next().multipliedFullWidth(by: b)
        if product.low < b {
            let threshold = (0 &- b) % b
            while product.low < threshold {
                product = next().multipliedFullWidth(by: b)
            }
        }
        return Int(product.high)
    }

    /// A uniform integer in the closed range.
    mutating func uniform(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + uniform(below: range.upperBound - range.lowerBound + 1)
    }

    /// `true` with probability `perMillion / 1_000_000`.
    mutating func chance(perMillion: Int) -> Bool {
        uniform(below: 1_000_000) < perMillion
    }

    /// An approximately normal integer (Irwin–Hall sum of twelve 16-bit uniforms), rounded
    /// half-up to whole units. `mean` and `standardDeviation` are in the caller's units.
    mutating func normal(mean: Int, standardDeviation: Int) -> Int {
        var sum = 0
        for _ in 0..<3 {
            let x = next()
            sum += Int(x & 0xFFFF) + Int((x >> 16) & 0xFFFF) + Int((x >> 32) & 0xFFFF) + Int(x >> 48)
        }
        // The sum has mean 12 * 32767.5 = 393210 and standard deviation ~65536.
        let centered = sum - 393_210
        return mean + ((centered * standardDeviation + 32_768) >> 16)
    }

    /// A cheap approximately normal integer (sum of four 16-bit uniforms from one draw).
    @inline(__always)
    mutating func quickNormal(mean: Int, standardDeviation: Int) -> Int {
        let x = next()
        let sum = Int(x & 0xFFFF) + Int((x >> 16) & 0xFFFF) + Int((x >> 32) & 0xFFFF) + Int(x >> 48)
        // Mean 131070, standard deviation 65536/sqrt(3); 113512 = round(sqrt(3) * 65536).
        let centered = sum - 131_070
        return mean + ((centered * standardDeviation * 113_512 + (1 << 31)) >> 32)
    }

    /// Shuffles `array` in place (Fisher–Yates).
    mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        var i = array.count - 1
        while i > 0 {
            let j = uniform(below: i + 1)
            array.swapAt(i, j)
            i -= 1
        }
    }

    /// `count` distinct integers from `0..<population`, in random order (Floyd's algorithm,
    /// then shuffled), using memory proportional to `count` only.
    mutating func distinctSample(count: Int, from population: Int) -> [Int] {
        precondition(count >= 0 && count <= population, "cannot sample \(count) of \(population)")
        var chosen = Set<Int>()
        var order: [Int] = []
        order.reserveCapacity(count)
        for j in (population - count)..<population {
            let t = uniform(in: 0...j)
            let pick = chosen.contains(t) ? j : t
            chosen.insert(pick)
            order.append(pick)
        }
        shuffle(&order)
        return order
    }
}
