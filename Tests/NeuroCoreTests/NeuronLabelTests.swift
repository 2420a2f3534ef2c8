import Foundation
import NeuroCore
import NeuroTestSupport
import Testing

@Suite("Canonical neurons and label cleaning")
struct NeuronLabelTests {
    @Test("the canonical list re-derives from the WormAtlas table")
    func canonicalListMatchesWormAtlas() throws {
        let text = try String(contentsOfFile: TestSupport.path("Datasets/connectome/IndividualNeurons.csv"), encoding: .utf8)
        var names: [String] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: ";", omittingEmptySubsequences: false).map { String($0).trimmingWhitespace() }
            guard fields.count >= 4 else { continue }
            let name = fields[0], description = fields[3].lowercased()
            if description.hasPrefix("male") || ["PVS", "PVU", "CANL", "CANR"].contains(name) || name.contains("/") { continue }
            names.append(name)
        }
        #expect(names.sorted() == CanonicalNeurons.names)
        #expect(CanonicalNeurons.names.count == 300)
        #expect(!CanonicalNeurons.names.contains("CANL"))
        #expect(CanonicalNeurons.index["AVAL"] == CanonicalNeurons.names.firstIndex(of: "AVAL"))
    }

    @Test("leading zeros of numbered classes are stripped", arguments: [
        ("VB01", "VB1"), ("DA09", "DA9"), ("VA10", "VA10"), ("AS11", "AS11"), ("vb02", "VB2"), (" AVAL ", "AVAL"),
    ])
    func strippingZeros(raw: String, expected: String) {
        #expect(NeuronLabelCleaner.clean(raw) == .named(expected))
    }

    @Test("unusable labels become unlabeled with a reason", arguments: [
        ("", NeuronLabel.UnlabeledReason.missing), ("nan", .missing), ("42", .missing), ("unlabeled_3", .missing),
        ("AVAL?", .ambiguous), ("AVAL/AVAR", .ambiguous), ("AVAL AVAR", .ambiguous), ("AVAX", .unknown), ("VB12", .unknown),
    ])
    func unusableLabels(raw: String, reason: NeuronLabel.UnlabeledReason) {
        #expect(NeuronLabelCleaner.clean(raw) == .unlabeled(reason))
    }

    @Test("candidate lists: none is missing, one is a label, two are ambiguous")
    func candidates() {
        #expect(NeuronLabelCleaner.clean(candidates: []) == .unlabeled(.missing))
        #expect(NeuronLabelCleaner.clean(candidates: ["RIML"]) == .named("RIML"))
        #expect(NeuronLabelCleaner.clean(candidates: ["AVAL", "AVAR"]) == .unlabeled(.ambiguous))
    }
}

@Suite("Raw recording validation")
struct RawRecordingTests {
    func recording(times: [Double], labels: [String] = ["A", "B"]) -> RawRecording {
        RawRecording(name: "w", labels: labels, timestamps: times,
                     data: Matrix(rows: 3, columns: 2, values: [1, 2, 3, 4, 5, 6]))
    }

    @Test func acceptsIncreasingTimes() throws {
        try recording(times: [0, 0.5, 1.2]).validate(source: "f.csv")
    }

    @Test func rejectsNonMonotonicTimes() {
        #expect(throws: RecordingError(file: "f.csv", recording: "w",
                                       problem: .nonMonotonicTimestamps(index: 2, previous: 0.5, value: 0.4))) {
            try recording(times: [0, 0.5, 0.4]).validate(source: "f.csv")
        }
    }

    @Test func rejectsCountMismatches() {
        #expect(throws: RecordingError(file: "f", recording: "w", problem: .labelCountMismatch(labels: 3, columns: 2))) {
            try recording(times: [0, 1, 2], labels: ["A", "B", "C"]).validate(source: "f")
        }
        #expect(throws: RecordingError(file: "f", recording: "w", problem: .timeCountMismatch(timestamps: 2, samples: 3))) {
            try recording(times: [0, 1]).validate(source: "f")
        }
    }

    @Test func errorIsOneLineNamingTheFile() {
        let e = RecordingError(file: "worms.mat", recording: "worm2", problem: .labelCountMismatch(labels: 120, columns: 118))
        #expect(e.description == "worms.mat: recording 'worm2': 120 labels for 118 trace columns")
        #expect(!e.description.contains("\n"))
    }
}

@Suite struct MatrixTests {
    @Test func columnsRowsAndTranspose() {
        let m = Matrix(rows: 2, columns: 3, values: [1, 2, 3, 4, 5, 6])
        #expect(m.column(1) == [2, 5])
        #expect(Array(m.row(1)) == [4, 5, 6])
        #expect(m.transposed.values == [1, 4, 2, 5, 3, 6])
        #expect(m.selectingColumns([2, 0]).values == [3, 1, 6, 4])
        #expect(Matrix(columns: [[1, 4], [2, 5], [3, 6]]) == m)
    }
}
