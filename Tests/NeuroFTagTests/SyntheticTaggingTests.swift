import Foundation
import NeuroCore
import NeuroTagging
import NeuroFTag
import NeuroTestSupport
import Testing

/// Synthetic recordings with known tagged channels over a 1/f-like background.
enum SyntheticTagging {
    /// 24 channels, 30 epochs of 4 s at 128 Hz. Channels 0–3 follow 4 Hz ("word"), 4–7 follow 1 and
    /// 2 Hz ("sentence", "phrase"), 8–11 follow 2 Hz; the rest are background only. Responses are
    /// phase-locked across epochs; amplitude `gain` relative to the background's standard deviation.
    static func make(gain: Double = 1, seed: UInt64 = 1) -> (EpochedData, [[Double]]) {
        var g = SeededGenerator(seed: seed)
        let channels = 24, samples = 512, trials = 30, rate = 128.0
        var tagged = [[Double]](repeating: [], count: channels)
        for c in 0..<4 { tagged[c] = [4] }
        for c in 4..<8 { tagged[c] = [1, 2] }
        for c in 8..<12 { tagged[c] = [2] }
        let phases = (0..<channels).map { _ in [Double]((0..<3).map { _ in 2 * Double.pi * g.uniform() }) }
        var values = [Double](repeating: 0, count: channels * samples * trials)
        for t in 0..<trials {
            for c in 0..<channels {
                // Background: a leaky random walk (1/f² at low frequencies) plus white noise.
                var walk = 0.0
                for s in 0..<samples {
                    walk = 0.9 * walk + g.normal()
                    var v = 0.5 * walk + g.normal()
                    for (i, f) in tagged[c].enumerated() {
                        v += gain * 3 * sin(2 * Double.pi * f * Double(s) / rate + phases[c][i])
                    }
                    values[(t * channels + c) * samples + s] = v
                }
            }
        }
        return (EpochedData(channels: (0..<channels).map { "ch\($0)" }, rate: rate, samples: samples, trials: trials, values: values), tagged)
    }
}

@Suite("Frequency tagging on synthetic data with known tagged channels")
struct SyntheticTaggingTests {
    @Test("every tagged channel found at its frequencies, no untagged one, at the default threshold",
          arguments: [(SpectrumMethod.fft, TrialAveraging.evoked, 1000), (.fft, .evoked, 0), (.fft, .spectra, 0)])
    func knownChannels(method: SpectrumMethod, averaging: TrialAveraging, permutations: Int) throws {
        let (data, truth) = SyntheticTagging.make()
        var options = FTagOptions(tags: [1, 2, 4])
        options.tagNames = ["sentence", "phrase", "word"]
        options.method = method
        options.averaging = averaging
        options.permutations = permutations
        let result = try FTagAnalysis.run(data, options: options)
        for c in 0..<data.channels.count {
            for (j, f) in options.tags.enumerated() {
                #expect(result.significant[c][j] == truth[c].contains(f), "\(method) \(averaging): ch\(c) at \(f) Hz, SNR \(result.snr[c, j]), p \(result.pvalue[c, j])")
            }
        }
        #expect(Array(result.levels[0..<4]) == ["word-only", "word-only", "word-only", "word-only"])
        #expect(result.levels[4] == "shared:sentence+phrase" && result.levels[8] == "phrase-only")
        #expect(result.levels[12...].allSatisfy { $0 == "none" })
        if averaging == .evoked { #expect(result.itpc![0, 2] > 0.9 && result.itpc![12, 2] < 0.5) }
    }

    @Test("the defaults hold on other draws of the data: no miss, no false alarm", arguments: [2, 3, 4, 5] as [UInt64])
    func otherSeeds(seed: UInt64) throws {
        let (data, truth) = SyntheticTagging.make(seed: seed)
        let result = try FTagAnalysis.run(data, options: FTagOptions(tags: [1, 2, 4]))
        for c in 0..<data.channels.count {
            for (j, f) in [1.0, 2, 4].enumerated() {
                #expect(result.significant[c][j] == truth[c].contains(f), "seed \(seed): ch\(c) at \(f) Hz, SNR \(result.snr[c, j])")
            }
        }
    }

    @Test("the HFTP permutation test passes a 1/f background (white-noise null), so significance also needs the SNR test")
    func permutationAloneIsNotEnough() throws {
        let (data, _) = SyntheticTagging.make(gain: 0)
        var options = FTagOptions(tags: [1, 2, 4])
        options.permutations = 500
        let result = try FTagAnalysis.run(data, options: options)
        let passes = (0..<24).filter { c in result.hftp!.observed[c, 0] > result.hftp!.threshold[c, 0] }.count
        #expect(passes > 12, "the shuffled null is white: \(passes) of 24 background channels beat it at 1 Hz")
        #expect(result.levels.allSatisfy { $0 == "none" })
    }

    @Test("the SNR p-value is the F(2k, 2km) survival function (scipy.stats.f.sf)")
    func snrPValue() throws {
        let values = [0.5, 1, 2, 3.7, 10, 40]
        for k in [1, 3, 30] {
            let script = "import sys, json, scipy.stats as s; print(json.dumps([float(s.f.sf(x, 2 * \(k), 12 * \(k))) for x in json.loads(sys.argv[1])]))"
            let run = try TestSupport.run(TestSupport.python, ["-c", script, "\(values)"])
            #expect(run.status == 0, "\(run.stderr)")
            let expected = try JSONDecoder().decode([Double].self, from: Data(run.stdout.utf8))
            for (x, e) in zip(values, expected) {
                #expect(abs(TagStatistics.snrPValue(x, noiseBins: 6, averaged: k) - e) <= 1e-12 * max(e, 1e-300), "SNR \(x), \(k) spectra averaged")
            }
        }
    }

    @Test("Benjamini–Hochberg and percentiles equal scipy and numpy")
    func corrections() throws {
        var g = SeededGenerator(seed: 4)
        let p = (0..<40).map { _ in pow(g.uniform(), 3) } + [0.5, 0.5, 1e-9]
        let null = (0..<999).map { _ in g.normal() }
        let script = """
        import sys, json, numpy as np, scipy.stats as s
        p, null = json.loads(sys.argv[1]), json.loads(sys.argv[2])
        print(json.dumps([s.false_discovery_control(p, method='bh').tolist(), [float(np.percentile(null, q)) for q in (95, 50, 12.5)]]))
        """
        let run = try TestSupport.run(TestSupport.python, ["-c", script, "\(p)", "\(null)"])
        #expect(run.status == 0, "\(run.stderr)")
        let expected = try JSONDecoder().decode([[Double]].self, from: Data(run.stdout.utf8))
        #expect(TestSupport.maxAbsDifference(TagStatistics.benjaminiHochberg(p), expected[0]) <= 1e-15)
        #expect(TestSupport.maxAbsDifference([95, 50, 12.5].map { TagStatistics.percentile(null, $0) }, expected[1]) <= 1e-15)
    }
}
