import NeuroCore
import NeuroNative
import NeuroStore

/// How a 2-D array of traces is laid out in a file.
public enum TraceLayout: String, Sendable {
    /// Rows are time samples, columns are channels (`(T, N)`, the common format's layout).
    case timeChannel = "time-channel"
    /// Rows are channels, columns are time samples (`(N, T)`, suite2p and Flavell-style files).
    case channelTime = "channel-time"

    /// Parses the `layout` option; nil option means `fallback`.
    static func parse(_ text: String?, file: String, fallback: TraceLayout = .timeChannel) throws -> TraceLayout {
        guard let text else { return fallback }
        guard let layout = TraceLayout(rawValue: text) else {
            throw NeuroIOError.badValue(file, field: "option layout", detail: "'\(text)' (use time-channel or channel-time)")
        }
        return layout
    }

    /// A `(time, channel)` matrix from C-order values of an array of `shape` (1-D means one channel).
    func matrix(values: [Double], shape: [Int], file: String, field: String) throws -> Matrix {
        switch shape.count {
        case 1:
            return Matrix(rows: shape[0], columns: 1, values: values)
        case 2:
            let m = Matrix(rows: shape[0], columns: shape[1], values: values)
            return self == .timeChannel ? m : m.transposed
        default:
            throw NeuroIOError.badValue(file, field: field, detail: "expected a 1-D or 2-D array, found shape \(shape)")
        }
    }
}

/// Timestamps from either a time vector or a sampling rate option.
enum Timestamps {
    static func from(rate: Double?, count: Int, file: String) throws -> [Double] {
        guard let rate else {
            throw NeuroIOError.missingKey(file, key: "time vector (give time=… or rate=HZ)", available: [])
        }
        guard rate > 0 else { throw NeuroIOError.badValue(file, field: "option rate", detail: "must be positive") }
        return (0..<count).map { Double($0) / rate }
    }
}
