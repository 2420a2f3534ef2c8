import Foundation
import NeuroCore
import NeuroTagging
import NeuroFTag
import NeuroIO
import NeuroTestSupport
import Testing
import NeuroStore

/// Spectra, SNR, ITPC and RSA against SciPy / NumPy / the MNE tutorial on the same arrays
/// (`Tests/Fixtures/ftag`, made by `tools/python/make_ftag_fixtures.py`).
@Suite("Frequency-tagging spectra against SciPy and MNE")
struct PeerFixtureTests {
    let directory = TestSupport.path("Tests/Fixtures/ftag")

    func rows(_ value: Any?) -> [[Double]] {
        (value as! [Any]).map { row in (row as! [Any]).map { ($0 as? NSNumber)?.doubleValue ?? .nan } }
    }

    func close(_ a: [Double], _ b: [Double], relative: Double) -> Bool {
        guard a.count == b.count else { return false }
        let scale = b.filter(\.isFinite).map(abs).max() ?? 1
        return zip(a, b).allSatisfy { x, y in (x.isNaN && y.isNaN) || abs(x - y) <= relative * scale }
    }

    @Test("PSD, amplitude and the SNR spectrum equal scipy.signal.periodogram / welch and MNE's snr_spectrum (≤ 1e-12 relative)",
          arguments: ["fft_evoked", "fft_spectra", "welch500_evoked", "welch250_spectra"])
    func spectra(name: String) throws {
        let index = try TestSupport.json("Tests/Fixtures/ftag/spectra.json")
        let info = (index["cases"] as! [String: Any])[name] as! [String: Any]
        let expected = try TestSupport.json("Tests/Fixtures/ftag/\(info["file"] as! String)")
        let data = try FTagInput.load("\(directory)/signals.npy", rate: 250, epochs: .whole, lowestTag: 1)
        #expect(data.channels.count == 5 && data.samples == 1000 && data.trials == 6)
        var options = FTagOptions(tags: [1, 2, 4])
        options.method = SpectrumMethod(rawValue: info["method"] as! String)!
        options.averaging = TrialAveraging(rawValue: info["average"] as! String)!
        options.segmentLength = (info["nperseg"] as? NSNumber)?.intValue
        options.overlap = (info["noverlap"] as? NSNumber)?.intValue
        let spectra = SpectralEstimation.compute(data, options: options)
        #expect(close(spectra.frequencies, TestSupport.doubles(expected["frequency"]), relative: 1e-15))
        let psd = rows(expected["psd"]), snr = rows(expected["snr_spectrum"])
        for u in 0..<5 {
            #expect(close(Array(spectra.psd.row(u)), psd[u], relative: 1e-12), "\(name) unit \(u) psd")
            let mine = TagStatistics.snrSpectrum(Array(spectra.psd.row(u)), neighbors: 3, skip: 1)
            #expect(close(mine, snr[u], relative: 1e-12), "\(name) unit \(u) snr spectrum")
            if let amplitude = spectra.amplitude {
                #expect(close(Array(amplitude.row(u)), rows(expected["amplitude"])[u], relative: 1e-12), "\(name) unit \(u) amplitude")
            }
        }
        #expect(info["tag_bins"] as! [Int] == [1.0, 2, 4].map { spectra.bin(of: $0, rate: 250) })
    }

    @Test("ITPC spectrum equals NumPy's (≤ 1e-12)")
    func itpc() throws {
        let index = try TestSupport.json("Tests/Fixtures/ftag/spectra.json")
        let expected = rows((index["itpc"] as! [String: Any])["spectrum"])
        let data = try FTagInput.load("\(directory)/signals.npy", rate: 250, epochs: .whole, lowestTag: 1)
        let spectra = SpectralEstimation.compute(data, options: FTagOptions(tags: [1]))
        for u in 0..<5 { #expect(close(Array(spectra.itpc!.row(u)), expected[u], relative: 1e-12), "unit \(u)") }
    }

    @Test("RSA cosine distances equal scipy's and their Spearman ρ scipy.stats.spearmanr")
    func rsa() throws {
        let index = try TestSupport.json("Tests/Fixtures/ftag/spectra.json")
        let info = index["rsa"] as! [String: Any]
        func conditions(_ file: String) throws -> [EpochedData] {
            let a = try ArrayFile.read("\(directory)/\(file)")
            let (c, u, n) = (a.shape[0], a.shape[1], a.shape[2])
            return (0..<c).map { k in
                EpochedData(channels: (0..<u).map { "u\($0)" }, rate: 250, samples: n, trials: 1,
                            values: Array(a.values[(k * u * n)..<((k + 1) * u * n)]))
            }
        }
        let band = TestSupport.doubles(info["band"])
        let a = RepresentationalSimilarity.cosineDistances(FTagAnalysis.conditionVectors(try conditions(info["conditions"] as! String), band: band[0]...band[1]))
        let b = RepresentationalSimilarity.cosineDistances(FTagAnalysis.conditionVectors(try conditions(info["conditions_b"] as! String), band: band[0]...band[1]))
        #expect(close(a.flatMap { $0 }, rows(info["rsa"]).flatMap { $0 }, relative: 1e-12))
        #expect(close(b.flatMap { $0 }, rows(info["rsa_b"]).flatMap { $0 }, relative: 1e-12))
        #expect(abs(RepresentationalSimilarity.spearman(a, b) - TestSupport.number(info["spearman"])!) < 1e-12)
        #expect(abs(RepresentationalSimilarity.spearman([3, 1, 2, 2], [30, 10, 25, 20]) - 0.9486832980505138) < 1e-12)
    }
}
