/// A discrete distribution over values with non-negative integer weights.
struct WeightedTable<Value> {
    private let values: [Value]
    private let cumulative: [Int]
    let totalWeight: Int

    init(_ entries: [(Value, Int)]) {
        var values: [Value] = []
        var cumulative: [Int] = []
        var running = 0
        for (value, weight) in entries where weight > 0 {
            running += weight
            values.append(value)
            cumulative.append(running)
        }
        precondition(running > 0, "a weighted table needs a positive total weight")
        self.values = values
        self.cumulative = cumulative
        self.totalWeight = running
    }

    func pick(using rng: inout Xoshiro256StarStar) -> Value {
        let r = rng.uniform(below: totalWeight)
        var index = 0
        while cumulative[index] <= r {
            index += 1
        }
        return values[index]
    }
}

extension WeightedTable: Sendable where Value: Sendable {}
