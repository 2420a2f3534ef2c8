import NeuroCore
import NeuroHMM
import NeuroStore

extension StateMatching {
    /// The state signatures of a `neurotool glmhmm` output file, from its `bias` (state × neuron) and
    /// `weights` (state × neuron × source) variables, with its number of neurons.
    public static func signatures(ofResult path: String) throws -> (signatures: [[Double]], neurons: Int) {
        let bias = try ArrayFile.read(path + ":bias"), weights = try ArrayFile.read(path + ":weights")
        guard bias.shape.count == 2, weights.shape.count == 3, weights.shape[0] == bias.shape[0],
              weights.shape[1] == bias.shape[1], weights.shape[2] == bias.shape[1] else {
            throw NeuroIOError.badValue(path, field: "weights/bias", detail: "expected state × neuron × neuron weights and state × neuron biases (a neurotool glmhmm output)")
        }
        let k = bias.shape[0], n = bias.shape[1]
        var signatures: [[Double]] = []
        for s in 0..<k {
            var row: [Double] = []
            for i in 0..<n {
                row.append(bias.values[s * n + i])
                row += weights.values[((s * n + i) * n)..<((s * n + i + 1) * n)]
            }
            signatures.append(row)
        }
        return (signatures, n)
    }
}
