import Foundation
import NeuroCore
import NeuroStore
import NeuroTensor

/// What the `ntf` input is turned into.
public enum TensorRecipe: Sendable {
    /// The array in the file as it is (NPY, `file.h5:/dataset`, `file.nc:variable`).
    case array
    /// Trials cut from a homogenized file (of the named recordings; nil: all).
    case trials(TrialEpochs, shiftToNonnegative: Bool, recordings: [String]? = nil)
    /// The dynamic-connectome affinity tensor of a homogenized calcium file.
    case connectome(ConnectomeOptions)
}

/// Reads the `ntf` input: a plain array, or a tensor built from a homogenized file, with its mask.
public enum NTFInput {
    /// Whether `location` is a file of the common format (rather than a plain array).
    public static func isHomogenized(_ location: String) -> Bool {
        guard FileManager.default.fileExists(atPath: location) else { return false }
        return (try? CommonFormatFile(path: location)) != nil
    }

    /// Loads the tensor and its mask. `maskLocation` is an array of the same shape (non-zero: observed);
    /// with `missingNaN`, NaN entries of an array count as missing too.
    public static func load(_ location: String, recipe: TensorRecipe, maskLocation: String? = nil,
                            missingNaN: Bool = false) throws -> LabelledTensor {
        var labelled: LabelledTensor
        switch recipe {
        case .array:
            let array = try ArrayFile.read(location)
            guard array.shape.count >= 2 else {
                throw NeuroIOError.badValue(location, field: "array", detail: "has shape \(array.shape); a tensor needs at least 2 dimensions")
            }
            labelled = LabelledTensor(tensor: DenseTensor(shape: array.shape, values: array.values), mask: nil,
                                      axes: array.shape.enumerated().map { ModeAxis.indexed("dim\($0.offset)", count: $0.element) },
                                      kind: "array")
        case let .trials(epochs, shift, recordings):
            labelled = try TrialTensor.build(from: CommonFormatFile(path: location), epochs: epochs, recordings: recordings,
                                             shiftToNonnegative: shift)
        case .connectome(let options):
            labelled = try ConnectomeTensor.build(from: CommonFormatFile(path: location), options: options)
        }
        if let maskLocation {
            let mask = try ArrayFile.read(maskLocation)
            guard mask.shape == labelled.tensor.shape else {
                throw NeuroIOError.badValue(maskLocation, field: "mask", detail: "has shape \(mask.shape), the tensor \(labelled.tensor.shape)")
            }
            let given = mask.values.map { $0 != 0 && !$0.isNaN ? 1.0 : 0.0 }
            labelled.mask = labelled.mask.map { zip($0, given).map { $0 * $1 } } ?? given
        }
        if missingNaN {
            let finite = labelled.tensor.values.map { $0.isNaN ? 0.0 : 1.0 }
            if finite.contains(0) { labelled.mask = labelled.mask.map { zip($0, finite).map { $0 * $1 } } ?? finite }
        }
        return labelled
    }
}
