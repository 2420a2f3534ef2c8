import NeuroCore

/// A file that holds exactly one continuous recording (EDF, BrainVision, FIF, …): the source is its
/// own stream, and blocks come from ``readSignals(_:)`` as one array per signal.
protocol SingleStreamSource: RecordingSource, RawStream {
    /// Samples of block `index`, one array per signal.
    func readSignals(_ index: Int) throws -> [[Double]]
}

extension SingleStreamSource {
    var recordingNames: [String] { [name] }

    func recording(_ index: Int) throws -> any RawStream {
        precondition(index == 0, "a single-recording source has recording 0 only")
        return self
    }

    func readBlock(_ index: Int) throws -> SampleBlock { SampleBlock(channels: try readSignals(index)) }
}
