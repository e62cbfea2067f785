import Foundation
import Linalg

/// The estimators of I(X;Y) between two continuous variables, by the word a notebook uses.
public enum MutualInformationMethod: String, Sendable, Hashable, CaseIterable, Codable {
    /// KSG-1 (`KraskovStogbauerGrassberger`, k neighbours) on standardised coordinates.
    case ksg
    /// KSG-2 on standardised coordinates.
    case ksg2 = "ksg-2"
    /// KSG-1 on the normal scores (`MarginalGaussianisation`).
    case ksgCopula = "ksg-copula"
    /// `GaussianMutualInformation` (bias-corrected) on the data.
    case gaussian
    /// `GaussianMutualInformation` (bias-corrected) on the normal scores: the Gaussian-copula estimate.
    case gaussianCopula = "gaussian-copula"
    /// `KernelPluginMutualInformation` (whitened LOO-KDE entropies).
    case kde
    /// `NeuralCritic` with the InfoNCE bound (bmi's defaults; held-out half, fixed seed).
    case infoNCE = "infonce"
    /// `NeuralCritic` with the NWJ bound.
    case nwj
    /// `CompressedMutualInformation` (Butakov et al. 2024): autoencoders to 4 coordinates a
    /// side, then KSG-1 on the standardised codes.
    case compressed

    /// The row label ("KSG-1 (k = 3)").
    public func label(k: Int) -> String {
        switch self {
        case .ksg: "KSG-1 (k = \(k))"
        case .ksg2: "KSG-2 (k = \(k))"
        case .ksgCopula: "KSG-1 on normal scores (k = \(k))"
        case .gaussian: "Gaussian"
        case .gaussianCopula: "Gaussian copula"
        case .kde: "KDE plug-in"
        case .infoNCE: "InfoNCE critic"
        case .nwj: "NWJ critic"
        case .compressed: "compressed (d′ = 4) + KSG-1 (k = \(k))"
        }
    }

    /// The fewest rows the method takes.
    /// KSG on the data's own coordinates: `MutualInformationReliability.lowerBoundOnly` applies.
    public var isNearestNeighbour: Bool { self == .ksg || self == .ksg2 || self == .ksgCopula }

    public func minimumRows(k: Int, dimX: Int, dimY: Int) -> Int {
        switch self {
        case .ksg, .ksg2, .ksgCopula: k + 1
        case .gaussian, .gaussianCopula: dimX + dimY + 2
        case .kde: 4
        case .infoNCE, .nwj: 16
        case .compressed: max(k + 1, 16)
        }
    }

    /// Î(X;Y) in nats on paired rows.
    public func information(_ x: Matrix, _ y: Matrix, k: Int, threads: Int? = nil) throws -> Double {
        switch self {
        case .ksg:
            return try KraskovStogbauerGrassberger(k: k, variant: .first, threads: threads).information(standardised(x), standardised(y))
        case .ksg2:
            return try KraskovStogbauerGrassberger(k: k, variant: .second, threads: threads).information(standardised(x), standardised(y))
        case .ksgCopula:
            return try KraskovStogbauerGrassberger(k: k, variant: .first, threads: threads)
                .information(MarginalGaussianisation.scores(x), MarginalGaussianisation.scores(y))
        case .gaussian: return try GaussianMutualInformation().information(x, y)
        case .gaussianCopula: return try GaussianMutualInformation().information(MarginalGaussianisation.scores(x), MarginalGaussianisation.scores(y))
        case .kde: return try KernelPluginMutualInformation(threads: threads).information(x, y)
        case .infoNCE, .nwj:
            // A fixed seed: the estimate depends on the rows only, as every other method's does.
            let options = NeuralCriticOptions(objective: self == .infoNCE ? .infoNCE : .nwj, threads: max(threads ?? 1, 1))
            return try NeuralCritic.estimate(x: x, y: y, options: options).estimate.value
        case .compressed:
            let ksg = KraskovStogbauerGrassberger(k: k, variant: .first, threads: threads)
            return try CompressedMutualInformation().estimate(x: x, y: y, codeEstimator: "KSG-1") {
                try ksg.information(standardised($0), standardised($1))
            }.value
        }
    }
}
