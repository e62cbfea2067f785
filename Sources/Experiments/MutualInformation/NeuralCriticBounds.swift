import Foundation

extension CriticObjective {
    /// The bound of one training batch from its B × B scores S (Sᵢⱼ = f(xᵢ, yⱼ), row-major), and
    /// `deltas` ← ∂(−bound)/∂Sᵢⱼ, the gradient of the loss the optimiser minimises.
    ///
    /// InfoNCE: I = (1/B)·Σᵢ [Sᵢᵢ − ln Σⱼ e^{Sᵢⱼ}] + ln B, ∂I/∂Sᵢⱼ = (δᵢⱼ − softmaxⱼ(Sᵢ))/B.
    /// NWJ (as bmi writes it): I = (1/B)·Σᵢ Sᵢᵢ − (1/(B(B−1)))·Σ_{i≠j} e^{Sᵢⱼ − 1}, the off-diagonal
    /// pairs standing for samples of p(x)p(y); ∂I/∂Sᵢᵢ = 1/B, ∂I/∂Sᵢⱼ = −e^{Sᵢⱼ−1}/(B(B−1)).
    /// Sums in Double; O(B²).
    func batchBound(scores s: UnsafePointer<Float>, rows b: Int, deltas: UnsafeMutablePointer<Float>) -> Double {
        let invB = 1 / Double(b)
        var total = 0.0
        switch self {
        case .infoNCE:
            for i in 0..<b {
                let row = s + i * b, d = deltas + i * b
                var top = row[0]
                for j in 1..<b where row[j] > top { top = row[j] }
                var sum: Float = 0
                for j in 0..<b { let e = Foundation.exp(row[j] - top); d[j] = e; sum += e }
                total += Double(row[i]) - Double(top) - Foundation.log(Double(sum))
                let scale = Float(invB) / sum
                for j in 0..<b { d[j] *= scale }
                d[i] -= Float(invB)
            }
            return total * invB + Foundation.log(Double(b))
        case .nwj:
            let pairScale = 1 / (Double(b) * Double(b - 1))
            var negative = 0.0
            for i in 0..<b {
                let row = s + i * b, d = deltas + i * b
                var partial: Float = 0
                for j in 0..<b {
                    let e = Foundation.exp(row[j] - 1)
                    d[j] = e * Float(pairScale)
                    partial += e
                }
                partial -= Foundation.exp(row[i] - 1)
                negative += Double(partial)
                total += Double(row[i])
                d[i] = -Float(invB)
            }
            return total * invB - negative * pairScale
        }
    }

    /// Each held-out row's term of the bound over all m held-out pairs, whose mean is the
    /// estimate: InfoNCE tᵢ = Sᵢᵢ − ln Σⱼ e^{Sᵢⱼ} + ln m (so the mean is at most ln m);
    /// NWJ tᵢ = Sᵢᵢ − (1/(m−1))·Σ_{j≠i} e^{Sᵢⱼ−1}. `row` holds Sᵢ· (m scores), `i` is the
    /// row's own index.
    func rowTerm(scores row: UnsafePointer<Float>, count m: Int, own i: Int) -> Double {
        switch self {
        case .infoNCE:
            var top = row[0]
            for j in 1..<m where row[j] > top { top = row[j] }
            var sum = 0.0
            for j in 0..<m { sum += Double(Foundation.exp(row[j] - top)) }
            return Double(row[i]) - Double(top) - Foundation.log(sum) + Foundation.log(Double(m))
        case .nwj:
            var sum = 0.0
            for j in 0..<m where j != i { sum += Double(Foundation.exp(row[j] - 1)) }
            return Double(row[i]) - sum / Double(m - 1)
        }
    }
}
