import Foundation

/// Flags channels whose spectrum is unlike the others' (BrainOmni's rule): each channel's log₁₀ PSD
/// between `low` and `high` Hz is compared with the median log-PSD across channels (root-mean-square
/// difference); a channel is bad when its distance lies outside `Q1 − k·IQR … Q3 + k·IQR` of all the
/// distances (k = 10). Flat channels (zero power) are always bad. Fewer than 4 channels: nothing flagged.
public enum BadChannels {
    /// `true` for each channel judged bad, in the order of `psds`.
    public static func flag(frequencies: [Double], psds: [[Double]], low: Double = 1, high: Double = 100, k: Double = 10) -> [Bool] {
        let band = frequencies.indices.filter { frequencies[$0] >= low && frequencies[$0] <= high }
        guard psds.count >= 4, !band.isEmpty else { return psds.map { $0.allSatisfy { $0 <= 0 } } }
        let flat = psds.map { p in band.allSatisfy { p[$0] <= 0 } }
        let logs = psds.map { p in band.map { log10(max(p[$0], 1e-300)) } }
        let usable = logs.indices.filter { !flat[$0] }
        guard usable.count >= 4 else { return flat }
        let median = band.indices.map { j in Statistics.median(usable.map { logs[$0][j] }) }
        let distance = logs.map { l in (zip(l, median).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / Double(l.count)).squareRoot() }
        let used = usable.map { distance[$0] }
        let q1 = Statistics.percentile(used, 25), q3 = Statistics.percentile(used, 75), iqr = q3 - q1
        return distance.indices.map { flat[$0] || distance[$0] < q1 - k * iqr || distance[$0] > q3 + k * iqr }
    }
}
