import Foundation
import NeuroCore
import NeuroTagging

/// The result of a frequency-tagging analysis.
public struct FTagResult: Sendable {
    /// The epoched data that was analysed.
    public var data: EpochedData
    /// Every channel's spectra: PSD, FFT amplitude and inter-trial phase coherence over all frequency bins.
    public var spectra: ChannelSpectra
    /// Every tested frequency: each base tag and its harmonics, with the base tag index and harmonic.
    public var tagFrequencies: [Double]
    /// Per tested frequency: the index of its base tag in `options.tags`.
    public var tagBase: [Int]
    /// Per tested frequency: its harmonic number (1 for the tag itself, 2 for twice its frequency, …).
    public var tagHarmonic: [Int]
    /// Channels × tested frequencies.
    public var snr: Matrix
    /// Channels × tested frequencies: the tag bin's power minus its noise bins' mean, over their sample SD.
    public var zscore: Matrix
    /// Channels × tested frequencies: inter-trial phase coherence at each tag's FFT bin; nil with one trial.
    public var itpc: Matrix?
    /// Channels × tested frequencies: p-value of the SNR (F test against the neighbouring bins), uncorrected.
    public var pvalue: Matrix
    /// Channels × tested frequencies: whether the corrected SNR p-value is below `alpha` and, when run, the HFTP
    /// amplitude is above its null threshold and the control z-score above 2.
    public var significant: [[Bool]]
    /// With permutations: the HFTP amplitudes and null thresholds (channels × tested frequencies).
    public var hftp: HFTPTest.Result?
    /// With a control: z-scored experiment − control amplitude differences.
    public var controlZ: Matrix?
    /// Level label per channel (`none`, `word-only`, `shared:sentence+phrase`, …).
    public var levels: [String]
    /// The permutations used (for export and cross-checks).
    public var permutations: [[Int32]]
    /// The options the analysis ran with.
    public var options: FTagOptions
    /// Wall time of the spectral estimation, seconds.
    public var spectraSeconds: Double
    /// Wall time of the HFTP permutation test (and the evoked average it uses), seconds.
    public var permutationSeconds: Double
}

/// The frequency-tagging analysis: spectra, per-tag SNR statistics and significance, and each channel's level.
public enum FTagAnalysis {
    /// Checks the tags against the data and returns the tested frequencies with their bins.
    public static func testedFrequencies(_ data: EpochedData, options: FTagOptions)
        throws -> (frequencies: [Double], base: [Int], harmonic: [Int]) {
        guard !options.tags.isEmpty else { throw FTagError.badOption("give at least one tag frequency") }
        guard options.harmonics >= 1 else { throw FTagError.tooFewHarmonics(options.harmonics) }
        let nyquist = data.rate / 2
        var frequencies: [Double] = [], base: [Int] = [], harmonic: [Int] = []
        for (i, f) in options.tags.enumerated() {
            guard f > 0 else { throw FTagError.nonPositiveTag(f) }
            guard f < nyquist else { throw FTagError.aboveNyquist(tag: f, nyquist: nyquist) }
            guard data.duration >= 1 / f - 1e-9 else { throw FTagError.shorterThanOneCycle(duration: data.duration, tag: f) }
            for h in 1...options.harmonics where Double(h) * f < nyquist {
                frequencies.append(Double(h) * f)
                base.append(i)
                harmonic.append(h)
            }
        }
        return (frequencies, base, harmonic)
    }

