import Foundation
import NeuroCore
import NeuroIO
import NeuroNTF
import NeuroTestSupport
import Testing
import NeuroStore

@Suite("Trial tensors from homogenized files")
struct TrialTensorTests {
    @Test("event trials hold the samples around each event; recordings become a mode; missing channels are masked")
    func events() throws {
        let dir = try TestSupport.temporaryDirectory()
        let path = "\(dir)/worms.nc"
        try SyntheticWorms.write(to: path, worms: 2, samples: 400, missing: [nil, "AVAL"])
        let file = try CommonFormatFile(path: path)
        let t = try TrialTensor.build(from: file, epochs: .events(label: "stim", before: 5, after: 10))
        #expect(t.tensor.shape == [16, 30, 2, 2])
        #expect(t.axes.map(\.name) == ["channel", "time", "trial", "recording"])
        #expect(t.axes[1].coordinates!.first == -5 && abs(t.axes[1].coordinates!.last! - 9.5) < 1e-12)
        for (q, name) in file.recordingNames.enumerated() {
            let r = try file.recording(name)
            for (c, channel) in t.axes[0].labels.enumerated() {
                let column = r.channels.firstIndex { $0.name == channel }!
                for (k, onset) in [50.0, 150.0].enumerated() {
                    for s in 0..<30 {
                        let flat = ((c * 30 + s) * 2 + k) * 2 + q
                        if r.recorded[column] {
                            #expect(t.tensor.values[flat] == r.data[Int((onset - 5) * 2) + s, column])
                            #expect(t.mask == nil || t.mask![flat] == 1)
                        } else {
                            #expect(t.mask![flat] == 0)
                        }
                    }
                }
            }
        }
        let windows = try TrialTensor.build(from: file, epochs: .windows(seconds: 50), recordings: ["worm1"], shiftToNonnegative: true)
        #expect(windows.tensor.shape == [16, 100, 4])
        #expect(windows.tensor.values.min()! == 0)
        #expect(throws: NeuroIOError.self) { try TrialTensor.build(from: file, epochs: .events(label: "nothing", before: 1, after: 1)) }
    }
}
