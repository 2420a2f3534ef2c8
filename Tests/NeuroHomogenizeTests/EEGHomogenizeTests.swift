import Foundation
import NeuroCore
import NeuroDSP
import NeuroHomogenize
import NeuroIO
import NeuroTestSupport
import Testing
import NeuroStore

/// The streaming EEG path against the same chain run on whole signals (each step of which is checked
/// against SciPy and MNE in NeuroDSPTests).
@Suite("EEG homogenization", .serialized)
struct EEGHomogenizeTests {
    let provenance = Provenance(toolVersion: "test", commandLine: "neurotool test")

    func homogenize(_ file: String, rate: Double, low: Double?, high: Double?, notch: [Double]) throws -> (Recording, any RawStream) {
        let dir = try TestSupport.temporaryDirectory()
        var options = HomogenizeOptions()
        options.grid.target = .rate(rate)
        options.grid.precision = .float64
        options.continuous.lowFrequency = low
        options.continuous.highFrequency = high
        options.continuous.notch = notch
        let path = TestSupport.path(file)
        let summary = try Homogenizer.run(inputs: [HomogenizationInput(path: path)], output: "\(dir)/out.nc", title: "t",
                                          options: options, provenance: provenance)
        return (try CommonFormatFile(path: "\(dir)/out.nc").recording(summary.written[0]), try Readers.open(path).recording(0))
    }

    @Test("resampled, notched and band-passed in blocks, the output equals the whole-signal chain (max |Δ| ≤ 1e-12 of the scale)", arguments: [
        ("Datasets/eeg/test.edf", 256.0), ("Datasets/eeg/test.bdf", 256.0), ("Datasets/eeg/test.vhdr", 250.0),
        ("Tests/Fixtures/eeglab/fdt_raw.set", 250.0), ("Tests/Fixtures/eeglab/v73_raw.set", 128.0),
    ])
    func matchesWholeSignalChain(file: String, rate: Double) throws {
        let (r, source) = try homogenize(file, rate: rate, low: 1, high: 40, notch: [50])
        let raw = try source.readAllSamples()
        #expect(r.samplingRate == rate)
        #expect(r.channels.map(\.originalLabel) == source.signals.map(\.originalLabel))
        #expect(r.events == source.events)
        let notch = try MNEFilterDesign.notch(rate: rate, frequencies: [50])
        let band = try MNEFilterDesign.bandPass(rate: rate, low: 1, high: 40)
        for (k, signal) in source.signals.enumerated() {
            let ratio = rate / signal.samplingRate
            let (up, down) = ratio == 0.5 ? (1, 2) : (ratio == 0.125 ? (1, 8) : (1, 4))
            let column = r.data.column(k)
            if signal.kind == .stim {
                #expect(column == (0..<column.count).map { raw[k][$0 * down / up] })
                continue
            }
            var expected = PolyphaseResampler(up: up, down: down, padding: .reflect).resample(Matrix(columns: [raw[k]])).column(0)
            if signal.kind == .eeg {
                var n = ZeroPhaseFIR(taps: notch), b = ZeroPhaseFIR(taps: band)
                expected = n.push(expected) + n.finish()
                expected = b.push(expected) + b.finish()
            }
            let scale = max(1e-12, raw[k].map(abs).max() ?? 0)
            #expect(column.count == expected.count)
            #expect(TestSupport.maxAbsDifference(column, expected) <= 1e-12 * scale, "\(file) \(signal.originalLabel)")
        }
        #expect(r.attribute("filter_design")?.description.hasPrefix("MNE firwin, hamming, zero-phase") == true)
    }

    @Test("--resampler fft resamples each whole channel as MNE's default does")
    func fftResampling() throws {
        let dir = try TestSupport.temporaryDirectory()
        var options = HomogenizeOptions()
        options.grid.target = .rate(256)
        options.grid.precision = .float64
        options.grid.resampler = .fft
        let path = TestSupport.path("Datasets/eeg/test.edf")
        let summary = try Homogenizer.run(inputs: [HomogenizationInput(path: path)], output: "\(dir)/out.nc", title: "t",
                                          options: options, provenance: provenance)
        let r = try CommonFormatFile(path: "\(dir)/out.nc").recording(summary.written[0])
        let source = try Readers.open(path).recording(0)
        let raw = try source.readAllSamples()
        #expect(r.attribute("resampler") == .text("fft"))
        for k in [0, 5, 100] {
            let expected = FFTResampler.resample(raw[k], up: 1, down: 2)
            #expect(TestSupport.maxAbsDifference(r.data.column(k), expected) <= 1e-12 * (raw[k].map(abs).max() ?? 1))
        }
    }