    /// Tests every tag and harmonic below Nyquist in every channel: neighbour-bin SNR, z-score and F-test p-value
    /// corrected across channels, plus the HFTP permutation test and the comparison with `control` when given.
    /// Throws ``FTagError`` for bad tags, non-finite samples, tags off the frequency bins, too few noise bins,
    /// or a control with other channel or sample counts.
    public static func run(_ data: EpochedData, options: FTagOptions, control: EpochedData? = nil,
                           progress: any ProgressReporter = SilentProgress()) throws -> FTagResult {
        let (frequencies, base, harmonic) = try testedFrequencies(data, options: options)
        for t in 0..<data.trials {
            for c in 0..<data.channels.count where data.trial(t, channel: c).contains(where: { !$0.isFinite }) {
                throw FTagError.nonFinite(channel: data.channels[c], trial: t)
            }
        }
        let length = options.method == .fft ? data.samples : min(options.segmentLength ?? data.samples, data.samples)
        for f in frequencies {
            let position = f * Double(length) / data.rate
            guard abs(position - position.rounded()) < 1e-6 else { throw FTagError.offBin(tag: f, samples: length, rate: data.rate) }
        }
        let clock = DispatchTime.now().uptimeNanoseconds
        let spectra = SpectralEstimation.compute(data, options: options)
        let spectraSeconds = Double(DispatchTime.now().uptimeNanoseconds - clock) / 1e9
        let bins = frequencies.map { spectra.bin(of: $0, rate: data.rate) }
        let count = spectra.frequencies.count
        let tagBins = Set(bins)
        for (f, k) in zip(frequencies, bins)
        where TagStatistics.neighbourBins(of: k, neighbors: options.neighbors, skip: options.skip, count: count, excluding: tagBins).count < options.neighbors {
            throw FTagError.tooFewBins(tag: f, needed: options.neighbors + options.skip)
        }
        let channels = data.channels.count, tested = frequencies.count
        var snr = Matrix(rows: channels, columns: tested), zscore = snr
        var noiseBins = [Int](repeating: 0, count: tested)
        for c in 0..<channels {
            let psd = Array(spectra.psd.row(c))
            for (j, k) in bins.enumerated() {
                (snr[c, j], noiseBins[j]) = TagStatistics.snr(psd, bin: k, neighbors: options.neighbors, skip: options.skip, excluding: tagBins)
                zscore[c, j] = TagStatistics.zScore(psd, bin: k, neighbors: options.neighbors, skip: options.skip, excluding: tagBins)
            }
        }
        var itpc: Matrix? = nil
        if let full = spectra.itpc {
            var m = Matrix(rows: channels, columns: tested)
            for c in 0..<channels {
                for (j, f) in frequencies.enumerated() { m[c, j] = full[c, Int((f * data.duration).rounded())] }
            }
            itpc = m
        }
        // Significance: the SNR against the neighbouring bins (an exact F test for noise), corrected across
        // channels; with permutations also the HFTP test (amplitude above the shuffled null's 95th
        // percentile, as the paper), which alone would pass any channel with a 1/f background.
        // Independent spectra behind each PSD: trials when spectra are averaged, times the disjoint
        // Welch segments (overlapping ones are not independent; counting only disjoint ones is conservative).
        let averaged = (options.averaging == .spectra ? data.trials : 1) * (options.method == .welch ? max(1, data.samples / length) : 1)
        var pvalue = Matrix(rows: channels, columns: tested)
        var significant = [[Bool]](repeating: [Bool](repeating: false, count: tested), count: channels)
        for c in 0..<channels {
            for j in 0..<tested { pvalue[c, j] = TagStatistics.snrPValue(snr[c, j], noiseBins: noiseBins[j], averaged: averaged) }
        }
        for j in 0..<tested {
            let p = (0..<channels).map { pvalue[$0, j] }
            let corrected: [Double]
            switch options.correction {
            case .bonferroni: corrected = p.map { min($0 * Double(channels), 1) }
            case .fdr: corrected = TagStatistics.benjaminiHochberg(p)
            case .none: corrected = p
            }
            for c in 0..<channels { significant[c][j] = corrected[c] < options.alpha }
        }
        var hftp: HFTPTest.Result? = nil
        var permutations: [[Int32]] = []
        let permutationClock = DispatchTime.now().uptimeNanoseconds
        let fullBins = frequencies.map { Int(($0 * data.duration).rounded()) }
        let evoked = data.evoked
        if options.permutations > 0 {
            permutations = HFTPTest.permutations(count: options.permutations, length: data.samples, seed: options.seed)
            let result = HFTPTest.run(evoked, bins: fullBins, permutations: permutations, progress: progress)
            hftp = result
            for c in 0..<channels { for j in 0..<tested { significant[c][j] = significant[c][j] && result.observed[c, j] > result.threshold[c, j] } }
        }
        let permutationSeconds = Double(DispatchTime.now().uptimeNanoseconds - permutationClock) / 1e9
        var controlZ: Matrix? = nil
        if let control {
            guard control.channels.count == channels, control.samples == data.samples else {
                throw FTagError.badOption("the control has \(control.channels.count) channels × \(control.samples) samples per epoch; the input \(channels) × \(data.samples)")
            }
            let experiment = HFTPTest.observed(evoked, bins: fullBins)
            let reference = HFTPTest.observed(control.evoked, bins: fullBins)
            var z = Matrix(rows: channels, columns: tested)
            for j in 0..<tested {
                let d = (0..<channels).map { experiment[$0, j] - reference[$0, j] }
                let mean = d.reduce(0, +) / Double(channels)
                let sd = (d.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(channels)).squareRoot()
                for c in 0..<channels {
                    z[c, j] = (d[c] - mean) / sd
                    significant[c][j] = significant[c][j] && z[c, j] > 2
                }
            }
            controlZ = z
        }
        let names = options.names
        let levels = (0..<channels).map { c -> String in
            let followed = options.tags.indices.filter { i in (0..<tested).contains { base[$0] == i && harmonic[$0] == 1 && significant[c][$0] } }
            switch followed.count {
            case 0: return "none"
            case 1: return "\(names[followed[0]])-only"
            default: return "shared:" + followed.map { names[$0] }.joined(separator: "+")
            }
        }
        progress.finish()
        return FTagResult(data: data, spectra: spectra, tagFrequencies: frequencies, tagBase: base, tagHarmonic: harmonic,
                          snr: snr, zscore: zscore, itpc: itpc, pvalue: pvalue, significant: significant, hftp: hftp,
                          controlZ: controlZ, levels: levels, permutations: permutations, options: options,
                          spectraSeconds: spectraSeconds, permutationSeconds: permutationSeconds)
    }

    /// Each condition's evoked amplitude spectrum over all channels, restricted to `band`, concatenated
    /// channel by channel: the vectors representational similarity compares.
    public static func conditionVectors(_ conditions: [EpochedData], band: ClosedRange<Double>) -> [[Double]] {
        conditions.map { data in
            var options = FTagOptions(tags: [1])
            options.averaging = .evoked
            let spectra = SpectralEstimation.compute(data, options: options)
            let keep = spectra.frequencies.indices.filter { band.contains(spectra.frequencies[$0]) }
            return (0..<data.channels.count).flatMap { c in keep.map { spectra.amplitude![c, $0] } }
        }
    }
}
