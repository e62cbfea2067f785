import Autoencoder
import Datasets
import EntropyCurve
import InformationPlane
import Notebook

// The library enums whose cases are a parameter's words: declared once, by their cases.

extension MNIST.Split: ParameterWords {}
extension Activation: ParameterWords {}
extension VerdictOptions.Policy: ParameterWords {}
extension InformationPlaneExperiment.NoiseMode: ParameterWords {}
