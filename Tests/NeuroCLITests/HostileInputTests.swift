import Foundation
import NeuroTestSupport
import Testing

/// The regression corpus of hostile headers (`Tests/Fixtures/hostile/README.md`): each input once crashed,
/// hung or exhausted memory; now each is refused with one line naming the file, and nothing is written.
@Suite("Hostile headers are refused in one line, before any allocation follows them", .serialized)
struct HostileInputTests {
    static let corpus = [
        "edf-rec0-spr99999999.edf", "edf-rec0-spr1000003.edf", "bdf-recunk-spr1000003.bdf", "edf-dur1e-30.edf",
        "bv-si1e-30/test.vhdr", "meg_raw-sfreq-1e30.fif", "eeglab-srate1e30/fdt_raw.set", "bv-marker-pos-neg/test.vhdr",
        "meg_raw-type-buf0-dblplus.fif", "eeglab-nbchan2p63/fdt_raw.set", "eeglab-pnts2p63/fdt_raw.set",
        "eeglab-nbchan2p62/fdt_raw.set", "npy-F-2p63/F.npy:rate=30", "nwb-data1e9x60.nwb", "nwb-ts1e9.nwb",
        "mat2-traces48x1e9.mat", "gen-huge.h5:/trace_array:time=/t", "v73-data1e9x5.set",
    ]

    /// Runs homogenize on `argument` (a path under `directory`, with options) and checks the refusal.
    func expectRefusal(_ argument: String, in directory: String) throws {
        let out = try TestSupport.temporaryDirectory() + "/out.nc"
        let run = try TestSupport.neurotool(["homogenize", "\(directory)/\(argument)", "-o", out, "--rate", "native", "-q"])
        #expect(run.status == 1, "\(argument): exit \(run.status): \(run.stderr.prefix(300))")
        let lines = run.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 1 && lines[0].hasPrefix("Error: \(directory)/"), "\(argument): \(run.stderr.prefix(300))")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test("every file of the corpus", arguments: corpus)
    func replay(_ argument: String) throws {
        try expectRefusal(argument, in: TestSupport.path("Tests/Fixtures/hostile"))
    }

    @Test("a CSV header naming a million columns over short rows")
    func millionColumns() throws {
        let dir = try TestSupport.temporaryDirectory()
        var text = "time," + (0..<1_000_000).map { "n\($0)" }.joined(separator: ",") + "\n"
        for i in 0..<700 { text += "\(Double(i) / 10),1,2\n" }
        try text.write(toFile: "\(dir)/wide.csv", atomically: true, encoding: .utf8)
        try expectRefusal("wide.csv", in: dir)
    }
}
