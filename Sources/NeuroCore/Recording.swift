/// A typed attribute value, as stored in the common format.
public enum AttributeValue: Equatable, Sendable, CustomStringConvertible {
    /// A text attribute.
    case text(String)
    /// A floating-point attribute.
    case number(Double)
    /// An integer attribute.
    case integer(Int)
    /// An array of floating-point values.
    case numbers([Double])

    /// The value as plain text: text as is, numbers as Swift prints them, a number array joined by `, `.
    public var description: String {
        switch self {
        case .text(let s): return s
        case .number(let d): return "\(d)"
        case .integer(let i): return "\(i)"
        case .numbers(let a): return a.map { "\($0)" }.joined(separator: ", ")
        }
    }
}

/// One homogenized recording: samples on a uniform time grid, channels in a fixed order, masks.
///
/// This is what one group of the common NetCDF-4 format holds (see `docs/FORMAT.md`).
public struct Recording: Equatable, Sendable {
    /// Group name in the output file (`kato2015_worm1`).
    public var name: String
    /// Sample times in seconds: `startTime + i / samplingRate`.
    public var time: [Double]
    /// Sampling rate in Hz of ``time``.
    public var samplingRate: Double
    /// Channels, in output order; one per column of ``data``.
    public var channels: [Channel]
    /// Samples `(time, channel)`; channels that were not recorded hold NaN.
    public var data: Matrix
    /// Optional second variable on the same grid (the calcium "residual", the time derivative).
    public var residual: Matrix?
    /// `recorded[c]`: the source had data for channel `c`.
    public var recorded: [Bool]
    /// `labeled[c]`: channel `c` carries an identity (a canonical name) rather than `unlabeled_k`.
    public var labeled: [Bool]
    /// Annotations with onsets in seconds on ``time``'s clock.
    public var events: [Event]
    /// Per-recording attributes: rates, processing steps and parameters, source file and checksum.
    public var attributes: [(key: String, value: AttributeValue)]

    /// A recording holding the given samples, channels, masks, events and attributes as they are (nothing is checked).
    public init(name: String, time: [Double], samplingRate: Double, channels: [Channel], data: Matrix,
                residual: Matrix? = nil, recorded: [Bool], labeled: [Bool], events: [Event] = [],
                attributes: [(key: String, value: AttributeValue)] = []) {
        self.name = name
        self.time = time
        self.samplingRate = samplingRate
        self.channels = channels
        self.data = data
        self.residual = residual
        self.recorded = recorded
        self.labeled = labeled
        self.events = events
        self.attributes = attributes
    }

    /// The value of attribute `key`, if present.
    public func attribute(_ key: String) -> AttributeValue? {
        attributes.first(where: { $0.key == key })?.value
    }

    /// Whether every field is equal, samples compared bit for bit (so NaN matches NaN) and attributes in order.
    public static func == (lhs: Recording, rhs: Recording) -> Bool {
        lhs.name == rhs.name && lhs.time == rhs.time && lhs.samplingRate == rhs.samplingRate
            && lhs.channels == rhs.channels && lhs.data.bitwiseEqual(rhs.data)
            && (lhs.residual == nil) == (rhs.residual == nil)
            && (lhs.residual.map { r in r.bitwiseEqual(rhs.residual!) } ?? true)
            && lhs.recorded == rhs.recorded && lhs.labeled == rhs.labeled && lhs.events == rhs.events
            && lhs.attributes.map(\.key) == rhs.attributes.map(\.key)
            && lhs.attributes.map(\.value) == rhs.attributes.map(\.value)
    }
}

extension Matrix {
    /// Equality that treats NaN as equal to NaN with the same bits (`==` on `Double` does not).
    public func bitwiseEqual(_ other: Matrix) -> Bool {
        rows == other.rows && columns == other.columns
            && zip(values, other.values).allSatisfy { $0.bitPattern == $1.bitPattern }
    }
}
