import Foundation
import GRDB

/// One grid cell of a Gi* analysis, with its place in the city.
public struct GiStarCell: Sendable {
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
public struct GiStarGrid: Sendable {
    public let cells: [GiStarCell]
    public let columns: Int
    public let rows: Int
    public let reports: Int
    /// Things the analyst should know (e.g. fewer than 30 reports).
    public let warnings: [String]
}


extension Store {
    /// Gi* over a grid of `cell` squares aligned to EPSG:25832 (multiples of the cell size), with a binary distance
    /// band. The grid covers the districts when the filter is empty, else the extent of the matching reports.
    public func hotspotGrid(matching filter: ReportFilter, cell: Meters, band: Meters, fdr: Bool) throws -> GiStarGrid {
        guard cell.value > 0 else { throw HotspotError.grid("--cell must be more than 0 m (got \(cell)); try 50m") }
        guard band.value >= cell.value else {
            throw HotspotError.grid("--band \(band) is smaller than --cell \(cell): a band must reach at least the neighbouring cells")
        }
        var points: [ProjectedPoint] = []
        var districtCorners: [Coordinate] = []
        var index = AreaIndex([])
        try read { db in
            let query = try ReportQuery(filter, db: db, taxonomy: try Self.taxonomy(db), projector: projector)
            let cursor = try Row.fetchCursor(db, sql: "SELECT r.x, r.y FROM reports r\(query.whereClause)", arguments: query.arguments)
            while let row = try cursor.next() { points.append(ProjectedPoint(x: row[0], y: row[1])) }
            index = try areaIndex(db)
            districtCorners = try Self.fetchAreaShapes(db).filter { $0.area.kind == .district }
                .flatMap { $0.shape.polygons.flatMap(\.exterior.positions) }
        }
        guard !points.isEmpty else { return GiStarGrid(cells: [], columns: 0, rows: 0, reports: 0, warnings: []) }
        let extentPoints = filter.isEmpty && !districtCorners.isEmpty ? try projector.project(districtCorners) : points
        let minX = extentPoints.map(\.x).min()!, maxX = extentPoints.map(\.x).max()!
        let minY = extentPoints.map(\.y).min()!, maxY = extentPoints.map(\.y).max()!
        guard cell.value <= max(maxX - minX, maxY - minY) else {
            throw HotspotError.grid("--cell \(cell) is larger than the extent (\(Meters(maxX - minX)) × \(Meters(maxY - minY))); choose a smaller cell")
        }
        let size = cell.value
        let (x0, y0, columns, rows, counts, inside) = GetisOrdGiStar.countGrid(points, minX: minX, minY: minY, maxX: maxX, maxY: maxY, cell: size)
        let populated = counts.filter { $0 > 0 }.count
        guard populated >= 3 else {
            throw HotspotError.grid("only \(populated) cell\(populated == 1 ? " has" : "s have") reports; Gi* needs at least 3 (choose smaller cells or a wider filter)")
        }
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
}

extension ReportFilter {
    /// True when nothing narrows the selection.
    public var isEmpty: Bool {
        districts.isEmpty && categories.isEmpty && statuses.isEmpty && since == nil && until == nil && near == nil && bbox == nil && limit == nil
    }
}
