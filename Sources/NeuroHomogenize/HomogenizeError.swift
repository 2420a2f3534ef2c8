import NeuroIO
import NeuroStore

/// A homogenization run refused before any work, carrying the offending value.
public enum HomogenizeError: Error, Equatable, Sendable {
    /// The run's resampler does not apply to this file's modality (`fft` on calcium traces, `linear` on EEG).
    case resamplerNotApplicable(file: String, resampler: String, modality: Modality)
    /// No input was given.
    case noInputs(output: String)
    /// The same file is listed twice.
    case duplicateInput(String)
}

extension HomogenizeError: CustomStringConvertible {
    /// One line naming the file (the output for `noInputs`) and what is wrong.
    public var description: String {
        switch self {
        case .resamplerNotApplicable(let file, let resampler, let modality):
            return "\(file): the '\(resampler)' resampler does not apply to \(modality == .calcium ? "calcium-imaging" : "continuous (EEG/MEG)") recordings"
        case .noInputs(let output):
            return "\(output): inputs: no input files"
        case .duplicateInput(let path):
            return "\(path): inputs: listed more than once"
        }
    }
}
