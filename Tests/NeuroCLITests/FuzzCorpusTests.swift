import Foundation
import NeuroTestSupport
import Testing

/// The fuzz targets (`Tests/Fuzz`), replayed by the ordinary build of `neurotool-fuzz` in its own process:
/// every seed is read (so a target that refuses everything, fuzzing nothing, fails here), and every
/// crasher a fuzzer found (`Tests/Fuzz/crashers/TARGET/`) now reads or is refused in one line.
@Suite("Fuzz targets: seeds read, crashers replayed", .serialized)
struct FuzzCorpusTests {
    static var executable: String { TestSupport.path(".build/debug/neurotool-fuzz") }

    /// Each target's name and seeds, as `neurotool-fuzz list` prints them.
    static func targets() throws -> [(name: String, seeds: [String])] {
        let run = try TestSupport.run(executable, ["list"])
        guard run.status == 0 else { throw FixtureError("neurotool-fuzz list: \(run.stderr)") }
        return run.stdout.split(separator: "\n").map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            return (String(fields[0]), fields[1].split(separator: " ").map(String.init))
        }
    }

    /// Runs `files` through `target`; expects a clean exit and one line per file, read or refused.
    func replay(_ target: String, _ files: [String], expectRead: Bool) throws {
        let run = try TestSupport.run(Self.executable, ["run", target] + files)
        #expect(run.status == 0, "\(target): exit \(run.status): \(run.stderr.suffix(500))")
        let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == files.count, "\(target): \(run.stdout.suffix(500))")
        for (file, line) in zip(files, lines) {
            #expect(line == "\(file): read" || (!expectRead && line.hasPrefix("\(file): refused: ")), "\(target): \(line)")
        }
    }

    @Test("every target has seeds, and reads each of them")
    func seedsRead() throws {
        let targets = try Self.targets()
        #expect(targets.count >= 20)
        for target in targets {
            #expect(!target.seeds.isEmpty, "\(target.name) has no seeds")
            try replay(target.name, target.seeds.map(TestSupport.path), expectRead: true)
        }
    }

    @Test("every crasher found so far reads or is refused in one line")
    func crashersReplayed() throws {
        let root = TestSupport.path("Tests/Fuzz/crashers")
        let names = Set(try Self.targets().map(\.name))
        let directories = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        for target in directories.sorted() {
            #expect(names.contains(target), "crashers for an unknown target '\(target)'")
            let files = try FileManager.default.contentsOfDirectory(atPath: "\(root)/\(target)").filter { !$0.hasPrefix(".") }.sorted()
            try replay(target, files.map { "\(root)/\(target)/\($0)" }, expectRead: false)
        }
    }
}
