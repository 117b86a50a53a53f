import Foundation

/// Hotspot results as RFC 7946 GeoJSON for viewers, written through `GeoJSONWriter` to the sink the caller passes.
public enum HotspotExport {
    /// Which geometries of the clusters a file holds: one type per file converts to a Shapefile (ogr2ogr), both
    /// suit a web map.
    public enum ClusterParts: Sendable { case hulls, centres, both }

    /// Per cluster its hull (Polygon, counter-clockwise) and/or its centroid (Point), titled and coloured by the
    /// dominant category (simplestyle `fill`/`stroke`/`marker-color`, colours from the taxonomy).
    public static func clusters(_ clustering: HotspotClustering, taxonomy: Taxonomy, to sink: ByteSink, precision: Int = 6,
                                parts: ClusterParts = .both) throws {
        var out = GeoJSONWriter(sink: sink, digits: precision)
        try out.begin()
        for c in clustering.clusters {
            let category = taxonomy.category(c.dominantCategory)
            let color = category?.color ?? "#7f7f7f"
            let breakdown = c.byCategory.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            let description = "\(breakdown). \(c.open) open, \(c.resolved) resolved. "
                + (c.square.map { "On \($0). " } ?? "") + "\(c.districts.joined(separator: " / ")). "
                + "90 % within \(c.radius90) of the centre; \(String(format: "%.1f", c.reportsPerWeek)) reports a week."
            let common: [(String, PropertyValue)] = [
                ("title", .text("Hotspot \(c.id): \(category?.de ?? c.dominantCategory), \(c.size) reports")),
                ("description", .text(description)), ("dominant_category", .text(c.dominantCategory)),
                ("districts", .text(c.districts.joined(separator: ", "))), ("square", .text(c.square ?? "")),
                ("first_observed", .text(Timestamp.local(c.firstObserved))), ("last_observed", .text(Timestamp.local(c.lastObserved))),
                ("cluster", .integer(Int64(c.id))), ("size", .integer(Int64(c.size))), ("open", .integer(Int64(c.open))),
                ("resolved", .integer(Int64(c.resolved))), ("radius90_m", .double(c.radius90.value, digits: 1)),
                ("reports_per_week", .double(c.reportsPerWeek, digits: 2)),
            ]
            if parts != .centres {
                try out.feature(geometry: { b, d in b.appendPolygonGeometry([c.hull], digits: d) },
                                properties: [("kind", .text("hull"))] + common
                                    + [("fill", .text(color)), ("stroke", .text(color)), ("fill-opacity", .number("0.35")), ("stroke-width", .number("2"))])
            }
            if parts != .hulls {
                try out.feature(geometry: { b, d in b.appendPointGeometry(c.centroid, digits: d) },
                                properties: [("kind", .text("centroid"))] + common
                                    + [("marker-color", .text(color)), ("marker-symbol", .text(category?.symbol ?? "marker")), ("marker-size", .text("large"))])
            }
        }
        try out.end()
    }

    /// Gi* cells as polygons carrying count, z, p and bin, filled red for hot spots and blue for cold spots by
    /// confidence (ColorBrewer RdBu), grey and faint where not significant.
    public static func giStar(_ grid: GiStarGrid, to sink: ByteSink, precision: Int = 6, significantOnly: Bool = false) throws {
        let colors = [-3: "#2166ac", -2: "#67a9cf", -1: "#d1e5f0", 0: "#f7f7f7", 1: "#fddbc7", 2: "#ef8a62", 3: "#b2182b"]
        var out = GeoJSONWriter(sink: sink, digits: precision)
        try out.begin()
        for cell in significantOnly ? grid.significantCells : grid.cells {
            let label = cell.bin > 0 ? "hot spot" : cell.bin < 0 ? "cold spot" : "not significant"
            let confidence = [3: "99 %", 2: "95 %", 1: "90 %"][abs(cell.bin)].map { ", \($0) confidence" } ?? ""
            let title = label.prefix(1).uppercased() + label.dropFirst() + "\(confidence): \(cell.count) reports"
            var description = "Gi* z = \(String(format: "%.2f", cell.z)), p = \(String(format: "%.4f", cell.p))"
            if let square = cell.square { description += ", \(square)" }
            if let district = cell.district { description += ", \(district)" }
            let fill = colors[cell.bin] ?? "#f7f7f7"
            try out.feature(geometry: { b, d in b.appendPolygonGeometry([cell.outline], digits: d) }, properties: [
                ("title", .text(title)), ("description", .text(description)),
                ("count", .integer(Int64(cell.count))), ("z", .number(String(cell.z))), ("p", .number(String(cell.p))),
                ("Gi_Bin", .integer(Int64(cell.bin))), ("district", .text(cell.district)), ("square", .text(cell.square)),
                ("fill", .text(fill)), ("fill-opacity", .number(cell.bin == 0 ? "0.1" : "0.6")),
                ("stroke-width", .number("0")),
            ])
        }
        try out.end()
    }

    /// The top-density areas as polygons (holes clockwise), titled with their peak density per km².
    public static func density(_ result: DensityResult, to sink: ByteSink, precision: Int = 6) throws {
        var out = GeoJSONWriter(sink: sink, digits: precision)
        try out.begin()
        for (k, area) in result.areas.enumerated() {
            try out.feature(geometry: { b, d in b.appendPolygonGeometry(area.polygon, digits: d) }, properties: [
                ("title", .text("Density area \(k + 1): peak \(Int(area.peak.rounded())) per km²")),
                ("description", .text("\(area.pixels) pixels of \(Int(result.grid.pixel)) m above \(Int(result.threshold.rounded())) per km² "
                    + "(\(result.kernel.rawValue) kernel, QGIS heatmap scaling)")),
                ("peak_per_km2", .double(area.peak, digits: 3)), ("pixels", .integer(Int64(area.pixels))),
                ("centroid_lat", .double(area.centroid.lat, digits: 6)), ("centroid_lon", .double(area.centroid.lon, digits: 6)),
                ("fill", .text("#e31a1c")), ("fill-opacity", .number("0.45")), ("stroke", .text("#b10026")), ("stroke-width", .number("1")),
            ])
        }
        try out.end()
    }

    /// The whole density grid as CSV: pixel centre (lon, lat and EPSG:25832) and density per km².
    public static func densityCSV(_ result: DensityResult, to sink: ByteSink) throws {
        let projector = try Projector.etrs89UTM32()
        let grid = result.grid
        var centres: [ProjectedPoint] = []
        centres.reserveCapacity(grid.columns * grid.rows)
        for r in 0..<grid.rows { for c in 0..<grid.columns { centres.append(grid.center(column: c, row: r)) } }
        let lonLat = try projector.unproject(centres)
        try sink.write("column,row,lon,lat,x_25832,y_25832,density_per_km2\r\n")
        for (k, p) in centres.enumerated() {
            sink.withBuffer { b in
                b.appendInteger(Int64(k % grid.columns)); b.append(UInt8(ascii: ",")); b.appendInteger(Int64(k / grid.columns))
                b.append(UInt8(ascii: ",")); b.appendFixed(lonLat[k].lon, digits: 6); b.append(UInt8(ascii: ","))
                b.appendFixed(lonLat[k].lat, digits: 6); b.append(UInt8(ascii: ",")); b.appendFixed(p.x, digits: 2)
                b.append(UInt8(ascii: ",")); b.appendFixed(p.y, digits: 2); b.append(UInt8(ascii: ","))
                b.appendFixed(grid.density[k], digits: 4); b.append(contentsOf: "\r\n".utf8)
            }
            try sink.flushIfFull()
        }
        try sink.flush()
    }
}