    @Test("--resampler fft is refused for irregular calcium traces with a clear message")
    func fftForCalcium() throws {
        var options = HomogenizeOptions()
        options.grid.resampler = .fft
        let dir = try TestSupport.temporaryDirectory()
        #expect(throws: (any Error).self) {
            try Homogenizer.run(inputs: [HomogenizationInput(path: TestSupport.path("Datasets/celegans/venkatachalam2024/worm1.csv"))],
                                output: "\(dir)/out.nc", title: "t", options: options, provenance: provenance)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    @Test("a resampler that does not apply to a modality is refused before any output, naming it")
    func resamplerPerModality() throws {
        let dir = try TestSupport.temporaryDirectory()
        var options = HomogenizeOptions()
        options.grid.resampler = .linear
        let edf = TestSupport.path("Datasets/eeg/test.edf")
        #expect(throws: HomogenizeError.resamplerNotApplicable(file: edf, resampler: "linear", modality: .continuous)) {
            try Homogenizer.run(inputs: [HomogenizationInput(path: edf)], output: "\(dir)/out.nc", title: "t", options: options, provenance: provenance)
        }
        options.grid.resampler = .fft
        let csv = TestSupport.path("Datasets/celegans/venkatachalam2024/worm1.csv")
        #expect(throws: HomogenizeError.resamplerNotApplicable(file: csv, resampler: "fft", modality: .calcium)) {
            try Homogenizer.run(inputs: [HomogenizationInput(path: edf), HomogenizationInput(path: csv)], output: "\(dir)/out.nc",
                                title: "t", options: options, provenance: provenance)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    @Test("provenance records only the options of the pipelines that ran")
    func parametersThatApplied() throws {
        let dir = try TestSupport.temporaryDirectory()
        var options = HomogenizeOptions()
        options.continuous.notch = [50]
        let edf = TestSupport.path("Datasets/eeg/test.edf"), csv = TestSupport.path("Datasets/celegans/venkatachalam2024/worm1.csv")
        func parameters(_ inputs: [String]) throws -> String {
            let out = "\(dir)/\(inputs.count)-\(inputs[0].hasSuffix("csv")).nc"
            _ = try Homogenizer.run(inputs: inputs.map { HomogenizationInput(path: $0) }, output: out, title: "t", options: options, provenance: provenance)
            return try CommonFormatFile(path: out).globalAttribute("parameters")?.description ?? ""
        }
        let eeg = try parameters([edf]), calcium = try parameters([csv]), both = try parameters([edf, csv])
        #expect(eeg.hasPrefix("rate=256.0 resampler=auto") && eeg.contains("notch=50.0") && !eeg.contains("smooth="), "\(eeg)")
        #expect(calcium.hasPrefix("dt=0.333 resampler=auto") && calcium.contains("smooth=moving") && !calcium.contains("notch"), "\(calcium)")
        #expect(both.hasPrefix("dt=0.333 rate=256.0") && both.contains("smooth=moving") && both.contains("notch=50.0"), "\(both)")
    }

    @Test("outlying channels are flagged in a bad mask, not dropped")
    func badChannelMask() throws {
        let dir = try TestSupport.temporaryDirectory()
        var options = HomogenizeOptions()
        options.continuous.lowFrequency = 1
        options.continuous.highFrequency = 40
        let summary = try Homogenizer.run(inputs: [HomogenizationInput(path: TestSupport.path("Datasets/eeg/test.edf"))], output: "\(dir)/out.nc",
                                          title: "t", options: options, provenance: provenance)
        let file = try CommonFormatFile(path: "\(dir)/out.nc")
        let r = try file.recording(summary.written[0])
        let bad = try #require(try file.channelMask(summary.written[0], "bad"))
        let flagged = r.channels.indices.filter { bad[$0] }.map { r.channels[$0].originalLabel }
        #expect(flagged.contains("Ergo-Left") && flagged.contains("Ergo-Right"))
        #expect(flagged.count < 10)
        #expect(r.recorded.allSatisfy { $0 })
        #expect(summary.warnings.contains { $0.contains("flagged \(flagged.count) bad channel(s)") })
    }

    @Test("per-sensor-type normalisation: zero mean across EEG channels at every sample, unit standard deviation overall")
    func sensorTypeNormalisation() throws {
        let dir = try TestSupport.temporaryDirectory()
        var options = HomogenizeOptions()
        options.continuous.lowFrequency = 1
        options.continuous.normalizeBySensorType = true
        options.continuous.windowSeconds = 2
        options.grid.precision = .float64
        let summary = try Homogenizer.run(inputs: [HomogenizationInput(path: TestSupport.path("Datasets/eeg/test.vhdr"))], output: "\(dir)/out.nc",
                                          title: "t", options: options, provenance: provenance)
        let r = try CommonFormatFile(path: "\(dir)/out.nc").recording(summary.written[0])
        let eeg = r.channels.indices.filter { r.channels[$0].kind == .eeg }
        var squares = 0.0
        for i in 0..<r.data.rows {
            let row = eeg.map { r.data[i, $0] }
            #expect(abs(row.reduce(0, +)) < 1e-9)
            squares += row.reduce(0) { $0 + $1 * $1 }
        }
        #expect(abs((squares / Double(r.data.rows * eeg.count)).squareRoot() - 1) < 1e-9)
        #expect(r.attribute("normalization") == .text("sensor-type"))
        // Windows of 2 s at 256 Hz: 7.9 s of data give 3 windows and 1536 samples.
        #expect(r.data.rows == 3 * 512)
        #expect(r.attribute("window_count") == .integer(3))
    }

    @Test("units are volts for EEG and the stim channel keeps integer codes")
    func unitsAndStim() throws {
        let (r, _) = try homogenize("Datasets/eeg/test.bdf", rate: 256, low: nil, high: nil, notch: [])
        let status = try #require(r.channels.firstIndex { $0.originalLabel == "Status" })
        #expect(r.channels[status].kind == .stim)
        #expect(r.data.column(status).allSatisfy { $0 == $0.rounded() })
        #expect(r.channels.filter { $0.kind == .eeg }.allSatisfy { $0.unit == "V" })
        #expect(r.events.map(\.label) == ["128"])
        #expect(abs(r.events[0].onset - 589.0 / 2048) < 1e-12)
    }
}

@Suite("EEG report page", .serialized)
struct EEGReportTests {
    @Test("an EEG file's report has a table row, traces before and after, and a PSD per recording")
    func reportPage() throws {
        let dir = try TestSupport.temporaryDirectory()
        var options = HomogenizeOptions()
        options.continuous.lowFrequency = 1
        options.continuous.highFrequency = 40
        _ = try Homogenizer.run(inputs: [HomogenizationInput(path: TestSupport.path("Datasets/eeg/test.vhdr"))], output: "\(dir)/eeg.nc",
                                title: "eeg", options: options, provenance: Provenance(toolVersion: "test", commandLine: "t"))
        let report = try HomogenizationReport.make(from: "\(dir)/eeg.nc")
        try report.write(directory: dir, name: "page")
        let markdown = try String(contentsOfFile: "\(dir)/page.md", encoding: .utf8)
        #expect(markdown.contains("## EEG/MEG recordings"))
        #expect(markdown.contains("| test | brainvision | 1000.0 | 256.0 | 26 eeg, 6 misc | 13 | 1.0–40.0 Hz; notch none |"))
        for figure in ["eeg-before-test", "eeg-after-test", "eeg-psd-test"] {
            #expect(FileManager.default.fileExists(atPath: "\(dir)/figures/page/\(figure).svg"), "\(figure)")
        }
        #expect(!markdown.contains("Coverage"))
    }

