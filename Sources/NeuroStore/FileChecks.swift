import NeuroCore
import NeuroNative

/// Checks on input files, for callers outside the readers.
public enum FileChecks {
    /// Throws ``NeuroIOError/fileNotFound(_:)``, ``NeuroIOError/emptyFile(_:)`` or
    /// ``NeuroIOError/unsupported(_:detail:)`` (a directory) unless `path` is a non-empty file.
    public static func requireInput(_ path: String) throws { try FileAccess.requireNonEmptyFile(path) }
}
