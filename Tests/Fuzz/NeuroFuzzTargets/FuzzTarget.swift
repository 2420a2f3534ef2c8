import Foundation

/// One fuzz target: a format (or an analysis input) and what is done with the bytes a fuzzer gives it.
///
/// The bytes are written under ``inputName`` in a scratch directory (on tmpfs when there is one), beside
/// fixed copies of ``companions`` (the other files of a multi-file format), and ``body`` opens
/// ``openName`` there and reads everything it holds. Any thrown error is a clean refusal; a trap, a
/// sanitizer report, a hang or an allocation past the fuzzer's limit is a crash. An error whose text
/// spans more than one line is a crash too (``FuzzWorkspace/run(_:)`` traps on it).
public struct FuzzTarget: Sendable {
    /// Short name (`edf`, `brainvision-markers`, …), given as `NEUROTOOL_FUZZ_TARGET` or on the command line.
    public let name: String
    /// One line on what it exercises.
    public let summary: String
    /// The file the fuzzer's bytes are written to.
    public let inputName: String
    /// The file ``body`` opens (the input itself, or the header that refers to it).
    public let openName: String
    /// Files under the package root copied beside the input, under their own names.
    public let companions: [String]
    /// The starting corpus: files under the package root (committed fixtures).
    public let seeds: [String]
    /// Opens `path` (``openName`` in the scratch directory) and reads all of it; throws to refuse.
    let body: @Sendable (_ path: String, _ scratch: String) throws -> Void

    init(_ name: String, _ summary: String, input: String, open: String? = nil, companions: [String] = [],
         seeds: [String], body: @escaping @Sendable (_ path: String, _ scratch: String) throws -> Void) {
        self.name = name
        self.summary = summary
        self.inputName = input
        self.openName = open ?? input
        self.companions = companions
        self.seeds = seeds
        self.body = body
    }

    /// The target called `name`.
    public static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }
}
