import Foundation
import Testing

/// Exports as viewers and GDAL take them: uMap's `name` and `_umap_options`, and hotspots with one geometry type per
/// file, converted to Shapefiles by ogr2ogr (GDAL, the peer QGIS uses).
@Suite("Exports for uMap and for Shapefiles")
struct ViewerExportTests {
    static let ogr2ogr = "/usr/bin/ogr2ogr"
    static let ogrinfo = "/usr/bin/ogrinfo"

    static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func everyFeatureCarriesUMapsNameAndColour() throws {
        let cli = try CLI()
        #expect(try cli.run(["init"]).status == 0)
        #expect(try cli.run(["log", "--lat", "51.2275", "--lon", "6.7711", "--category", "cleanliness/litter"]).status == 0)
        #expect(try cli.run(["import", URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/apps/locus-route-and-points.gpx").path]).status == 0)
        for layer in ["reports", "areas", "walks"] {
            let out = try cli.run(["export", layer])
            let object = try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any]
            let features = try #require(object?["features"] as? [[String: Any]], "\(layer)")
            try #require(!features.isEmpty, "\(layer)")
            for feature in features {
                let properties = try #require(feature["properties"] as? [String: Any])
                #expect(properties["name"] as? String == properties["title"] as? String, "\(layer)")
                let options = try #require(properties["_umap_options"] as? [String: Any], "\(layer)")
                let simplestyle = (properties["marker-color"] ?? properties["stroke"]) as? String
                #expect(options["color"] as? String == simplestyle, "\(layer)")
            }
        }
        let walk = try cli.run(["export", "walks"]).stdout
        #expect(walk.contains("\"dashArray\":\"8,6\"")) // the route is a planned walk, dashed
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: ViewerExportTests.ogr2ogr), "ogr2ogr (gdal-bin) is not installed"))
    func hotspotHullsAndCentresEachBecomeAShapefile() throws {
        let cli = try CLI()
        #expect(try cli.run(["init"]).status == 0)
        for k in 0..<12 {
            let lat = String(format: "%.6f", 51.2275 + Double(k % 4) * 0.00005), lon = String(format: "%.6f", 6.7711 + Double(k / 4) * 0.00005)
            #expect(try cli.run(["log", "--lat", lat, "--lon", lon, "--category", "cleanliness/litter"]).status == 0)
        }
        let written = try cli.run(["hotspots", "clusters", "--format", "geojson", "--out", "hulls.geojson", "--centres", "centres.geojson"])
        #expect(written.status == 0)
        for (name, type) in [("hulls", "Polygon"), ("centres", "Point")] {
            let text = try String(contentsOfFile: cli.folder.path("\(name).geojson"), encoding: .utf8)
            let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
            let features = try #require(object?["features"] as? [[String: Any]])
            try #require(features.count == 1, "\(name)")
            #expect(features.allSatisfy { ($0["geometry"] as? [String: Any])?["type"] as? String == type }, "\(name)")
            let converted = try Self.run(Self.ogr2ogr, ["-f", "ESRI Shapefile", cli.folder.path("\(name).shp"), cli.folder.path("\(name).geojson")])
            #expect(converted.status == 0, "\(converted.output)")
            let info = try Self.run(Self.ogrinfo, ["-so", "-al", cli.folder.path("\(name).shp")])
            #expect(info.output.contains("Geometry: \(type)") && info.output.contains("Feature Count: 1"), "\(info.output)")
        }
        let refused = try cli.run(["hotspots", "clusters", "--centres", "c.geojson"])
        #expect(refused.status == 64 && refused.stderr.contains("--centres goes with --format geojson"))
    }
}
