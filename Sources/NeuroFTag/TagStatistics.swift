import Foundation

/// Signal-to-noise statistics at a frequency bin against its neighbours (the SSVEP analysis of the MNE
/// tutorial), and multiple-comparison correction.
public enum TagStatistics {
    /// MNE tutorial's `snr_spectrum`: each bin's power over the mean power of `neighbors` bins on each
    /// side, skipping `skip` adjacent bins; NaN within `neighbors + skip` bins of either end.
    public static func snrSpectrum(_ psd: [Double], neighbors: Int, skip: Int) -> [Double] {
        let edge = neighbors + skip
        var snr = [Double](repeating: .nan, count: psd.count)
        guard neighbors > 0, psd.count > 2 * edge else { return snr }
        for k in edge..<(psd.count - edge) {
            var noise = 0.0
            for j in (k - edge)..<(k - skip) { noise += psd[j] }
            for j in (k + skip + 1)...(k + edge) { noise += psd[j] }
            snr[k] = psd[k] / (noise / Double(2 * neighbors))
        }
        return snr
    }

    /// The neighbouring bins of `bin` used as noise.
    public static func neighbourBins(of bin: Int, neighbors: Int, skip: Int) -> [Int] {
        Array((bin - skip - neighbors)..<(bin - skip)) + Array((bin + skip + 1)...(bin + skip + neighbors))
    }

    /// `(psd[bin] − mean(noise)) / std(noise)` over the neighbour bins (sample standard deviation).
    public static func zScore(_ psd: [Double], bin: Int, neighbors: Int, skip: Int) -> Double {
        let noise = neighbourBins(of: bin, neighbors: neighbors, skip: skip).map { psd[$0] }
        let mean = noise.reduce(0, +) / Double(noise.count)
        let variance = noise.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(noise.count - 1, 1))
        return (psd[bin] - mean) / variance.squareRoot()
    }

    /// One-sided p-value of a standard normal deviate.
    public static func normalUpperTail(_ z: Double) -> Double { 0.5 * erfc(z / 2.0.squareRoot()) }

    /// Benjamini–Hochberg adjusted p-values (`scipy.stats.false_discovery_control(p, method='bh')`).
    public static func benjaminiHochberg(_ p: [Double]) -> [Double] {
        let m = p.count
        guard m > 0 else { return [] }
        let order = p.indices.sorted { p[$0] < p[$1] || (p[$0] == p[$1] && $0 < $1) }
        var adjusted = [Double](repeating: 0, count: m)
        var running = Double.infinity
        for rank in stride(from: m, through: 1, by: -1) {
            let i = order[rank - 1]
            running = min(running, p[i] * Double(m) / Double(rank))
            adjusted[i] = min(running, 1)
        }
        return adjusted
    }

    /// The `q`-th percentile (0…100) with NumPy's default linear interpolation.
    public static func percentile(_ values: [Double], _ q: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        let h = Double(sorted.count - 1) * q / 100
        let lower = Int(h.rounded(.down)), upper = min(lower + 1, sorted.count - 1)
        let t = h - Double(lower), a = sorted[lower], b = sorted[upper]
        // numpy's _lerp: the form that is exact at the nearer end.
        return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t
    }
}
