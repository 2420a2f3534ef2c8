import NeuroCore
import NeuroLinAlg

extension CPProblem {
    /// Starting factors for `options.initialization` (weights folded into the first factor).
    func initialFactors(_ options: CPOptions) throws -> [Matrix] {
        switch options.initialization {
        case .given(let model):
            guard model.shape == shape, model.rank == options.rank else {
                throw TensorError.shapeMismatch(what: "initial factors", expected: shape + [options.rank],
                                                found: model.shape + [model.rank])
            }
            var factors = model.factors
            for i in 0..<factors[0].rows { for r in 0..<model.rank { factors[0][i, r] *= model.weights[r] } }
            return factors
        case .random:
            var generator = SeededGenerator(seed: options.seed)
            let factors = shape.map { size in
                Matrix(rows: size, columns: options.rank, values: (0..<(size * options.rank)).map { _ in generator.uniform() })
            }
            return rescaled(factors, fixed: options.fixedModes)
        case .nndsvd:
            var generator = SeededGenerator(seed: options.seed)
            let factors = try shape.indices.map { try nndsvdFactor(mode: $0, rank: options.rank, generator: &generator) }
            return rescaled(factors, fixed: options.fixedModes)
        }
    }

    /// Scales the free factors so that the model's scale is the least-squares best (`λ = ⟨X, M⟩ / ‖M‖²`).
    func rescaled(_ factors: [Matrix], fixed: Set<Int>) -> [Matrix] {
        guard let mode = (0..<shape.count).first(where: { !fixed.contains($0) }) else { return factors }
        let eq = normalEquations(factors, mode: mode)
        let inner = eq.innerProduct(factors[mode]), model = eq.modelSquaredNorm(factors[mode])
        guard inner > 0, model > 0 else { return factors }
        var out = factors
        var a = out[mode]
        for k in a.values.indices { a.values[k] *= inner / model }
        out[mode] = a
        return out
    }

    /// NNDSVDa factor of one mode from the eigen-decomposition of the unfolding's Gram `X₍ₙ₎X₍ₙ₎ᵀ`.
    /// Columns beyond the mode's size are uniform random (as TensorLy does).
    func nndsvdFactor(mode: Int, rank: Int, generator: inout SeededGenerator) throws -> Matrix {
        let size = shape[mode]
        let leading = shape[..<mode].reduce(1, *)
        let trailing = shape[(mode + 1)...].reduce(1, *)
        // Slab l of the C-order tensor is the size × trailing block X[l, :, :].
        func slab(_ l: Int) -> Matrix {
            let start = l * size * trailing
            return Matrix(rows: size, columns: trailing, values: Array(weightedData[start..<(start + size * trailing)]))
        }
        var gram = Matrix(rows: size, columns: size)
        for l in 0..<leading {
            let s = slab(l)
            let g = s.multiplied(by: s.transposed)
            for k in gram.values.indices { gram.values[k] += g.values[k] }
        }
        let (values, vectors) = try LinearSolve.symmetricEigen(gram)
        var factor = Matrix(rows: size, columns: rank)
        for r in 0..<rank {
            let e = size - 1 - r
            guard e >= 0, values[e] > 0 else {
                for i in 0..<size { factor[i, r] = generator.uniform() }
                continue
            }
            let sigma = values[e].squareRoot()
            let u = vectors.column(e)
            // v = X₍ₙ₎ᵀ u / σ, gathered slab by slab; only the norms of its signed parts matter.
            var vPositive = 0.0, vNegative = 0.0
            for l in 0..<leading {
                let part = slab(l).transposed.multiplied(by: u)
                for x in part { if x > 0 { vPositive += x * x } else { vNegative += x * x } }
            }
            vPositive = vPositive.squareRoot() / sigma
            vNegative = vNegative.squareRoot() / sigma
            let uPositive = u.reduce(0) { $0 + ($1 > 0 ? $1 * $1 : 0) }.squareRoot()
            let uNegative = u.reduce(0) { $0 + ($1 < 0 ? $1 * $1 : 0) }.squareRoot()
            let positive = uPositive * vPositive >= uNegative * vNegative
            let norm = positive ? uPositive : uNegative
            let scale = (sigma * (positive ? uPositive * vPositive : uNegative * vNegative)).squareRoot()
            for i in 0..<size {
                let x = positive ? max(u[i], 0) : max(-u[i], 0)
                factor[i, r] = norm > 0 ? scale * x / norm : 0
            }
        }
        // NNDSVDa: entries below ε take the data's mean (as TensorLy), so multiplicative updates can move them.
        let mean = weightedData.reduce(0, +) / Double(max(weightedData.count, 1))
        for k in factor.values.indices where factor.values[k] < Double.ulpOfOne { factor.values[k] = mean }
        return factor
    }
}
