import Foundation
import NeuroCore
import NeuroIO
import NeuroTestSupport
import Testing
import NeuroStore

@Suite("Common format: round trip, atomic writes", .serialized)
struct CommonFormatTests {
    func sampleRecording(name: String = "worm1") -> Recording {
        let t = 50, c = 4
        var data = Matrix(rows: t, columns: c)
        for i in 0..<t { for j in 0..<c { data[i, j] = j == 2 ? .nan : sin(Double(i) * 0.1 + Double(j)) * 1.000_000_1 } }
        return Recording(name: name, time: (0..<t).map { Double($0) * 0.333 }, samplingRate: 1 / 0.333,
                         channels: [Channel(name: "AVAL", originalLabel: "AVAL"), Channel(name: "AVAR"),
                                    Channel(name: "AVBL"), Channel(name: "unlabeled_0", originalLabel: "x", kind: .calcium, unit: "1")],
                         data: data, residual: data, recorded: [true, true, false, true], labeled: [true, true, false, false],
                         events: [Event(onset: 1.5, duration: 0.5, label: "stim on"), Event(onset: 9, label: "é marker")],
                         attributes: [("source_file", .text("a.mat")), ("original_samples", .integer(812)),
                                      ("dt", .number(0.333)), ("bounds", .numbers([0.1, 0.2]))])
    }

    @Test("float64 files read back exactly what was written")
    func roundTripFloat64() throws {
        let dir = try TestSupport.temporaryDirectory()
        let path = dir + "/out.nc"
        let writer = try CommonFormatWriter(path: path, precision: .float64, globalAttributes: [("title", .text("t"))])
        let written = [sampleRecording(), sampleRecording(name: "worm2")]
        for r in written { try writer.write(r) }
        try writer.commit()
        let file = try CommonFormatFile(path: path)
        #expect(file.recordingNames == ["worm1", "worm2"])
        #expect(file.globalAttribute("format")?.description == "neurotool-common")
        #expect(file.globalAttribute("title")?.description == "t")
        #expect(file.globalAttribute("Conventions") == nil, "the files claim no convention they do not follow (FORMAT.md)")
        for r in written { #expect(try file.recording(r.name) == r) }
    }

    @Test("float32 files hold the float32 rounding of the samples")
    func roundTripFloat32() throws {
        let dir = try TestSupport.temporaryDirectory()
        let writer = try CommonFormatWriter(path: dir + "/out.nc", precision: .float32, globalAttributes: [])
        let r = sampleRecording()
        try writer.write(r)
        try writer.commit()
        let back = try CommonFormatFile(path: dir + "/out.nc").recording("worm1")
        #expect(back.data.values.map { $0.isNaN ? 0 : $0 } == r.data.values.map { $0.isNaN ? 0 : Double(Float($0)) })
        #expect(back.data.values[2].isNaN)
        #expect(back.time == r.time)
    }

    @Test("a writer that is not committed leaves nothing behind")
    func abandonedWriterLeavesNoFile() throws {
        let dir = try TestSupport.temporaryDirectory()
        do {
            let writer = try CommonFormatWriter(path: dir + "/out.nc", globalAttributes: [])
            try writer.write(sampleRecording())
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    @Test("the output may not be one of the inputs")
    func refusesToOverwriteInput() throws {
        let dir = try TestSupport.temporaryDirectory()
        let input = dir + "/in.csv"
        try "time,AVAL\n0,1\n".write(toFile: input, atomically: true, encoding: .utf8)
        #expect(throws: NeuroIOError.wouldOverwriteInput(dir + "/./in.csv")) {
            try CommonFormatWriter(path: dir + "/./in.csv", globalAttributes: [], inputs: [input])
        }
        #expect(try String(contentsOfFile: input, encoding: .utf8) == "time,AVAL\n0,1\n")
    }

    @Test("a file that is not of the common format is refused with a clear message")
    func rejectsForeignNetCDF() throws {
        let path = TestSupport.path("Datasets/celegans/nichols2017/worms.nc")
        #expect(throws: NeuroIOError.unsupported(path, detail: "not a neurotool common-format file (no global format=\"neurotool-common\")")) {
            try CommonFormatFile(path: path)
        }
    }
}

@Suite("Common format: streaming writes", .serialized)
struct StreamingWriteTests {
    @Test("appending in uneven blocks gives the same file contents as one write")
    func blocksEqualWhole() throws {
        let t = 40_000, c = 3
        var data = Matrix(rows: t, columns: c)
        for i in 0..<t { for j in 0..<c { data[i, j] = j == 1 ? .nan : sin(Double(i) * 0.01 * Double(j + 1)) } }
        let recording = Recording(name: "long", time: (0..<t).map { Double($0) / 256 }, samplingRate: 256,
                                  channels: (0..<c).map { Channel(name: "c\($0)", kind: .eeg, unit: "V") }, data: data,
                                  residual: nil, recorded: [true, false, true], labeled: [true, false, true])
        let dir = try TestSupport.temporaryDirectory()
        for precision in CommonFormat.Precision.allCases {
            let whole = try CommonFormatWriter(path: "\(dir)/whole.nc", precision: precision, globalAttributes: [])
            try whole.write(recording)
            try whole.commit()
            let blocks = try CommonFormatWriter(path: "\(dir)/blocks.nc", precision: precision, globalAttributes: [])
            var layout = RecordingLayout(recording)
            layout.time = nil
            let stream = try blocks.begin(layout)
            var start = 0
            for size in [1, 16_383, 2 * 16_384 + 3, 7_000] where start < t {
                let end = min(t, start + size)
                try stream.append(data: data.selectingRows(start..<end))
                start = end
            }
            try stream.append(data: data.selectingRows(start..<t))
            try stream.finish()
            try blocks.commit()
            let a = try CommonFormatFile(path: "\(dir)/whole.nc").recording("long")
            let b = try CommonFormatFile(path: "\(dir)/blocks.nc").recording("long")
            #expect(a.data.bitwiseEqual(b.data), "\(precision)")
            #expect(b.data.column(1).allSatisfy { $0.isNaN })
            #expect(abs(b.data[39_999, 2] - sin(39_999 * 0.03)) < 1e-6)
            // A preview reads only the first rows, the same values.
            let head = try CommonFormatFile(path: "\(dir)/blocks.nc").recording("long", maxRows: 20_000)
            #expect(head.data.rows == 20_000 && head.time.count == 20_000)
            #expect(head.data.bitwiseEqual(b.data.selectingRows(0..<20_000)))
        }
    }
}

@Suite("Common format: sensor positions", .serialized)
struct PositionTests {
    @Test("positions are written as (channel, xyz) with NaN for unknown and read back")
    func roundTrip() throws {
        let dir = try TestSupport.temporaryDirectory()
        let r = Recording(name: "eeg", time: [0, 0.5, 1], samplingRate: 2,
                          channels: [Channel(name: "Cz", kind: .eeg, unit: "V", position: [0, 0.01, 0.1]),
                                     Channel(name: "EXG1", kind: .eeg, unit: "V")],
                          data: Matrix(rows: 3, columns: 2, values: [1, 2, 3, 4, 5, 6]), recorded: [true, true], labeled: [true, false])
        let writer = try CommonFormatWriter(path: "\(dir)/p.nc", precision: .float64, globalAttributes: [])
        try writer.write(r)
        try writer.commit()
        #expect(try CommonFormatFile(path: "\(dir)/p.nc").recording("eeg") == r)
    }
}
