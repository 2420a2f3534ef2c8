import Foundation

/// A scratch directory holding one target's companions, where each input is written and run.
public final class FuzzWorkspace {
    /// The target run here.
    public let target: FuzzTarget
    /// The scratch directory (under `/dev/shm` when it is writable, so that no input touches a disk).
    public let directory: String
    let inputPath: String
    let openPath: String

    /// A fresh scratch directory for `target`, with its companions copied from `root` (the package root).
    public init(target: FuzzTarget, root: String) throws {
        self.target = target
        let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : NSTemporaryDirectory()
        directory = "\(base)/neurotool-fuzz-\(target.name)-\(getpid())"
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for companion in target.companions {
            let name = (companion as NSString).lastPathComponent
            try FileManager.default.copyItem(atPath: "\(root)/\(companion)", toPath: "\(directory)/\(name)")
        }
        inputPath = "\(directory)/\(target.inputName)"
        openPath = "\(directory)/\(target.openName)"
    }

    /// Removes the scratch directory.
    public func remove() { try? FileManager.default.removeItem(atPath: directory) }

    /// Writes `bytes` as the input and runs the target on it: nil when it was read, else the error's text.
    /// Traps when that text spans more than one line (a one-line error is part of every reader's contract).
    @discardableResult
    public func run(_ bytes: UnsafeRawBufferPointer) -> String? {
        write(bytes)
        do {
            try target.body(openPath, directory)
            return nil
        } catch {
            return Self.oneLine(error, target: target.name)
        }
    }

    /// The text of `error`; traps when it spans more than one line.
    static func oneLine(_ error: any Error, target: String) -> String {
        let text = "\(error)"
        if text.contains(where: \.isNewline) {
            fatalError("\(target): an error spans more than one line: \(text.debugDescription)")
        }
        return text
    }

    private func write(_ bytes: UnsafeRawBufferPointer) {
        let fd = open(inputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        precondition(fd >= 0, "cannot write \(inputPath)")
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let n = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            precondition(n > 0, "cannot write \(inputPath)")
            offset += n
        }
    }
}
