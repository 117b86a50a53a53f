import Foundation

/// Getis-Ord Gi* (A. Getis, J. K. Ord, "The analysis of spatial association by use of distance statistics", 1992;
/// J. K. Ord, A. Getis, 1995) on a square grid of counts, with binary distance-band weights that include the focal
/// cell: w_ij = 1 when the centres of cells i and j are at most `band` apart (so w_ii = 1).
///
/// The analytic moments are PySAL esda's `G_Local(y, w, transform='B', star=True)`:
/// G_i = Σ_j w_ij y_j / Σ y, E = c_i / n, V = c_i (n − c_i) / (n − 1) / n² · s² / ȳ², z = (G_i − E) / √V, with
/// c_i = Σ_j w_ij (fewer at the grid's edge), ȳ and s² = mean(y²) − ȳ² over all n cells, empty ones included.
/// p is two-sided under the normal distribution. Bins as ArcGIS's Gi_Bin: ±3 for p < 0.01, ±2 for p < 0.05,
/// ±1 for p < 0.10, 0 otherwise; with `fdr`, p-values are first adjusted by Benjamini–Hochberg (1995).
///
/// Complexity: O(cells × k), k = number of cells within the band (≈ π (band/cell)²); no weights matrix is stored.
/// Returns one value per cell, row-major from the south-west corner (index = row × columns + column).
enum GetisOrdGiStar {
    struct Result {
        let z: [Double]
        let p: [Double]
        let bins: [Int]
    }

    static func compute(counts: [Double], columns: Int, rows: Int, cellSize: Double, band: Double, fdr: Bool) -> Result {
        let n = counts.count
        precondition(n == columns * rows && n > 1)
        let reach = Int((band / cellSize).rounded(.down))
        var offsets: [(Int, Int)] = []
        for di in -reach...reach {
            for dj in -reach...reach where Double(di * di + dj * dj) * cellSize * cellSize <= band * band {
                offsets.append((di, dj))
            }
        }
        let N = Double(n)
        let total = counts.reduce(0, +)
        let mean = total / N
        let variance = counts.reduce(0) { $0 + $1 * $1 } / N - mean * mean
        var z = [Double](repeating: 0, count: n)
        for row in 0..<rows {
            for column in 0..<columns {
                var sum = 0.0, cardinality = 0.0
                for (di, dj) in offsets {
                    let r = row + dj, c = column + di
                    guard r >= 0, r < rows, c >= 0, c < columns else { continue }
                    sum += counts[r * columns + c]
                    cardinality += 1
                }
                let g = sum / total
                let expected = cardinality / N
                var v = cardinality * (N - cardinality)
                v /= N - 1
                v *= 1 / (N * N)
                v *= variance / (mean * mean)
                z[row * columns + column] = v > 0 ? (g - expected) / v.squareRoot() : 0
            }
        }
        var p = z.map { erfc(abs($0) / 2.0.squareRoot()) }
        if fdr { p = benjaminiHochberg(p) }
        let bins = zip(z, p).map { z, p -> Int in
            let level = p < 0.01 ? 3 : p < 0.05 ? 2 : p < 0.10 ? 1 : 0
            return z < 0 ? -level : level
        }
        return Result(z: z, p: p, bins: bins)
    }

    /// Benjamini–Hochberg adjusted p-values (as `statsmodels.stats.multitest.multipletests(method='fdr_bh')`).
    static func benjaminiHochberg(_ p: [Double]) -> [Double] {
        let order = p.indices.sorted { p[$0] < p[$1] }
        var adjusted = [Double](repeating: 1, count: p.count)
        var running = 1.0
        for (rank, index) in order.enumerated().reversed() {
            running = min(running, p[index] * Double(p.count) / Double(rank + 1))
            adjusted[index] = min(running, 1)
        }
        return adjusted
    }
}
