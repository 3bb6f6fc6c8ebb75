import Foundation

/// Receiver operating characteristic (ROC) analysis of a binary score: positives (e.g. the members
/// of a membership-inference attack) should score higher than negatives.
///
/// Conventions follow scikit-learn 1.9.1 (`sklearn/metrics/_ranking.py`), checked against it by
/// `Tests/Conformance/generate_sklearn_roc.py`:
/// - `roc_curve(..., drop_intermediate=False)`: one operating point per DISTINCT score value,
///   highest first ("predict positive when score ≥ threshold"), after the point (0, 0) at
///   threshold +∞. Tied scores therefore move together: a tie between a positive and a negative
///   can never be split by a threshold.
/// - `roc_auc_score`: the area under that curve by the trapezoidal rule, which equals the
///   Mann–Whitney statistic P(positive > negative) + ½·P(tie) (Mann & Whitney 1947; Bamber 1975,
///   J Math Psychol 12:387–415). Computed here from integer counts, not from the trapezoids.
public enum ROC {
    /// An empirical ROC curve: counts of true and false positives at each threshold.
    public struct Curve: Sendable, Equatable {
        /// Number of positives (members).
        public let positives: Int
        /// Number of negatives (non-members).
        public let negatives: Int
        /// Thresholds, decreasing: +∞ first, then every distinct score value.
        public let thresholds: [Double]
        /// Positives with score ≥ threshold, per threshold (0 at +∞, `positives` at the lowest score).
        public let truePositives: [Int]
        /// Negatives with score ≥ threshold, per threshold.
        public let falsePositives: [Int]

        /// Number of operating points (distinct scores + 1).
        public var count: Int { thresholds.count }

        /// True positive rate at point `i` (sklearn: `tps / tps[-1]`; NaN without positives).
        public func truePositiveRate(_ i: Int) -> Double {
            positives > 0 ? Double(truePositives[i]) / Double(positives) : .nan
        }

        /// False positive rate at point `i` (sklearn: `fps / fps[-1]`; NaN without negatives).
        public func falsePositiveRate(_ i: Int) -> Double {
            negatives > 0 ? Double(falsePositives[i]) / Double(negatives) : .nan
        }

        /// The operating point with the largest true positive rate among those whose false positive
        /// rate is at most `maxFalsePositiveRate`: `max(tpr[fpr <= t])` over the curve. The point
        /// (0, 0) always qualifies, so the answer exists; both rates never decrease along the curve,
        /// so it is the last qualifying point. FPRs are compared as sklearn computes them
        /// (`fps / n`, one correctly rounded division) so that, e.g., 10 of 1000 counts as ≤ 0.01.
        public func operatingPoint(maxFalsePositiveRate target: Double) -> OperatingPoint {
            var best = 0
            for i in 0..<count where falsePositiveRate(i) <= target { best = i }
            return OperatingPoint(threshold: thresholds[best], truePositives: truePositives[best],
                                  falsePositives: falsePositives[best], truePositiveRate: truePositiveRate(best),
                                  falsePositiveRate: falsePositiveRate(best))
        }

        /// max over operating points of TPR − FPR: the attacker's membership advantage (Yeom et al.
        /// 2018, "Privacy risk in machine learning", IEEE CSF; Youden's J, Youden 1950). At least 0
        /// (the point (0, 0)).
        public var maxAdvantage: Double {
            var best = 0.0
            for i in 0..<count { best = Swift.max(best, truePositiveRate(i) - falsePositiveRate(i)) }
            return best
        }
    }

    /// One operating point of a curve.
    public struct OperatingPoint: Sendable, Equatable {
        /// Predict positive when score ≥ threshold (+∞: predict nothing).
        public let threshold: Double
        /// Positives at or above the threshold.
        public let truePositives: Int
        /// Negatives at or above the threshold.
        public let falsePositives: Int
        /// truePositives / positives.
        public let truePositiveRate: Double
        /// falsePositives / negatives.
        public let falsePositiveRate: Double
    }

    /// The AUC with DeLong's standard error and a normal-approximation confidence interval.
    public struct AUCEstimate: Sendable, Equatable {
        /// Mann–Whitney AUC.
        public let auc: Double
        /// DeLong standard error (NaN with fewer than two positives or two negatives).
        public let standardError: Double
        /// max(0, auc − z·SE).
        public let low: Double
        /// min(1, auc + z·SE).
        public let high: Double
    }

    /// The ROC curve of `positives` against `negatives`, as `sklearn.metrics.roc_curve` with
    /// `drop_intermediate=False` computes it. Scores must not be NaN.
    public static func curve(positives: [Double], negatives: [Double]) -> Curve {
        let groups = tiedGroups(positives: positives, negatives: negatives)
        var thresholds: [Double] = [.infinity]
        var tps = [0], fps = [0]
        thresholds.reserveCapacity(groups.count + 1)
        tps.reserveCapacity(groups.count + 1)
        fps.reserveCapacity(groups.count + 1)
        var tp = 0, fp = 0
        for g in groups {
            tp += g.positives
            fp += g.negatives
            thresholds.append(g.score)
            tps.append(tp)
            fps.append(fp)
        }
        return Curve(positives: positives.count, negatives: negatives.count, thresholds: thresholds,
                     truePositives: tps, falsePositives: fps)
    }

