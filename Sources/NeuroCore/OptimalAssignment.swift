/// Optimal assignment (Hungarian algorithm, O(n²m)): the rows-to-columns matching of a rows × columns
/// cost matrix (rows ≤ columns) with the smallest total cost. Returns, for each row, its column.
///
/// The shortest-augmenting-path form with potentials (Kuhn–Munkres as in Jonker–Volgenant), the same
/// optimum as `scipy.optimize.linear_sum_assignment`.
public func optimalAssignment(cost: [[Double]]) -> [Int] {
    let n = cost.count
    guard n > 0 else { return [] }
    let m = cost[0].count
    precondition(m >= n && cost.allSatisfy { $0.count == m }, "optimalAssignment: needs rows ≤ columns")
    // 1-based potentials u (rows), v (columns); p[j] = row matched to column j; way = predecessor.
    var u = [Double](repeating: 0, count: n + 1)
    var v = [Double](repeating: 0, count: m + 1)
    var p = [Int](repeating: 0, count: m + 1)
    var way = [Int](repeating: 0, count: m + 1)
    for i in 1...n {
        p[0] = i
        var j0 = 0
        var minv = [Double](repeating: .infinity, count: m + 1)
        var used = [Bool](repeating: false, count: m + 1)
        repeat {
            used[j0] = true
            let i0 = p[j0]
            var delta = Double.infinity
            var j1 = 0
            for j in 1...m where !used[j] {
                let current = cost[i0 - 1][j - 1] - u[i0] - v[j]
                if current < minv[j] { minv[j] = current; way[j] = j0 }
                if minv[j] < delta { delta = minv[j]; j1 = j }
            }
            for j in 0...m {
                if used[j] { u[p[j]] += delta; v[j] -= delta } else { minv[j] -= delta }
            }
            j0 = j1
        } while p[j0] != 0
        repeat {
            let j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
        } while j0 != 0
    }
    var assignment = [Int](repeating: -1, count: n)
    for j in 1...m where p[j] > 0 { assignment[p[j] - 1] = j - 1 }
    return assignment
}
