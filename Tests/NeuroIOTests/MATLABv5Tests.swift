import Foundation
import NeuroCore
import NeuroIO
import NeuroTestSupport
import Testing
import NeuroStore

/// MATLAB v5 MAT-files written by `scipy.io.savemat` (`Tests/Fixtures/matlab_v5`, made by
/// `tools/python/make_matlab_v5_fixtures.py`), read through libmatio as `scipy.io.loadmat` reads them.
@Suite("MATLAB v5 MAT-files against scipy.io")
struct MATLABv5Tests {
    let directory = TestSupport.path("Tests/Fixtures/matlab_v5")

    func expected(_ file: String) throws -> [String: Any] {
        (try TestSupport.json("Tests/Fixtures/matlab_v5/expected.json"))[file] as! [String: Any]
    }

    @Test("labels, candidates, time and every sample equal scipy's, per worm",
          arguments: ["generic.mat", "cells.mat", "compressed.mat", "single.mat"])
    func matchesScipy(file: String) throws {
        let source = try Readers.open("\(directory)/\(file)")
        #expect(source.readerName == "matlab")
        let recordings = try expected(file)["recordings"] as! [[String: Any]]
        #expect(source.recordingNames == recordings.map { $0["worm"] as! String })
        for (index, wanted) in recordings.enumerated() {
            let raw = try source.load(index)
            #expect(raw.labels == wanted["labels"] as! [String])
            #expect(raw.labelCandidates == wanted["label_candidates"] as? [[String]])
            #expect(raw.timestamps == TestSupport.doubles(wanted["time"]))
            #expect([raw.data.rows, raw.data.columns] == wanted["data_shape"] as! [Int])
            let rows = TestSupport.matrixRows(wanted["data"])
            for (t, row) in rows.enumerated() {
                for (c, value) in row.enumerated() {
                    let got = raw.data[t, c]
                    #expect(got == value || (got.isNaN && value.isNaN), "\(file) worm \(index) [\(t), \(c)]: \(got) vs \(value)")
                }
            }
            #expect(raw.attributes["matlab_version"] == "5")
        }
    }

    @Test("wrong variable types and truncated files give one line naming the file and the problem", arguments: [
        ("wrong_types.mat", "traces: expected a 2-D numeric matrix, found a char array"),
        ("truncated.mat", "at byte 672 needs 440 bytes"),
        ("truncated_compressed.mat", "truncated: element 1 at byte 128"),
    ])
    func badFiles(file: String, message: String) throws {
        do {
            let source = try Readers.open("\(directory)/\(file)")
            _ = try source.load(0)
            Issue.record("\(file) was read")
        } catch let error as NeuroIOError {
            #expect(error.description.contains(file) && error.description.contains(message), "\(error)")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test("a .mat that is neither v5 nor v7.3 is refused by name")
    func notAMATFile() throws {
        let dir = try TestSupport.temporaryDirectory()
        try Data("not a mat file at all, just text".utf8 + Data(count: 600)).write(to: URL(fileURLWithPath: "\(dir)/x.mat"))
        #expect(throws: NeuroIOError.self) { _ = try Readers.open("\(dir)/x.mat") }
        #expect(throws: NeuroIOError.self) { _ = try Readers.open("\(dir)/x.mat", reader: "matlab") }
    }
}
