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
public enum GetisOrdGiStar {
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

    /// Counts points in cells aligned to multiples of `cell` (EPSG:25832 metres) over the extent; points outside
    /// are not counted. Returns the grid's origin, size, row-major counts from the south-west, and how many counted.
    static func countGrid(_ points: [ProjectedPoint], minX: Double, minY: Double, maxX: Double, maxY: Double,
                          cell: Double) -> (x0: Double, y0: Double, columns: Int, rows: Int, counts: [Double], inside: Int) {
        let x0 = (minX / cell).rounded(.down) * cell, y0 = (minY / cell).rounded(.down) * cell
        let columns = max(1, Int(((maxX - x0) / cell).rounded(.down)) + 1)
        let rows = max(1, Int(((maxY - y0) / cell).rounded(.down)) + 1)
        var counts = [Double](repeating: 0, count: columns * rows)
        var inside = 0
        for p in points {
            let c = Int(((p.x - x0) / cell).rounded(.down)), r = Int(((p.y - y0) / cell).rounded(.down))
            guard c >= 0, c < columns, r >= 0, r < rows else { continue }
            counts[r * columns + c] += 1
            inside += 1
        }
        return (x0, y0, columns, rows, counts, inside)
    }

    /// Gi* straight from projected points over their own extent (for cross-checks on data from elsewhere).
    public static func fromPoints(_ points: [ProjectedPoint], cell: Meters, band: Meters, fdr: Bool)
        -> (columns: Int, rows: Int, counts: [Double], z: [Double], p: [Double], bins: [Int])? {
        guard !points.isEmpty, band.value >= cell.value, cell.value > 0 else { return nil }
        let g = countGrid(points, minX: points.map(\.x).min()!, minY: points.map(\.y).min()!,
                          maxX: points.map(\.x).max()!, maxY: points.map(\.y).max()!, cell: cell.value)
        guard g.columns * g.rows > 1 else { return nil }
        let r = compute(counts: g.counts, columns: g.columns, rows: g.rows, cellSize: cell.value, band: band.value, fdr: fdr)
        return (g.columns, g.rows, g.counts, r.z, r.p, r.bins)
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
