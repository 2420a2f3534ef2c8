import NeuroCore
import NeuroNative
import NeuroStore

/// A recording already in memory (as calcium readers load it) seen as a stream of one block on its own
/// timestamps.
final class InMemoryStream: RawStream {
    let recording: RawRecording
    let signals: [SignalInfo]

    init(recording: RawRecording) {
        self.recording = recording
        let n = recording.timestamps.count
        let rate = n > 1 ? Double(n - 1) / (recording.timestamps[n - 1] - recording.timestamps[0]) : 0
        signals = recording.labels.indices.map { k in
            var signal = SignalInfo(name: recording.labels[k], originalLabel: recording.labels[k], kind: recording.kinds[k],
                                    unit: recording.units[k], samplingRate: rate, sampleCount: n)
            signal.candidates = recording.labelCandidates?[k]
            return signal
        }
    }

    var name: String { recording.name }
    var events: [Event] { recording.events }
    var attributes: [String: String] { recording.attributes }
    var blockCount: Int { 1 }

    func readBlock(_ index: Int) throws -> SampleBlock {
        precondition(index == 0, "an in-memory recording is one block")
        return SampleBlock(rows: recording.data, timestamps: recording.timestamps)
    }
}

extension RawRecording {
    /// Every block of `stream` gathered into one recording, validated. Blocks on explicit timestamps
    /// keep them; blocks on a regular grid get `i / rate` (every signal must then share one rate).
    /// Errors name `source`.
    public init(reading stream: any RawStream, source: String) throws {
        if let memory = stream as? InMemoryStream {
            self = memory.recording
            return
        }
        let signals = stream.signals
        let rates = Set(signals.map(\.samplingRate))
        var values: [Double] = []
        var times: [Double] = []
        for b in 0..<stream.blockCount {
            let block = try stream.readBlock(b)
            guard let rows = block.rows else {
                throw NeuroIOError.badValue(source, field: "signals",
                                            detail: "rates differ (\(rates.sorted().map { "\($0)" }.joined(separator: ", ")) Hz); read it block by block")
            }
            if let t = block.timestamps {
                times += t
            } else {
                guard rates.count == 1, let rate = rates.first, rate > 0 else {
                    throw NeuroIOError.badValue(source, field: "signals", detail: "no common sampling rate")
                }
                times += (times.count..<(times.count + rows.rows)).map { Double($0) / rate }
            }
            values += rows.values
        }
        let candidates = signals.contains { $0.candidates != nil } ? signals.map { $0.candidates ?? [] } : nil
        self.init(name: stream.name, labels: signals.map(\.originalLabel), labelCandidates: candidates, timestamps: times,
                  data: Matrix(rows: times.count, columns: signals.count, values: values),
                  kinds: signals.map(\.kind), units: signals.map(\.unit), events: stream.events, attributes: stream.attributes)
        try validate(source: source)
    }
}
