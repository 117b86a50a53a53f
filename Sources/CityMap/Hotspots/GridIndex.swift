/// A uniform grid over projected points (EPSG:25832 metres) for fixed-radius neighbour search: points are sorted
/// by cell, and each cell's points are a contiguous run. Cells are `cellSize` metres square.
///
/// Complexity: O(n log n) to build (one sort); a radius query visits the (2r+1)² cells around a point, where
/// r = ⌈radius / cellSize⌉.
struct GridIndex {
    struct Cell: Hashable {
        let i: Int32
        let j: Int32
    }

    let cellSize: Double
    /// Point indices ordered by cell.
    let order: ContiguousArray<Int32>
    /// For each non-empty cell, the range of `order` that holds its points.
    let ranges: [Cell: Range<Int>]

    init(_ points: ContiguousArray<ProjectedPoint>, cellSize: Double) {
        self.cellSize = cellSize
        var keyed = ContiguousArray<(cell: Cell, index: Int32)>()
        keyed.reserveCapacity(points.count)
        for (n, p) in points.enumerated() {
            keyed.append((Self.cell(of: p, size: cellSize), Int32(n)))
        }
        keyed.sort { a, b in a.cell.i != b.cell.i ? a.cell.i < b.cell.i : a.cell.j != b.cell.j ? a.cell.j < b.cell.j : a.index < b.index }
        order = ContiguousArray(keyed.map(\.index))
        var ranges: [Cell: Range<Int>] = [:]
        var start = 0
        while start < keyed.count {
            var end = start + 1
            while end < keyed.count && keyed[end].cell == keyed[start].cell { end += 1 }
            ranges[keyed[start].cell] = start..<end
            start = end
        }
        self.ranges = ranges
    }

    static func cell(of p: ProjectedPoint, size: Double) -> Cell {
        Cell(i: Int32((p.x / size).rounded(.down)), j: Int32((p.y / size).rounded(.down)))
    }

    func cell(of p: ProjectedPoint) -> Cell { Self.cell(of: p, size: cellSize) }

    /// The non-empty cells within `reach` cells of `cell` (including itself).
    func neighbours(of cell: Cell, reach: Int32) -> [Cell] {
        var result: [Cell] = []
        for di in -reach...reach {
            for dj in -reach...reach {
                let c = Cell(i: cell.i + di, j: cell.j + dj)
                if ranges[c] != nil { result.append(c) }
            }
        }
        return result
    }

    func points(in cell: Cell) -> ArraySlice<Int32> {
        guard let range = ranges[cell] else { return [] }
        return order[range]
    }
}
