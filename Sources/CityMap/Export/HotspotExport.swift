import Foundation

extension Store {
    /// Hotspot clusters as RFC 7946 GeoJSON for viewers: per cluster its hull (Polygon, counter-clockwise) and its
    /// centroid (Point), both titled, coloured by the dominant category (simplestyle `fill`/`stroke`/`marker-color`).
    /// Written aside and renamed when complete; `destination` nil writes to standard output.
    public func writeHotspotGeoJSON(_ clustering: HotspotClustering, to destination: URL?, precision: Int = 6) throws {
        let taxonomy = try taxonomy()
        try AtomicFile.write(to: destination) { out in
            try out.write("{\"type\":\"FeatureCollection\",\"features\":[")
            var first = true
            for c in clustering.clusters {
                let category = taxonomy.category(c.dominantCategory)
                let color = category?.color ?? "#7f7f7f"
                let title = "Hotspot \(c.id): \(category?.de ?? c.dominantCategory), \(c.size) reports"
                let breakdown = c.byCategory.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                    .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                let description = "\(breakdown). \(c.open) open, \(c.resolved) resolved. "
                    + (c.square.map { "On \($0). " } ?? "") + "\(c.districts.joined(separator: " / ")). "
                    + "90 % within \(c.radius90) of the centre; \(String(format: "%.1f", c.reportsPerWeek)) reports a week."
                let common: [(String, String)] = [("title", title), ("description", description), ("dominant_category", c.dominantCategory),
                                                  ("districts", c.districts.joined(separator: ", ")), ("square", c.square ?? ""),
                                                  ("first_observed", Timestamp.local(c.firstObserved)),
                                                  ("last_observed", Timestamp.local(c.lastObserved))]
                let numbers: [(String, String)] = [("cluster", String(c.id)), ("size", String(c.size)), ("open", String(c.open)),
                                                   ("resolved", String(c.resolved)),
                                                   ("radius90_m", String(format: "%.1f", c.radius90.value)),
                                                   ("reports_per_week", String(format: "%.2f", c.reportsPerWeek))]
                for kind in ["hull", "centroid"] {
                    out.withBuffer { b in
                        b.append(contentsOf: (first ? "\n" : ",\n").utf8)
                        first = false
                        b.append(contentsOf: "{\"type\":\"Feature\",\"geometry\":".utf8)
                        if kind == "hull" {
                            b.append(contentsOf: "{\"type\":\"Polygon\",\"coordinates\":[[".utf8)
                            b.appendPositions(c.hull, digits: precision)
                            b.append(contentsOf: "]]}".utf8)
                        } else {
                            b.append(contentsOf: "{\"type\":\"Point\",\"coordinates\":[".utf8)
                            b.appendFixed(c.centroid.lon, digits: precision); b.append(UInt8(ascii: ","))
                            b.appendFixed(c.centroid.lat, digits: precision); b.append(contentsOf: "]}".utf8)
                        }
                        b.append(contentsOf: ",\"properties\":{\"kind\":".utf8)
                        b.appendJSONString(kind)
                        for (k, v) in common { b.append(UInt8(ascii: ",")); b.appendJSONString(k); b.append(UInt8(ascii: ":")); b.appendJSONString(v) }
                        for (k, v) in numbers { b.append(UInt8(ascii: ",")); b.appendJSONString(k); b.append(UInt8(ascii: ":")); b.append(contentsOf: v.utf8) }
                        let style: [(String, String)] = kind == "hull"
                            ? [("fill", color), ("stroke", color), ("fill-opacity", "0.35"), ("stroke-width", "2")]
                            : [("marker-color", color), ("marker-symbol", category?.symbol ?? "marker"), ("marker-size", "large")]
                        for (k, v) in style {
                            b.append(UInt8(ascii: ",")); b.appendJSONString(k); b.append(UInt8(ascii: ":"))
                            if k == "fill-opacity" || k == "stroke-width" { b.append(contentsOf: v.utf8) } else { b.appendJSONString(v) }
                        }
                        b.append(contentsOf: "}}".utf8)
                    }
                }
            }
            try out.write("\n]}\n")
        }
    }
}

