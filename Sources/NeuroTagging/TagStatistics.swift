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

    /// The neighbouring bins of `bin` used as noise: `neighbors` on each side beyond `skip` adjacent
    /// ones. The DC bin (zero once the mean is removed) and the `excluded` bins (other tagged
    /// frequencies, whose responses are not noise) are passed over and replaced by the next bin further
    /// out on the same side, so both sides keep their weight on a sloping (1/f) spectrum; bins past either
    /// end are dropped. Away from the ends and other tags these are exactly the bins of
    /// ``snrSpectrum(_:neighbors:skip:)``.
    public static func neighbourBins(of bin: Int, neighbors: Int, skip: Int, count: Int, excluding excluded: Set<Int> = []) -> [Int] {
        var below: [Int] = [], above: [Int] = []
        var k = bin - skip - 1
        while below.count < neighbors && k >= 1 {
            if !excluded.contains(k) { below.append(k) }
            k -= 1
        }
        k = bin + skip + 1
        while above.count < neighbors && k < count {
            if !excluded.contains(k) { above.append(k) }
            k += 1
        }
        return below.reversed() + above
    }

    /// `psd[bin]` over the mean power of its neighbour bins, and how many bins that mean used.
    public static func snr(_ psd: [Double], bin: Int, neighbors: Int, skip: Int, excluding excluded: Set<Int> = []) -> (snr: Double, noiseBins: Int) {
        let noise = neighbourBins(of: bin, neighbors: neighbors, skip: skip, count: psd.count, excluding: excluded).map { psd[$0] }
        return (psd[bin] / (noise.reduce(0, +) / Double(noise.count)), noise.count)
    }

    /// `(psd[bin] − mean(noise)) / std(noise)` over the neighbour bins (sample standard deviation).
    public static func zScore(_ psd: [Double], bin: Int, neighbors: Int, skip: Int, excluding excluded: Set<Int> = []) -> Double {
        let noise = neighbourBins(of: bin, neighbors: neighbors, skip: skip, count: psd.count, excluding: excluded).map { psd[$0] }
        let mean = noise.reduce(0, +) / Double(noise.count)
        let variance = noise.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(noise.count - 1, 1))
        return (psd[bin] - mean) / variance.squareRoot()
    }

    /// p-value of an SNR against `noiseBins` neighbouring bins when the spectrum is locally flat noise.
    ///
    /// A periodogram bin of Gaussian noise is a χ²₂ variable (scaled); the mean of `averaged` independent
    /// ones is χ²₂ₖ/2k. So `SNR = P_k / mean(noise bins)` follows an F(2k, 2km) distribution (m =
    /// `noiseBins`), and the p-value is its survival function; for k = 1 that is `(1 + SNR/m)^(−m)`.
    /// Pass the number of *independent* spectra averaged (overlapping Welch segments count as fewer), so
    /// the test stays conservative.
    public static func snrPValue(_ snr: Double, noiseBins m: Int, averaged k: Int = 1) -> Double {
        guard snr.isFinite else { return .nan }
        let x = max(snr, 0)
        if k == 1 { return pow(1 + x / Double(m), -Double(m)) }
        let d1 = 2 * Double(k), d2 = 2 * Double(k * m)
        return regularizedBeta(d2 / (d2 + d1 * x), d2 / 2, d1 / 2)
    }

    /// The regularized incomplete beta function I_x(a, b) (continued fraction, Numerical Recipes §6.4).
    static func regularizedBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logBeta: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let logPowers: Double = a * log(x) + b * log(1 - x)
        let front = exp(logBeta + logPowers)
        if x < (a + 1) / (a + b + 2) { return front * betaFraction(x, a, b) / a }
        return 1 - front * betaFraction(1 - x, b, a) / b
    }

    private static func betaFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...10_000 {
            let m = Double(m), m2 = 2 * m
            var aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return h
    }

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
