/// Per-channel normalisation of traces.
public enum Normalization: Equatable, Sendable {
    /// No change.
    case none
    /// `(x − mean) / std` with the population standard deviation (as scikit-learn's `StandardScaler`,
    /// which the reference uses); a constant channel is only centred. NaNs are ignored and kept.
    case zscore
    /// `(F − F0) / F0` with `F0` the given percentile (0–100, linear interpolation as numpy) of the trace.
    case deltaFOverF(percentile: Double)

    /// Name as written in the output attributes and accepted by the CLI.
    public var name: String {
        switch self {
        case .none: return "none"
        case .zscore: return "zscore"
        case .deltaFOverF: return "dff"
        }
    }

    /// The parameter as `key=value` text for provenance.
    public var parameterText: String {
        if case .deltaFOverF(let p) = self { return "baseline_percentile=\(p)" }
        return ""
    }

    /// Problems that make a normalisation meaningless for a trace.
    public enum Failure: Error, Equatable {
        /// ΔF/F needs a positive baseline; the trace's is not (it is probably already normalised).
        case nonPositiveBaseline(Double)
    }

    /// The normalisation of one trace as `(x − offset) / scale`.
    public func parameters(_ x: [Double]) throws -> (offset: Double, scale: Double) {
        switch self {
        case .none:
            return (0, 1)
        case .zscore:
            var count = 0, sum = 0.0
            for v in x where !v.isNaN { sum += v; count += 1 }
            guard count > 0 else { return (0, 1) }
            let mean = sum / Double(count)
            var squares = 0.0
            for v in x where !v.isNaN { squares += (v - mean) * (v - mean) }
            let std = (squares / Double(count)).squareRoot()
            return (mean, std > 0 ? std : 1)
        case .deltaFOverF(let p):
            let finite = x.filter { !$0.isNaN }
            guard !finite.isEmpty else { return (0, 1) }
            let f0 = Statistics.percentile(finite, p)
            guard f0 > 0 else { throw Failure.nonPositiveBaseline(f0) }
            return (f0, f0)
        }
    }

    /// Normalises one trace; returns the trace and the scale it was divided by (1 for `none`).
    public func apply(_ x: [Double]) throws -> (values: [Double], scale: Double) {
        let (offset, scale) = try parameters(x)
        return (x.map { ($0 - offset) / scale }, scale)
    }
}

/// Small order statistics.
public enum Statistics {
    /// The `p`-th percentile (0–100) with numpy's default linear interpolation.
    public static func percentile(_ values: [Double], _ p: Double) -> Double {
        precondition(!values.isEmpty, "percentile of no values")
        let sorted = values.sorted()
        let position = (p / 100) * Double(sorted.count - 1)
        let lo = Int(position.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        let fraction = position - Double(lo)
        return sorted[lo] + (sorted[hi] - sorted[lo]) * fraction
    }

    /// The median (numpy semantics: mean of the two middle values for even counts).
    public static func median(_ values: [Double]) -> Double { percentile(values, 50) }
}
