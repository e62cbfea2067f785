/// Failures of training or of reading a saved model, with the context a user needs.
public enum AutoencoderError: Error, Equatable, CustomStringConvertible {
    /// The training loss of mini-batch `batch` (1-based) in `epoch` (1-based) was NaN or ±inf.
    case nonFiniteLoss(epoch: Int, batch: Int, loss: Double)
    /// The validation loss after `epoch` was NaN or ±inf.
    case nonFiniteValidationLoss(epoch: Int, loss: Double)
    /// The data or the settings do not allow training (too few rows, a zero width, …).
    case invalidConfiguration(String)
    /// Input with a different width from the model's input or code layer.
    case dimensionMismatch(expected: Int, got: Int)
    /// Saved model bytes that cannot be read.
    case malformedModel(String)

    public var description: String {
        switch self {
        case .nonFiniteLoss(let epoch, let batch, let loss):
            "training diverged: the loss became \(loss) in epoch \(epoch), mini-batch \(batch); lower the learning rate or normalise the data"
        case .nonFiniteValidationLoss(let epoch, let loss):
            "training diverged: the validation loss became \(loss) after epoch \(epoch); lower the learning rate or normalise the data"
        case .invalidConfiguration(let message): message
        case .dimensionMismatch(let expected, let got): "expected rows of width \(expected), got \(got)"
        case .malformedModel(let message): "cannot read the saved autoencoder: \(message)"
        }
    }
}
