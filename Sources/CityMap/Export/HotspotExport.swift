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
                            for (i, p) in c.hull.enumerated() {
                                if i > 0 { b.append(UInt8(ascii: ",")) }
                                b.append(UInt8(ascii: "[")); b.appendFixed(p.lon, digits: precision); b.append(UInt8(ascii: ","))
                                b.appendFixed(p.lat, digits: precision); b.append(UInt8(ascii: "]"))
                            }
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