    @Test("an MEG file's report plots magnetometers and gradiometers, each in its own unit")
    func megReportPage() throws {
        let dir = try TestSupport.temporaryDirectory()
        var options = HomogenizeOptions()
        options.continuous.lowFrequency = 1
        options.continuous.highFrequency = 40
        _ = try Homogenizer.run(inputs: [HomogenizationInput(path: TestSupport.path("Tests/Fixtures/fif/meg_raw.fif"))], output: "\(dir)/meg.nc",
                                title: "meg", options: options, provenance: Provenance(toolVersion: "test", commandLine: "t"))
        let report = try HomogenizationReport.make(from: "\(dir)/meg.nc")
        try report.write(directory: dir, name: "page")
        for (kind, unit) in [("meg_mag", "fT"), ("meg_grad", "fT/cm"), ("eeg", "µV")] {
            for stage in ["before", "after", "psd"] {
                #expect(FileManager.default.fileExists(atPath: "\(dir)/figures/page/\(kind)-\(stage)-meg_raw.svg"), "\(kind)-\(stage)")
            }
            let after = try String(contentsOfFile: "\(dir)/figures/page/\(kind)-after-meg_raw.svg", encoding: .utf8)
            #expect(after.contains("Hz, \(unit))"), "\(kind) unit")
        }
    }
}
