import Dispatch
import Foundation
import NeuroCore
import NeuroLinAlg
import NeuroSpectral

/// The hierarchical frequency-tagging probe test (HFTP, An et al. 2025) for every unit at once.
///
/// Per unit, the amplitude of the full-length FFT of its trial-averaged response (DC set to 0, no window
/// or padding) at each tag's bin is compared with the same amplitude after each of `P` random
/// permutations of the samples; the unit passes at a tag when it exceeds the null's 95th percentile.
/// The permutations are shared by all units, which turns the null into BLAS products: permuting a
/// series' samples equals permuting the rows of the Fourier matrix, so for a batch of permutations
/// `[E_π₁ | E_π₂ | …]` (cosine and sine rows of the tag bins), `X · [E_π…]` gives every unit's null
/// amplitudes in one `dgemm`.
public enum HFTPTest {
    /// The test's outcome for every unit at every tag bin.
    public struct Result: Sendable {
        /// Units × tags: observed amplitude `|X(f)|`.
        public var observed: Matrix
        /// Units × tags: the null's 95th percentile.
        public var threshold: Matrix
        /// Units × tags: `(1 + #{null ≥ observed}) / (1 + P)`.
        public var pvalue: Matrix
    }

    /// `count` permutations of `0..<length` (Fisher–Yates) from the seed.
    public static func permutations(count: Int, length: Int, seed: UInt64) -> [[Int32]] {
        var generator = SeededGenerator(seed: seed, stream: 0x4854_4650)
        return (0..<count).map { _ in
            var p = (0..<Int32(length)).map { $0 }
            for i in stride(from: length - 1, to: 0, by: -1) { p.swapAt(i, generator.index(below: i + 1)) }
            return p
        }
    }

    /// Observed amplitudes only: `|rfft(x)[bin]|` of each row of `evoked` (units × samples).
    public static func observed(_ evoked: Matrix, bins: [Int]) -> Matrix {
        let fft = RealFFT(length: evoked.columns)
        var out = Matrix(rows: evoked.rows, columns: bins.count)
        for u in 0..<evoked.rows {
            let spectrum = fft.forward(Array(evoked.row(u)))
            for (j, k) in bins.enumerated() { out[u, j] = k == 0 ? 0 : spectrum[k].length }
        }
        return out
    }

    /// Runs the test on `evoked` (units × samples) at the given FFT `bins` with `permutations`.
    public static func run(_ evoked: Matrix, bins: [Int], permutations: [[Int32]],
                           progress: any ProgressReporter = SilentProgress()) -> Result {
        let units = evoked.rows, n = evoked.columns, tags = bins.count, total = permutations.count
        let observed = observed(evoked, bins: bins)
        // Fourier rows of the tag bins: cos and −sin of 2πkt/n.
        var cosines = [[Double]](), sines = [[Double]]()
        for k in bins {
            cosines.append((0..<n).map { cos(2 * Double.pi * Double((k * $0) % n) / Double(n)) })
            sines.append((0..<n).map { -sin(2 * Double.pi * Double((k * $0) % n) / Double(n)) })
        }
        var null = [Double](repeating: 0, count: units * tags * total)   // [unit][tag][permutation]
        let batch = max(1, min(total, 4_000_000 / max(n * 2 * tags, 1)))
        var start = 0
        while start < total {
            let count = min(batch, total - start)
            var e = Matrix(rows: n, columns: 2 * tags * count)
            for b in 0..<count {
                let p = permutations[start + b]
                for t in 0..<n {
                    // x[π(t)] meets e^{-iωt}: row π(t) of E_π holds E's row t.
                    let row = Int(p[t]) * e.columns
                    for j in 0..<tags {
                        e.values[row + (b * tags + j) * 2] = cosines[j][t]
                        e.values[row + (b * tags + j) * 2 + 1] = sines[j][t]
                    }
                }
            }
            let y = evoked.multiplied(by: e)
            for u in 0..<units {
                for b in 0..<count {
                    for j in 0..<tags {
                        let re = y[u, (b * tags + j) * 2], im = y[u, (b * tags + j) * 2 + 1]
                        null[(u * tags + j) * total + start + b] = (re * re + im * im).squareRoot()
                    }
                }
            }
            start += count
            progress.update(completed: start, total: total, label: "permutations")
        }
        // Percentiles and exceedances per unit, units in parallel.
        var threshold = Matrix(rows: units, columns: tags), pvalue = threshold
        null.withUnsafeBufferPointer { nb in
            threshold.values.withUnsafeMutableBufferPointer { tb in
                pvalue.values.withUnsafeMutableBufferPointer { pb in
                    let n = UnsafeSendable(nb), t = UnsafeSendable(tb.baseAddress!), p = UnsafeSendable(pb.baseAddress!)
                    DispatchQueue.concurrentPerform(iterations: units) { u in
                        for j in 0..<tags {
                            let values = Array(n.wrapped[((u * tags + j) * total)..<((u * tags + j + 1) * total)])
                            t.wrapped[u * tags + j] = TagStatistics.percentile(values, 95)
                            let exceed = values.filter { $0 >= observed[u, j] }.count
                            p.wrapped[u * tags + j] = Double(1 + exceed) / Double(1 + total)
                        }
                    }
                }
            }
        }
        return Result(observed: observed, threshold: threshold, pvalue: pvalue)
    }
}
