extension Statistics {
    /// Newcombe's hybrid score interval for the difference of two independent proportions
    /// x1/n1 − x2/n2 (Newcombe 1998, "Interval estimation for the difference between independent
    /// proportions: comparison of eleven methods", Stat. Med. 17:873–890, method 10): with the
    /// Wilson intervals (l1, u1) and (l2, u2) of each proportion and δ = p1 − p2,
    /// L = δ − √((p1 − l1)² + (u2 − p2)²), U = δ + √((u1 − p1)² + (p2 − l2)²).
    /// Good coverage where the Wald interval fails: proportions near 0 and small counts, the usual
    /// case for implausible-record rates. A side without trials contributes the whole (0, 1) range.
    public static func newcombeDifferenceInterval(_ x1: Int, _ n1: Int, _ x2: Int, _ n2: Int,
                                                  z: Double = 1.959963984540054) -> (low: Double, high: Double) {
        let p1 = n1 > 0 ? Double(x1) / Double(n1) : 0, p2 = n2 > 0 ? Double(x2) / Double(n2) : 0
        let (l1, u1) = wilsonInterval(successes: x1, trials: n1, z: z)
        let (l2, u2) = wilsonInterval(successes: x2, trials: n2, z: z)
        let delta = p1 - p2
        let low = delta - ((p1 - l1) * (p1 - l1) + (u2 - p2) * (u2 - p2)).squareRoot()
        let high = delta + ((u1 - p1) * (u1 - p1) + (p2 - l2) * (p2 - l2)).squareRoot()
        return (Swift.max(-1, low), Swift.min(1, high))
    }
}
