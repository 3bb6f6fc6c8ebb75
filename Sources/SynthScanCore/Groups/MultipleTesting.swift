import Foundation

extension Statistics {
    /// Benjamini–Hochberg q-values (adjusted p-values) of `pValues`, in input order: the step-up
    /// procedure of Benjamini & Hochberg (1995), "Controlling the false discovery rate: a practical
    /// and powerful approach to multiple testing", JRSS B 57(1):289–300. With the p-values sorted,
    /// q₍ᵢ₎ = min over j ≥ i of min(1, m·p₍ⱼ₎ / j); rejecting q < α controls the FDR at α for
    /// independent (or positively dependent) tests. Equal to statsmodels
    /// `multipletests(p, method="fdr_bh")[1]` and R `p.adjust(p, "BH")`.
    public static func benjaminiHochberg(_ pValues: [Double]) -> [Double] {
        let m = pValues.count
        guard m > 0 else { return [] }
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] || (pValues[$0] == pValues[$1] && $0 < $1) }
        var q = [Double](repeating: 1, count: m)
        var running = 1.0
        for rank in stride(from: m, through: 1, by: -1) {
            let i = order[rank - 1]
            running = Swift.min(running, Swift.min(1, pValues[i] * Double(m) / Double(rank)))
            q[i] = running
        }
        return q
    }

    /// P(X ≤ k) for X ~ Binomial(n, p): the one-sided p-value of observing k or fewer successes,
    /// computed as I_{1−p}(n − k, k + 1) (DLMF 8.17.5 with the symmetry 8.17.4), which equals
    /// 1 − P(X ≥ k + 1) without its cancellation in the far tail; (1 − p)ⁿ when k = 0.
    public static func binomialLowerTail(successes k: Int, trials n: Int, probability p: Double) -> Double {
        if k < 0 { return 0 }
        if k >= n { return 1 }
        if k == 0 { return Foundation.exp(Double(n) * Foundation.log1p(-p)) }
        if p <= 0 { return 1 }
        if p >= 1 { return 0 }
        return regularizedIncompleteBeta(x: 1 - p, a: Double(n - k), b: Double(k + 1))
    }
}
