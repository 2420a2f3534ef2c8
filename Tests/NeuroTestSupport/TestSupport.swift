import Foundation
import NeuroCore

/// Paths, fixtures and helpers shared by the test bundles (as swift-argument-parser's
/// ArgumentParserTestHelpers).
public enum TestSupport {
    /// The repository root (the folder holding Package.swift).
    public static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
            url.deleteLastPathComponent()
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    /// An absolute path inside the repository.
    public static func path(_ relative: String) -> String {
        (repositoryRoot as NSString).appendingPathComponent(relative)
    }

    /// A parsed JSON fixture. Numbers are parsed with `JSONDecoder`, which rounds correctly (Foundation's
    /// `JSONSerialization` on Linux can be one ulp off, which would hide or invent differences).
    public static func json(_ relative: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path(relative)))
        guard let object = try JSONDecoder().decode(JSONValue.self, from: data).any as? [String: Any] else {
            throw FixtureError("\(relative) is not a JSON object")
        }
        return object
    }

    /// A number from a parsed JSON value (`Int` or `Double`), or nil.
    public static func number(_ value: Any?) -> Double? {
        switch value {
        case let d as Double: return d
        case let i as Int: return Double(i)
        case let n as NSNumber: return n.doubleValue
        default: return nil
        }
    }

    /// A fresh, empty temporary directory.
    public static func temporaryDirectory(_ label: String = "neurotool-tests") throws -> String {
        let dir = (NSTemporaryDirectory() as NSString).appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Largest absolute difference between two arrays (NaN == NaN counts as 0; NaN vs a number, or
    /// arrays of different lengths, count as infinity).
    public static func maxAbsDifference(_ a: [Double], _ b: [Double]) -> Double {
        guard a.count == b.count else { return .infinity }
        var worst = 0.0
        for (x, y) in zip(a, b) {
            if x.isNaN && y.isNaN { continue }
            if x.isNaN != y.isNaN { return .infinity }
            worst = max(worst, abs(x - y))
        }
        return worst
    }

    /// Doubles from a JSON array (nulls become NaN).
    /// A copy of the demo's Venkatachalam worm in `directory` (as `worm1.csv`) whose fourth column holds
    /// NaN over rows 100–199 (samples 99–198): a NaN run longer than the default limit. Returns the file,
    /// the channel and the number of samples.
    public static func wormWithNaNRun(in directory: String) throws -> (path: String, channel: String, samples: Int) {
        var lines = try String(contentsOfFile: path("Datasets/celegans/venkatachalam2024/worm1.csv"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        for i in 100..<200 {
            var fields = lines[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[3] = "nan"
            lines[i] = fields.joined(separator: ",")
        }
        let file = "\(directory)/worm1.csv"
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        return (file, String(lines[0].split(separator: ",")[3]), lines.count - 1)
    }

    /// True when `a` and `b` hold the same values bit for bit (NaN equals NaN).
    public static func sameBits(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
    }

    public static func doubles(_ value: Any?) -> [Double] {
        (value as? [Any] ?? []).map { number($0) ?? .nan }
    }

    /// Columns from a JSON array of arrays.
    public static func matrixRows(_ value: Any?) -> [[Double]] {
        (value as? [Any] ?? []).map { doubles($0) }
    }

    /// The result of running a program.
    public struct ProcessResult {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `executable` with `arguments` (in `workingDirectory`, by default the repository root) and
    /// collects its output.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                           workingDirectory: String? = nil) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory ?? repositoryRoot)
        if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new } }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes to the end before waiting, so a chatty child cannot block on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return ProcessResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
    }

    /// The `neurotool` executable built next to the tests (`swift build --build-tests` builds it).
    public static var neurotool: String {
        let candidates = [".build/debug/neurotool", ".build/release/neurotool"].map(path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }

    /// Runs the neurotool executable.
    public static func neurotool(_ arguments: [String]) throws -> ProcessResult {
        try run(neurotool, arguments)
    }

    /// The Python of the pinned venv that `make test` creates (peers: numpy, scipy, xarray, h5py, netCDF4).
    public static var python: String { path(".venv/bin/python") }

    /// Runs a Python script of `tools/python` with the venv's interpreter.
    public static func python(_ script: String, _ arguments: [String]) throws -> ProcessResult {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw FixtureError("\(python) missing: run `make venv` (make test does it)")
        }
        return try run(python, [path(script)] + arguments)
    }
}

/// A test-fixture problem (missing file, malformed JSON).
public struct FixtureError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Any JSON value, decoded exactly; ``any`` turns it into Foundation-style `Any` (Int for integral
/// literals without a fraction or exponent, Double otherwise, NSNull for null).
enum JSONValue: Decodable {
    case null, bool(Bool), int(Int), double(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let d = try? c.decode(Double.self) {
            if let i = Int(exactly: d), abs(d) < 1e15, (try? c.decode(Int.self)) != nil { self = .int(i) } else { self = .double(d) }
        }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    var any: Any {
        switch self {
        case .null: return NSNull()
        case .bool(let b): return b
        case .int(let i): return i
        case .double(let d): return d
        case .string(let s): return s
        case .array(let a): return a.map(\.any)
        case .object(let o): return o.mapValues(\.any)
        }
    }
}
