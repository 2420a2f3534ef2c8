import NeuroCore
import NeuroIO
import NeuroStore

/// Where a raw recording came from, for error messages and provenance.
public struct SourceInfo: Sendable {
    /// The file.
    public var path: String
    /// Its SHA-256, lower-case hexadecimal.
    public var sha256: String
    /// The reader that read it.
    public var reader: String
    /// Lab or dataset name (manifest `lab`), used to name the output group.
    public var lab: String?

    /// Where a recording came from.
    public init(path: String, sha256: String, reader: String, lab: String? = nil) {
        self.path = path
        self.sha256 = sha256
        self.reader = reader
        self.lab = lab
    }
}

extension SourceInfo {
    /// The first attributes of every homogenized recording: where it came from.
    func attributes(recording: String) -> [(key: String, value: AttributeValue)] {
        var a: [(key: String, value: AttributeValue)] = [
            ("source_file", .text(path)),
            ("source_sha256", .text(sha256)),
            ("source_reader", .text(reader)),
            ("source_recording", .text(recording)),
        ]
        if let lab { a.append(("lab", .text(lab))) }
        return a
    }
}
