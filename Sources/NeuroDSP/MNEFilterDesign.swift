import Foundation

/// Zero-phase FIR filters designed exactly as MNE-Python designs them (`mne.filter.create_filter` with
/// its defaults: `fir_design="firwin"`, `fir_window="hamming"`, `phase="zero"`, automatic transition
/// bandwidths and filter length), so filtered data can be compared with MNE's sample for sample.
///
/// - High-pass edge `l`: transition `min(max(0.25·l, 2), l)` Hz below it.
/// - Low-pass edge `h`: transition `min(max(0.25·h, 2), rate/2 − h)` Hz above it.
/// - Length: `ceil(3.3 / narrowest transition · rate)` samples, made odd.
/// - Design: the gain curve is built from Hamming-windowed sinc low-passes, one per transition, each
///   with its own length for its own transition width (MNE's `_firwin_design`).
/// - Notch at `f` (MNE's `notch_filter` with `method="fir"`): a band-stop from `f − w/2 − 0.5` to
///   `f + w/2 + 0.5` Hz with `w = f / 200` and 0.5 Hz transitions.
public enum MNEFilterDesign {
    /// Failures of the design (the same conditions MNE refuses).
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// The band edges cannot be designed at this rate (the text says why).
        case invalidBand(String)

        /// The reason the design was refused, as one line naming the offending frequencies.
        public var description: String {
            switch self { case .invalidBand(let s): return s }
        }
    }

    /// MNE's window length factor for Hamming.
    static let hammingFactor = 3.3

    /// Taps of the band-pass (`l` and `h`), high-pass (`h` nil) or low-pass (`l` nil) filter.
    public static func bandPass(rate: Double, low l: Double?, high h: Double?) throws -> [Double] {
        let nyquist = rate / 2
        var freq: [Double], gain: [Double]
        var narrowest = Double.infinity
        switch (l, h) {
        case (nil, nil):
            return [1]
        case (nil, let h?):
            guard h > 0 && h < nyquist else { throw Failure.invalidBand("low-pass frequency \(h) Hz must be between 0 and Nyquist (\(nyquist) Hz)") }
            let t = min(max(0.25 * h, 2), nyquist - h)
            narrowest = t
            freq = [0, h, h + t]; gain = [1, 1, 0]
            if h + t != nyquist { freq.append(nyquist); gain.append(0) }
        case (let l?, nil):
            guard l > 0 && l < nyquist else { throw Failure.invalidBand("high-pass frequency \(l) Hz must be between 0 and Nyquist (\(nyquist) Hz)") }
            let t = min(max(0.25 * l, 2), l)
            narrowest = t
            freq = [l - t, l, nyquist]; gain = [0, 1, 1]
            if l - t != 0 { freq.insert(0, at: 0); gain.insert(0, at: 0) }
        case (let l?, let h?):
            guard l > 0, h < nyquist, l < h else {
                throw Failure.invalidBand("band \(l)–\(h) Hz must satisfy 0 < low < high < Nyquist (\(nyquist) Hz)")
            }
            let lt = min(max(0.25 * l, 2), l), ht = min(max(0.25 * h, 2), nyquist - h)
            narrowest = min(lt, ht)
            freq = [l - lt, l, h, h + ht]; gain = [0, 1, 1, 0]
            if h + ht != nyquist { freq.append(nyquist); gain.append(0) }
            if l - lt != 0 { freq.insert(0, at: 0); gain.insert(0, at: 0) }
        }
        return try design(rate: rate, freq: freq, gain: gain, length: autoLength(rate: rate, transition: narrowest))
    }

    /// Taps of MNE's FIR notch filter removing `frequencies` (and nothing else).
    public static func notch(rate: Double, frequencies: [Double]) throws -> [Double] {
        let nyquist = rate / 2
        guard !frequencies.isEmpty else { return [1] }
        let halfTransition = 0.5
        var points: [(Double, Double)] = []
        for f in frequencies.sorted() {
            guard f > 0 && f < nyquist else { throw Failure.invalidBand("notch frequency \(f) Hz must be between 0 and Nyquist (\(nyquist) Hz)") }
            let width = f / 200
            let low = f - width / 2 - halfTransition, high = f + width / 2 + halfTransition
            guard high <= nyquist else { throw Failure.invalidBand("notch at \(f) Hz reaches past Nyquist (\(nyquist) Hz)") }
            points += [(low, 1), (low + halfTransition, 0), (high - halfTransition, 0), (high, 1)]
        }
        points.sort { $0.0 < $1.0 }
        var freq = points.map(\.0), gain = points.map(\.1)
        if freq[0] != 0 { freq.insert(0, at: 0); gain.insert(1, at: 0) }
        if freq[freq.count - 1] != nyquist { freq.append(nyquist); gain.append(1) }
        for i in 0..<(gain.count - 2) where abs(gain[i + 2] - 2 * gain[i + 1] + gain[i]) > 1 {
            throw Failure.invalidBand("notch stop bands \(frequencies) are not sufficiently separated")
        }
        return try design(rate: rate, freq: freq, gain: gain, length: autoLength(rate: rate, transition: halfTransition))
    }

    /// MNE's automatic length: `ceil(3.3 / transition · rate)`, odd.
    static func autoLength(rate: Double, transition: Double) -> Int {
        var n = max(Int((hammingFactor / transition * rate).rounded(.up)), 1)
        n += (n - 1) % 2
        return n
    }

    /// MNE's `_firwin_design`: frequencies in Hz from 0 to Nyquist, gains 0 or 1.
    static func design(rate: Double, freq hz: [Double], gain: [Double], length n: Int) throws -> [Double] {
        let nyquist = rate / 2
        let freq = hz.map { $0 / nyquist }
        var h = [Double](repeating: 0, count: n)
        var previousFrequency = freq[freq.count - 1], previousGain = gain[gain.count - 1]
        if previousGain == 1 { h[n / 2] = 1 }
        for i in stride(from: freq.count - 2, through: 0, by: -1) {
            let f = freq[i], g = gain[i]
            if g != previousGain {
                let transition = (previousFrequency - f) / 2
                var m = Int((hammingFactor / transition).rounded(.toNearestOrEven))
                m += 1 - m % 2
                guard m <= n else {
                    throw Failure.invalidBand("filter length \(n) is too short for a \(transition * nyquist) Hz transition (needs \(m))")
                }
                let lowPass = FIRDesign.lowPass(taps: m, cutoff: (previousFrequency + f) / 2, window: FIRDesign.hamming(length: m))
                let offset = (n - m) / 2
                for k in 0..<m { h[offset + k] += g == 0 ? -lowPass[k] : lowPass[k] }
            }
            previousGain = g
            previousFrequency = f
        }
        return h
    }
}
