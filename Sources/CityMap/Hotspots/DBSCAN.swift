/// Density-based clustering (DBSCAN: M. Ester, H.-P. Kriegel, J. Sander, X. Xu, "A density-based algorithm for
/// discovering clusters in large spatial databases with noise", KDD 1996) on projected points in metres.
///
/// Semantics follow scikit-learn's `DBSCAN(eps, min_samples)`: a point is *core* when at least `minPoints` points,
/// itself included, lie within `eps` (distance ≤ eps); core points within eps of each other share a cluster.
/// The partition of the core points is therefore unique and matches scikit-learn's exactly. A *border* point (not
/// core, within eps of a core point) joins the cluster of its nearest core point (ties broken deterministically);
/// scikit-learn gives it to whichever cluster reaches it first in its scan order, so border labels may differ
/// there (and only there). Everything else is noise.
///
/// Method: a grid of eps/√2 cells (Gunawan 2013; de Berg et al. 2017). Any two points in one cell are within eps,
/// so a cell holding ≥ minPoints points makes all of them core without a distance test; otherwise neighbours are
/// counted in the 5×5 surrounding cells and the count stops at minPoints, so no neighbour list is ever kept (the
/// memory of scikit-learn's approach grows with the neighbours of every point). Core cells are joined with
/// union–find when some pair of their core points is within eps. O(n log n) for the sort, then about linear for
/// bounded density; never O(n²) over the whole input.
///
/// Returns, in input order, a label per point — 0, 1, 2, … for clusters, numbered by decreasing size (ties: the
/// cluster whose first point comes first), -1 for noise — and whether it is a core point. Empty in, empty out.
public enum DBSCAN {
    public struct Clustering: Sendable {
        public let labels: [Int]
        public let isCore: [Bool]
        public var clusterCount: Int { (labels.max() ?? -1) + 1 }
        public var noiseCount: Int { labels.filter { $0 < 0 }.count }
    }

    public static func cluster(_ points: ContiguousArray<ProjectedPoint>, eps: Meters, minPoints: Int) -> Clustering {
        precondition(eps.value > 0 && minPoints >= 1, "validated by the caller")
        let n = points.count
        guard n > 0 else { return Clustering(labels: [], isCore: []) }
        let grid = GridIndex(points, cellSize: eps.value / 2.squareRoot())
        let eps2 = eps.value * eps.value
        let reach: Int32 = 2 // ⌈eps / (eps/√2)⌉ = 2 cells each way

        func within(_ a: Int32, _ b: Int32) -> Bool {
            let p = points[Int(a)], q = points[Int(b)]
            let dx = p.x - q.x, dy = p.y - q.y
            return dx * dx + dy * dy <= eps2
        }

        // 1. Core points.
        var core = [Bool](repeating: false, count: n)
        var neighbourCells: [GridIndex.Cell: [GridIndex.Cell]] = [:]
        for (cell, range) in grid.ranges {
            let members = grid.order[range]
            if members.count >= minPoints {
                for m in members { core[Int(m)] = true }
                continue
            }
            let around = grid.neighbours(of: cell, reach: reach)
            neighbourCells[cell] = around
            // Look the neighbouring cells up once per cell, not once per point.
            let aroundRanges = around.map { grid.ranges[$0]! }
            for m in members {
                var count = 0
                search: for range in aroundRanges {
                    for k in range where within(m, grid.order[k]) {
                        count += 1
                        if count >= minPoints { break search }
                    }
                }
                if count >= minPoints { core[Int(m)] = true }
            }
        }

        // 2. Join core cells whose core points come within eps (union–find over cells).
        let cells = grid.ranges.keys.sorted { $0.i != $1.i ? $0.i < $1.i : $0.j < $1.j }
        var slot: [GridIndex.Cell: Int] = [:]
        for (k, c) in cells.enumerated() { slot[c] = k }
        var parent = Array(0..<cells.count)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        let coreMembers: [GridIndex.Cell: [Int32]] = Dictionary(uniqueKeysWithValues: cells.compactMap { c in
            let list = grid.points(in: c).filter { core[Int($0)] }
            return list.isEmpty ? nil : (c, Array(list))
        })
        for c in cells {
            guard let mine = coreMembers[c] else { continue }
            for other in neighbourCells[c] ?? grid.neighbours(of: c, reach: reach) {
                // Each unordered pair once, and only if not already joined.
                guard let k = slot[other], k > slot[c]!, let theirs = coreMembers[other], find(k) != find(slot[c]!) else { continue }
                if mine.contains(where: { a in theirs.contains { b in within(a, b) } }) {
                    parent[find(k)] = find(slot[c]!)
                }
            }
        }

        // 3. Label core points by their cell's root; border points by their nearest core point.
        var root = [Int](repeating: -1, count: n)
        for (c, members) in coreMembers {
            let r = find(slot[c]!)
            for m in members { root[Int(m)] = r }
        }
        for (c, range) in grid.ranges {
            for m in grid.order[range] where !core[Int(m)] {
                var best: (d: Double, root: Int)?
                for other in neighbourCells[c] ?? grid.neighbours(of: c, reach: reach) {
                    for q in coreMembers[other] ?? [] where within(m, q) {
                        let p = points[Int(m)], o = points[Int(q)]
                        let d = (p.x - o.x) * (p.x - o.x) + (p.y - o.y) * (p.y - o.y)
                        if best == nil || d < best!.d || (d == best!.d && root[Int(q)] < best!.root) { best = (d, root[Int(q)]) }
                    }
                }
                if let best { root[Int(m)] = best.root }
            }
        }

        // 4. Number clusters by size (descending), ties by the first point's index.
        var size: [Int: Int] = [:], first: [Int: Int] = [:]
        for (i, r) in root.enumerated() where r >= 0 {
            size[r, default: 0] += 1
            if first[r] == nil { first[r] = i }
        }
        let ranked = size.keys.sorted { size[$0]! != size[$1]! ? size[$0]! > size[$1]! : first[$0]! < first[$1]! }
        var label: [Int: Int] = [:]
        for (k, r) in ranked.enumerated() { label[r] = k }
        return Clustering(labels: root.map { $0 >= 0 ? label[$0]! : -1 }, isCore: core)
    }
}