    /// The Mann–Whitney AUC: P(positive > negative) + ½·P(positive = negative) over all pairs,
    /// i.e. U / (m·n) (Mann & Whitney 1947), equal to sklearn's `roc_auc_score`. NaN when either
    /// side is empty. Exact in integers: 2U = Σ over tied groups of n_g·(2·P_above + m_g).
    public static func auc(positives: [Double], negatives: [Double]) -> Double {
        let m = positives.count, n = negatives.count
        guard m > 0, n > 0 else { return .nan }
        var twiceU = 0, above = 0
        for g in tiedGroups(positives: positives, negatives: negatives) {
            twiceU += g.negatives * (2 * above + g.positives)
            above += g.positives
        }
        return Double(twiceU) / (2 * Double(m) * Double(n))
    }

    /// The AUC with the standard error of DeLong, DeLong & Clarke-Pearson (1988), "Comparing the
    /// areas under two or more correlated receiver operating characteristic curves: a
    /// nonparametric approach", Biometrics 44(3):837–845, and the interval auc ± z·SE clipped to
    /// [0, 1] (the interval pROC's `ci.auc(method = "delong")` reports; Robin et al. 2011).
    ///
    /// Structural components (DeLong 1988, §2): for positive i, V10(i) = (1/n)·Σ_j ψ(X_i, Y_j);
    /// for negative j, V01(j) = (1/m)·Σ_i ψ(X_i, Y_j), with ψ(x, y) = 1 if x > y, ½ if x = y, else
    /// 0. Var(AUC) = S10/m + S01/n with S10, S01 the sample variances (denominator m − 1, n − 1).
    /// The components come from counts over sorted tied groups in O((m + n) log(m + n)), the idea of
    /// Sun & Xu (2014), "Fast implementation of DeLong's algorithm", IEEE Signal Process Lett
    /// 21(11):1389–1393, without their midrank bookkeeping.
    public static func aucWithDeLong(positives: [Double], negatives: [Double], z: Double = 1.959963984540054) -> AUCEstimate {
        let m = positives.count, n = negatives.count
        let auc = auc(positives: positives, negatives: negatives)
        guard m >= 2, n >= 2 else { return AUCEstimate(auc: auc, standardError: .nan, low: .nan, high: .nan) }
        let groups = tiedGroups(positives: positives, negatives: negatives)
        // Walking groups from the highest score down: `positivesAbove` = positives strictly higher,
        // `negativesBelow` = negatives strictly lower. Every member of a group shares its components.
        var negativesBelow = n
        var positivesAbove = 0
        var v10Sum = 0.0, v10SumSq = 0.0, v01Sum = 0.0, v01SumSq = 0.0
        for g in groups {
            negativesBelow -= g.negatives
            // ψ summed over negatives for a positive in this group: below count + ½ ties.
            let v10 = (Double(negativesBelow) + 0.5 * Double(g.negatives)) / Double(n)
            // ψ summed over positives for a negative in this group: above count + ½ ties.
            let v01 = (Double(positivesAbove) + 0.5 * Double(g.positives)) / Double(m)
            v10Sum += Double(g.positives) * v10
            v10SumSq += Double(g.positives) * v10 * v10
            v01Sum += Double(g.negatives) * v01
            v01SumSq += Double(g.negatives) * v01 * v01
            positivesAbove += g.positives
        }
        let s10 = Swift.max(0, (v10SumSq - v10Sum * v10Sum / Double(m)) / Double(m - 1))
        let s01 = Swift.max(0, (v01SumSq - v01Sum * v01Sum / Double(n)) / Double(n - 1))
        let se = (s10 / Double(m) + s01 / Double(n)).squareRoot()
        return AUCEstimate(auc: auc, standardError: se, low: Swift.max(0, auc - z * se), high: Swift.min(1, auc + z * se))
    }

    /// A distinct score value with how many positives and negatives have it.
    struct TiedGroup {
        let score: Double
        let positives: Int
        let negatives: Int
    }

    /// Distinct scores, highest first, with their counts per class.
    static func tiedGroups(positives: [Double], negatives: [Double]) -> [TiedGroup] {
        precondition(!positives.contains { $0.isNaN } && !negatives.contains { $0.isNaN }, "ROC scores must not be NaN")
        let p = positives.sorted(by: >), q = negatives.sorted(by: >)
        var groups: [TiedGroup] = []
        groups.reserveCapacity(p.count + q.count)
        var i = 0, j = 0
        while i < p.count || j < q.count {
            let score: Double
            if i < p.count, j < q.count { score = Swift.max(p[i], q[j]) } else if i < p.count { score = p[i] } else { score = q[j] }
            var a = 0, b = 0
            while i < p.count, p[i] == score { a += 1; i += 1 }
            while j < q.count, q[j] == score { b += 1; j += 1 }
            groups.append(TiedGroup(score: score, positives: a, negatives: b))
        }
        return groups
    }
}
