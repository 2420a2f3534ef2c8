import Foundation
import NeuroCore
import NeuroNative

/// An output file that appears at its path only when complete.
///
/// Everything is written to a hidden temporary file beside `path`, `.NAME.HOST.PID.tmp` (removed on
/// failure, on ``abandon()``, on Ctrl-C through ``InterruptCleanup`` and on a crash through
/// ``CrashReport``), and renamed into place by ``commit()``. A process killed outright (SIGKILL, power
/// loss) leaves its temporary file; the next output to the same path on the same host removes those
/// whose process is gone.
/// The constructor refuses a `path` that is one of the inputs, a directory, or in a missing directory.
/// ``CommonFormatWriter`` and ``ResultFileWriter`` both write through one.
public final class AtomicOutput {
    /// Where the finished file goes.
    public let path: String
    /// Where it is written meanwhile.
    public let temporaryPath: String
    private var cleanupSlot: Int?
    /// Whether the output can still be written: false once committed or abandoned.
    public private(set) var isOpen = true

    /// Checks `path` against `inputs` and the file system; creates nothing yet.
    public init(path: String, inputs: [String]) throws {
        self.path = path
        let target = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        for input in inputs where URL(fileURLWithPath: input).standardizedFileURL.resolvingSymlinksInPath().path == target {
            throw NeuroIOError.wouldOverwriteInput(path)
        }
        let base = (path as NSString).lastPathComponent
        var isDirectory: ObjCBool = false
        if path.isEmpty || path.hasSuffix("/") || base == "." || base == ".."
            || (FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue) {
            throw NeuroIOError.writeFailed(path, detail: "is a directory; give a file name for the output")
        }
        let directory = PathText.directory(of: path)
        if !directory.isEmpty && !(FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) && isDirectory.boolValue) {
            throw NeuroIOError.writeFailed(path, detail: "directory '\(directory)' does not exist")
        }
        let folder = directory.isEmpty ? "." : directory
        let host = AtomicOutput.hostName
        temporaryPath = (folder as NSString).appendingPathComponent(".\(base).\(host).\(getpid()).tmp")
        AtomicOutput.removeAbandoned(in: folder, base: base, host: host)
        cleanupSlot = InterruptCleanup.register(temporaryPath)
    }

    /// This machine's name, without dots (they separate the temporary name's parts).
    static let hostName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, buffer.count - 1)
        let name = String(cBuffer: buffer).replacingOccurrences(of: ".", with: "-")
        return name.isEmpty ? "localhost" : name
    }()

    /// Deletes `.BASE.HOST.PID.tmp` files in `folder` left by processes of this host that no longer run.
    static func removeAbandoned(in folder: String, base: String, host: String) {
        let prefix = ".\(base).\(host).", suffix = ".tmp"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(suffix) {
            guard let pid = Int32(name.dropFirst(prefix.count).dropLast(suffix.count)), pid > 0, pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink((folder as NSString).appendingPathComponent(name)) }
        }
    }

    deinit { abandon() }

    /// An error about the temporary file, retold about the output the user asked for.
    public func naming(_ error: any Error) -> any Error {
        let text = "\(error)"
        guard text.contains(temporaryPath) else { return error }
        return NeuroIOError.writeFailed(path, detail: text.replacingOccurrences(of: temporaryPath + ": ", with: "")
            .replacingOccurrences(of: temporaryPath, with: path))
    }

    /// Runs `body`; on any error drops the temporary file and rethrows the error named after `path`.
    public func guarding<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch {
            abandon()
            throw naming(error)
        }
    }

    /// Moves the finished temporary file to `path` (replacing an older output there atomically;
    /// rename(2) refuses to replace a directory).
    public func commit() throws {
        guard isOpen else { throw NeuroIOError.writeFailed(path, detail: "output already committed or abandoned") }
        isOpen = false
        if rename(temporaryPath, path) != 0 {
            let reason = String(cString: strerror(errno))
            abandon()
            throw NeuroIOError.writeFailed(path, detail: reason)
        }
        InterruptCleanup.unregister(cleanupSlot)
        cleanupSlot = nil
    }

    /// Drops the temporary file; nothing is left at `path`.
    public func abandon() {
        isOpen = false
        if FileManager.default.fileExists(atPath: temporaryPath) { try? FileManager.default.removeItem(atPath: temporaryPath) }
        InterruptCleanup.unregister(cleanupSlot)
        cleanupSlot = nil
    }
}
