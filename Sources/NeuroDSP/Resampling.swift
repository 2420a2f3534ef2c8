import NeuroCore

/// How irregular or differently sampled traces are brought onto a uniform time grid.
public enum ResamplingMethod: String, CaseIterable, Sendable {
    /// Linear interpolation when upsampling, anti-aliased polyphase decimation when downsampling.
    case auto
    /// Linear interpolation (`numpy.interp`) at the grid times, at any ratio (aliases when downsampling).
    case linear
    /// Not-a-knot cubic spline (`scipy.interpolate.CubicSpline`) at the grid times.
    case cubic
    /// The published pipeline's rule, step for step: linear interpolation when upsampling; when
    /// downsampling, linear interpolation to `dt / 6` then means of blocks of 6.
    case reference
    /// Linear interpolation onto a uniform grid `L` times finer than the target (at least as fine as the
    /// source), then `scipy.signal.resample_poly(up=1, down=L)`-style Kaiser-windowed decimation.
    case polyphase
}

/// A uniform time grid starting at 0: `time[i] = i · dt`, `i < count`.
public struct TimeGrid: Equatable, Sendable {
    /// Step between samples, in seconds.
    public var dt: Double
    /// Number of samples.
    public var count: Int

    /// The times `0, dt, 2·dt, …` strictly below `end` (`numpy.arange(0, end, dt)`).
    public init(dt: Double, below end: Double) {
        self.dt = dt
        self.count = max(0, Int(((end - 0) / dt).rounded(.up)))
    }

    /// The `count` times `0, dt, …, (count − 1)·dt`.
    public init(dt: Double, count: Int) {
        self.dt = dt
        self.count = count
    }

    /// The grid's times.
    public var times: [Double] { (0..<count).map { Double($0) * dt } }
}

/// Resampling of `(time, channel)` matrices from (possibly irregular) timestamps onto a uniform grid.
public enum Resampling {
    /// The result of resampling: the grid and the samples on it.
    public struct Output: Sendable {
        /// The uniform grid the samples are on.
        public var grid: TimeGrid
        /// Samples `(time, channel)`, one row per grid time.
        public var data: Matrix
        /// What was actually done (`linear`, `polyphase down=6`, …), for provenance.
        public var summary: String
    }

    /// Resamples `data` sampled at `times` (strictly increasing, starting at 0) to step `dt`.
    ///
    /// Channels that are entirely NaN stay NaN. Other NaNs propagate to the grid samples they touch.
    public static func resample(times: [Double], data: Matrix, dt: Double, method: ResamplingMethod) throws -> Output {
        precondition(times.count == data.rows && times.count >= 2, "resample: need ≥ 2 samples with times")
        let sourceDt = Statistics.median(zip(times.dropFirst(), times).map { $0 - $1 })
        let end = times[times.count - 1]
        let downsampling = dt > sourceDt
        switch method {
        case .linear:
            let grid = TimeGrid(dt: dt, below: end)
            return Output(grid: grid, data: linear(times: times, data: data, at: grid.times), summary: "linear")
        case .cubic:
            let grid = TimeGrid(dt: dt, below: end)
            return Output(grid: grid, data: try Interpolation.cubicSpline(x: times, samples: data, at: grid.times),
                          summary: "cubic (not-a-knot spline)")
        case .reference:
            // The reference interpolates only when the target step is strictly finer (`dt < median dt`).
            guard dt >= sourceDt else {
                let grid = TimeGrid(dt: dt, below: end)
                return Output(grid: grid, data: linear(times: times, data: data, at: grid.times), summary: "reference: linear (upsampling)")
            }
            let fine = TimeGrid(dt: dt / 6, below: end)
            let fineData = linear(times: times, data: data, at: fine.times)
            let fineTimes = fine.times
            let fineDt = Statistics.median(zip(fineTimes.dropFirst(2), fineTimes.dropFirst()).map { $0 - $1 })
            let width = max(1, Int((dt / fineDt).rounded(.toNearestOrEven)))
            let blocks = fine.count / width
            var out = Matrix(rows: blocks, columns: data.columns)
            for b in 0..<blocks {
                for i in (b * width)..<((b + 1) * width) {
                    for c in 0..<data.columns { out[b, c] += fineData[i, c] }
                }
                for c in 0..<data.columns { out[b, c] /= Double(width) }
            }
            return Output(grid: TimeGrid(dt: dt, count: blocks), data: out, summary: "reference: linear to dt/6, mean of blocks of \(width)")
        case .auto, .polyphase:
            guard downsampling else {
                let grid = TimeGrid(dt: dt, below: end)
                return Output(grid: grid, data: linear(times: times, data: data, at: grid.times),
                              summary: "linear (upsampling)")
            }
            let factor = Int((dt / sourceDt - 1e-9).rounded(.up))
            let fine = TimeGrid(dt: dt / Double(factor), below: end)
            let fineData = linear(times: times, data: data, at: fine.times)
            let resampler = PolyphaseResampler(up: 1, down: factor, padding: .mean)
            let out = resampler.resample(fineData)
            return Output(grid: TimeGrid(dt: dt, count: out.rows), data: out,
                          summary: "polyphase: linear to dt/\(factor), Kaiser(β=5) FIR decimation by \(factor)")
        }
    }

    /// `numpy.interp` applied to every column, sharing the bracket search across channels.
    public static func linear(times x: [Double], data: Matrix, at targets: [Double]) -> Matrix {
        let n = x.count, channels = data.columns
        var out = Matrix(rows: targets.count, columns: channels)
        var j = 0
        for (k, t) in targets.enumerated() {
            let row = k * channels
            if t <= x[0] || t >= x[n - 1] {
                let src = (t <= x[0] ? 0 : n - 1) * channels
                for c in 0..<channels { out.values[row + c] = data.values[src + c] }
                continue
            }
            if t < x[j] { j = Interpolation.upperBound(x, t) - 1 }
            while j + 1 < n && x[j + 1] <= t { j += 1 }
            let x0 = x[j], x1 = x[j + 1], a = j * channels, b = (j + 1) * channels
            for c in 0..<channels {
                let y0 = data.values[a + c], y1 = data.values[b + c]
                let slope = (y1 - y0) / (x1 - x0)
                var value = slope * (t - x0) + y0
                if value.isNaN {
                    value = slope * (t - x1) + y1
                    if value.isNaN && y0 == y1 { value = y0 }
                }
                out.values[row + c] = value
            }
        }
        return out
    }
}