extension Store {
    /// Gi* cells as RFC 7946 GeoJSON polygons carrying count, z, p and bin, filled red for hot spots and blue for
    /// cold spots by confidence (ColorBrewer RdBu), grey and faint where not significant.
    public func writeGiStarGeoJSON(_ grid: GiStarGrid, to destination: URL?, precision: Int = 6) throws {
        let colors = [-3: "#2166ac", -2: "#67a9cf", -1: "#d1e5f0", 0: "#f7f7f7", 1: "#fddbc7", 2: "#ef8a62", 3: "#b2182b"]
        try AtomicFile.write(to: destination) { out in
            try out.write("{\"type\":\"FeatureCollection\",\"features\":[")
            for (k, cell) in grid.cells.enumerated() {
                let label = cell.bin > 0 ? "hot spot" : cell.bin < 0 ? "cold spot" : "not significant"
                let confidence = [3: "99 %", 2: "95 %", 1: "90 %"][abs(cell.bin)].map { ", \($0) confidence" } ?? ""
                out.withBuffer { b in
                    b.append(contentsOf: (k == 0 ? "\n" : ",\n").utf8)
                    b.append(contentsOf: "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[".utf8)
                    b.appendPositions(cell.outline, digits: precision)
                    b.append(contentsOf: "]]},\"properties\":{\"title\":".utf8)
                    b.appendJSONString("\(label.prefix(1).uppercased() + label.dropFirst())\(confidence): \(cell.count) reports")
                    b.append(contentsOf: ",\"description\":".utf8)
                    b.appendJSONString("Gi* z = \(String(format: "%.2f", cell.z)), p = \(String(format: "%.4f", cell.p))"
                                       + (cell.square.map { ", \($0)" } ?? "") + (cell.district.map { ", \($0)" } ?? ""))
                    b.append(contentsOf: ",\"count\":".utf8); b.appendInteger(Int64(cell.count))
                    b.append(contentsOf: ",\"z\":".utf8); b.append(contentsOf: String(cell.z).utf8)
                    b.append(contentsOf: ",\"p\":".utf8); b.append(contentsOf: String(cell.p).utf8)
                    b.append(contentsOf: ",\"Gi_Bin\":".utf8); b.appendInteger(Int64(cell.bin))
                    b.append(contentsOf: ",\"district\":".utf8); if let d = cell.district { b.appendJSONString(d) } else { b.append(contentsOf: "null".utf8) }
                    b.append(contentsOf: ",\"square\":".utf8); if let s = cell.square { b.appendJSONString(s) } else { b.append(contentsOf: "null".utf8) }
                    b.append(contentsOf: ",\"fill\":".utf8); b.appendJSONString(colors[cell.bin] ?? "#f7f7f7")
                    b.append(contentsOf: ",\"fill-opacity\":".utf8); b.append(contentsOf: (cell.bin == 0 ? "0.1" : "0.6").utf8)
                    b.append(contentsOf: ",\"stroke-width\":0}}".utf8)
                }
                try out.flushIfFull()
            }
            try out.write("\n]}\n")
        }
    }
}

extension Store {
    /// The top-density areas as RFC 7946 polygons (holes clockwise), titled with their peak density per km².
    public func writeDensityGeoJSON(_ result: DensityResult, to destination: URL?, precision: Int = 6) throws {
        try AtomicFile.write(to: destination) { out in
            try out.write("{\"type\":\"FeatureCollection\",\"features\":[")
            for (k, area) in result.areas.enumerated() {
                out.withBuffer { b in
                    b.append(contentsOf: (k == 0 ? "\n" : ",\n").utf8)
                    b.append(contentsOf: "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[".utf8)
                    for (r, ring) in area.polygon.enumerated() {
                        b.append(contentsOf: (r == 0 ? "[" : ",[").utf8)
                        b.appendPositions(ring, digits: precision)
                        b.append(UInt8(ascii: "]"))
                    }
                    b.append(contentsOf: "]},\"properties\":{\"title\":".utf8)
                    b.appendJSONString("Density area \(k + 1): peak \(Int(area.peak.rounded())) per km²")
                    b.append(contentsOf: ",\"description\":".utf8)
                    b.appendJSONString("\(area.pixels) pixels of \(Int(result.grid.pixel)) m above \(Int(result.threshold.rounded())) per km² "
                                       + "(\(result.kernel.rawValue) kernel, QGIS heatmap scaling)")
                    b.append(contentsOf: ",\"peak_per_km2\":".utf8); b.append(contentsOf: String(format: "%.3f", area.peak).utf8)
                    b.append(contentsOf: ",\"pixels\":".utf8); b.appendInteger(Int64(area.pixels))
                    b.append(contentsOf: ",\"fill\":\"#e31a1c\",\"fill-opacity\":0.45,\"stroke\":\"#b10026\",\"stroke-width\":1}}".utf8)
                }
            }
            try out.write("\n]}\n")
        }
    }

    /// The whole density grid as CSV: pixel centre (lon, lat and EPSG:25832) and density per km².
    public func writeDensityCSV(_ result: DensityResult, to destination: URL?) throws {
        let grid = result.grid
        var centres: [ProjectedPoint] = []
        centres.reserveCapacity(grid.columns * grid.rows)
        for r in 0..<grid.rows { for c in 0..<grid.columns { centres.append(grid.center(column: c, row: r)) } }
        let lonLat = try projector.unproject(centres)
        try AtomicFile.write(to: destination) { out in
            try out.write("column,row,lon,lat,x_25832,y_25832,density_per_km2\r\n")
            for (k, p) in centres.enumerated() {
                out.withBuffer { b in
                    b.appendInteger(Int64(k % grid.columns)); b.append(UInt8(ascii: ",")); b.appendInteger(Int64(k / grid.columns))
                    b.append(UInt8(ascii: ",")); b.appendFixed(lonLat[k].lon, digits: 6); b.append(UInt8(ascii: ","))
                    b.appendFixed(lonLat[k].lat, digits: 6); b.append(UInt8(ascii: ",")); b.appendFixed(p.x, digits: 2)
                    b.append(UInt8(ascii: ",")); b.appendFixed(p.y, digits: 2); b.append(UInt8(ascii: ","))
                    b.appendFixed(grid.density[k], digits: 4); b.append(contentsOf: "\r\n".utf8)
                }
                try out.flushIfFull()
            }
        }
    }
}

extension Array where Element == UInt8 {
    /// GeoJSON positions `[lon,lat],[lon,lat],…` (without the enclosing brackets).
    mutating func appendPositions(_ ring: [Coordinate], digits: Int) {
        for (i, p) in ring.enumerated() {
            if i > 0 { append(UInt8(ascii: ",")) }
            append(UInt8(ascii: "[")); appendFixed(p.lon, digits: digits); append(UInt8(ascii: ","))
            appendFixed(p.lat, digits: digits); append(UInt8(ascii: "]"))
        }
    }
}
