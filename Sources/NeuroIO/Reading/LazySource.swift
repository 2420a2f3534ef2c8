import NeuroCore

/// A source whose structure was checked at open time and whose recordings are read on `load`, so
/// that opening many files costs no memory.
final class LazySource: RecordingSource {
    let path: String
    let readerName: String
    let recordingNames: [String]
    let companionPaths: [String]
    private let loader: (Int) throws -> RawRecording

    init(path: String, readerName: String, recordingNames: [String], companionPaths: [String] = [],
         loader: @escaping (Int) throws -> RawRecording) {
        self.path = path
        self.readerName = readerName
        self.recordingNames = recordingNames
        self.companionPaths = companionPaths
        self.loader = loader
    }

    func load(_ index: Int) throws -> RawRecording { try loader(index) }
}
