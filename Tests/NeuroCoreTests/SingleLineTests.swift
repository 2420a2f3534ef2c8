import NeuroCore
import Testing

@Suite("Error messages stay on one line")
struct SingleLineTests {
    @Test("control characters from a damaged file are escaped, other text is kept")
    func escapes() {
        #expect("plain, ünïcode: 10 µV".singleLine == "plain, ünïcode: 10 µV")
        #expect("a\nb\r\tc\u{1B}d\u{2028}".singleLine == "a\\nb\\r\\tc\\u{1B}d\\u{2028}")
    }

    @Test("NeuroIOError and RecordingError print one line whatever the names they quote")
    func errorDescriptions() {
        let missing = NeuroIOError.missingKey("x.set", key: "field 'data'", available: ["srate", "chan\nlocs", "ev\u{0}ent"])
        #expect(missing.description == "x.set: no field 'data' (found: srate, chan\\nlocs, ev\\u{0}ent)")
        let recording = RecordingError(file: "w.mat", recording: "worm\n1", problem: .labelCountMismatch(labels: 2, columns: 3))
        #expect(!recording.description.contains("\n") && recording.description.hasSuffix("2 labels for 3 trace columns"))
    }
}
