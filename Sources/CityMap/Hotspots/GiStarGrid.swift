import Foundation

/// One grid cell of a Gi* analysis, with its place in the city.
public struct GiStarCell: Sendable, Encodable {
    public let column: Int
    public let row: Int
    public let count: Int
    public let z: Double
    public let p: Double
    /// ArcGIS Gi_Bin: ±3 (99 %), ±2 (95 %), ±1 (90 %), 0 (not significant).
    public let bin: Int
    public let center: Coordinate
    /// The cell's outline in WGS84, counter-clockwise and closed.
    public let outline: [Coordinate]
    public let district: String?
    public let square: String?
}

/// A Gi* analysis over a grid aligned to EPSG:25832.
public struct GiStarGrid: Sendable, Encodable {
    public let cells: [GiStarCell]
    public let columns: Int
    public let rows: Int
    public let reports: Int
    /// Things the analyst should know (e.g. fewer than 30 reports).
    public let warnings: [String]
}


extension GiStarGrid {
    /// The most cells a grid may have (about 400 MB of working memory): a finer grid is refused, not attempted.
    public static let maximumCells = 10_000_000

    /// Checks the parameters before any data is read.
    public static func validate(cell: Meters, band: Meters) throws(HotspotError) {
        guard cell.value > 0 else { throw .notPositive(parameter: "cell", cell, suggestion: "50m") }
        guard band.value >= cell.value else { throw .bandBelowCell(band: band, cell: cell) }
    }

    /// Gi* over a grid of `cell` squares aligned to EPSG:25832 (multiples of the cell size), with a binary distance
    /// band. The grid covers `extent` (the districts' corners, projected) when given, else the points' own extent.
    /// Cells come row by row from the south-west, each placed in its district and square through `areas`.
    public static func build(points: [ProjectedPoint], extent: [ProjectedPoint]?, cell: Meters, band: Meters, fdr: Bool,
                             areas index: AreaIndex, projector: Projector) throws -> GiStarGrid {
        try validate(cell: cell, band: band)
        guard !points.isEmpty else { return GiStarGrid(cells: [], columns: 0, rows: 0, reports: 0, warnings: []) }
        let extentPoints = extent ?? points
        let minX = extentPoints.map(\.x).min()!, maxX = extentPoints.map(\.x).max()!
        let minY = extentPoints.map(\.y).min()!, maxY = extentPoints.map(\.y).max()!
        guard cell.value <= max(maxX - minX, maxY - minY) else {
            throw HotspotError.cellLargerThanExtent(cell: cell, width: Meters(maxX - minX), height: Meters(maxY - minY))
        }
        let cellsNeeded = ((maxX - minX) / cell.value + 2) * ((maxY - minY) / cell.value + 2)
        guard cellsNeeded <= Double(maximumCells) else {
            throw HotspotError.tooLarge(parameter: "cell", needed: cellsNeeded, limit: Double(maximumCells), what: "grid cells")
        }
        let size = cell.value
        let (x0, y0, columns, rows, counts, inside) = GetisOrdGiStar.countGrid(points, minX: minX, minY: minY, maxX: maxX, maxY: maxY, cell: size)
        let populated = counts.filter { $0 > 0 }.count
        guard populated >= 3 else { throw HotspotError.tooFewPopulatedCells(populated) }
        var warnings: [String] = []
        if inside < 30 {
            warnings.append("only \(inside) reports: with fewer than 30 features Gi* results may be unreliable (ArcGIS gives the same warning)")
        }
        let result = GetisOrdGiStar.compute(counts: counts, columns: columns, rows: rows, cellSize: size, band: band.value, fdr: fdr)
        // Corners and centres back to WGS84 in one PROJ call.
        var projected: [ProjectedPoint] = []
        projected.reserveCapacity(columns * rows * 5)
        for r in 0..<rows {
            for c in 0..<columns {
                let x = x0 + Double(c) * size, y = y0 + Double(r) * size
                projected += [ProjectedPoint(x: x, y: y), ProjectedPoint(x: x + size, y: y), ProjectedPoint(x: x + size, y: y + size),
                              ProjectedPoint(x: x, y: y + size), ProjectedPoint(x: x + size / 2, y: y + size / 2)]
            }
        }
        let lonLat = try projector.unproject(projected)
        var cells: [GiStarCell] = []
        cells.reserveCapacity(columns * rows)
        for k in 0..<(columns * rows) {
            let corners = Array(lonLat[(k * 5)..<(k * 5 + 4)])
            let center = lonLat[k * 5 + 4]
            let placement = index.place(center)
            cells.append(GiStarCell(column: k % columns, row: k / columns, count: Int(counts[k]), z: result.z[k], p: result.p[k],
                                    bin: result.bins[k], center: center, outline: corners + [corners[0]],
                                    district: placement.district?.name, square: placement.square?.name))
        }
        return GiStarGrid(cells: cells, columns: columns, rows: rows, reports: inside, warnings: warnings)
    }

    /// The cells with a significant z-score (Gi_Bin not 0), strongest first.
    public var significantCells: [GiStarCell] {
        cells.filter { $0.bin != 0 }.sorted { a, b in
            abs(a.z) != abs(b.z) ? abs(a.z) > abs(b.z) : (a.row, a.column) < (b.row, b.column)
        }
    }
}
