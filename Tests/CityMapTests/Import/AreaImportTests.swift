import Foundation
import CityMapGeoData
import Testing
@testable import CityMap

@Suite("Boundaries: shipped outlines, imports and placement")
struct AreaImportTests {
    /// The shipped outlines are simplified from the OSM Stadtteile (tools/derive-geodata.py, 4 m tolerance).
    /// Checked against the real OSM outlines: on a 25 m grid over the centre, every point more than 10 m from
    /// an outline gets the same district from both.
    @Test(.enabled(if: SharedData.stadtteile != nil, "../shared/data/boundaries/duesseldorf_stadtteile_osm.geojson is absent"))
    func shippedDistrictsAgreeWithTheOSMStadtteile() throws {
        let osm = try #require(SharedData.stadtteile)
        let stadtteile = try BoundaryFile.read(osm)
        let shipped = try Store.shippedDistricts()
        func osmDistrict(_ c: Coordinate) -> String? {
            let name = stadtteile.first { $0.shape.contains(c) }?.name
            switch name {
            case "Altstadt", "Carlstadt": return "west"
            case "Stadtmitte": return "ost"
            default: return nil
            }
        }
        var compared = 0, disagreements: [String] = []
        var lat = 51.2150
        while lat < 51.2330 {
            var lon = 6.7640
            while lon < 6.8020 {
                let c = try Coordinate(lon: lon, lat: lat)
                let mine = shipped.first { $0.shape.contains(c) }?.code
                let theirs = osmDistrict(c)
                if mine != theirs {
                    // Allowed only right at an outline, within the simplification tolerance.
                    let nearEdge = try [0.0, 45, 90, 135, 180, 225, 270, 315].contains { bearing in
                        let d = 10.0 / 111_132
                        let probe = try Coordinate(lon: lon + d * sin(bearing * .pi / 180) / cos(lat * .pi / 180),
                                                   lat: lat + d * cos(bearing * .pi / 180))
                        return osmDistrict(probe) != theirs
                    }
                    if !nearEdge { disagreements.append("\(c) shipped \(mine ?? "none") OSM \(theirs ?? "none")") }
                }
                compared += 1
                lon += 25.0 / (111_132 * cos(lat * .pi / 180))
            }
            lat += 25.0 / 111_132
        }
        #expect(compared > 3000)
        #expect(disagreements.isEmpty, "\(disagreements.prefix(5))")
    }

    @Test(.enabled(if: SharedData.stadtteile != nil, "../shared/data/boundaries/duesseldorf_stadtteile_osm.geojson is absent"))
    func importingTheOSMStadtteileReassignsReports() throws {
        let osm = try #require(SharedData.stadtteile)
        let t = try TestStore()
        let burg = try t.log(lat: Places.burgplatz.lat, lon: Places.burgplatz.lon).report.id
        let kap = try t.log(lat: Places.konradAdenauerPlatz.lat, lon: Places.konradAdenauerPlatz.lon).report.id
        let pemp = try t.log(lat: Places.pempelfort.lat, lon: Places.pempelfort.lon).report.id
        // The OSM file's rings run clockwise; the import must accept and normalise them.
        let features = try BoundaryFile.read(osm, nameProperty: "name")
        #expect(features.count == 50)
        #expect(features.allSatisfy { $0.shape.polygons.allSatisfy { $0.exterior.isCounterClockwise } })
        let summary = try t.store.importAreas(features, kind: .district, replace: true)
        #expect(summary.added.count == 50 && summary.removed == ["Innenstadt Ost", "Innenstadt West"])
        #expect(summary.reassignedReports == 3)
        #expect(try t.store.report(id: burg).district?.name == "Altstadt")
        #expect(try t.store.report(id: kap).district?.name == "Stadtmitte")
        #expect(try t.store.report(id: pemp).district?.name == "Pempelfort")
        #expect(try t.store.report(id: burg).square?.name == "Burgplatz", "squares are untouched by a district import")
        // A new report is placed with the new outlines too.
        #expect(try t.log(lat: Places.pempelfort.lat, lon: Places.pempelfort.lon).report.district?.name == "Pempelfort")
    }

    @Test func anInvalidOutlineIsRefusedAndNothingChanges() throws {
        let t = try TestStore()
        let folder = try TemporaryFolder()
        let bowtie = folder.url.appendingPathComponent("bowtie.geojson")
        try Data("""
            {"type":"FeatureCollection","features":[
             {"type":"Feature","properties":{"name":"Gut"},"geometry":{"type":"Polygon","coordinates":[[[6.77,51.22],[6.78,51.22],[6.78,51.23],[6.77,51.23],[6.77,51.22]]]}},
             {"type":"Feature","properties":{"name":"Schleife"},"geometry":{"type":"Polygon","coordinates":[[[6.77,51.22],[6.78,51.23],[6.78,51.22],[6.77,51.23],[6.77,51.22]]]}}]}
            """.utf8).write(to: bowtie)
        let features = try BoundaryFile.read(bowtie)
        #expect {
            try t.store.importAreas(features, kind: .square)
        } throws: { error in
            "\(error)".contains("Schleife") && "\(error)".contains("Self-intersection")
        }
        #expect(try t.store.areas(kind: .square).count == 7, "the valid first feature was not kept either")
    }

    @Test(arguments: [
        ("", "is empty"),
        ("{\"type\":\"FeatureCollection\",\"features\":[", "not valid JSON"),
        ("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{},\"geometry\":null}]}", "feature 1, field 'properties.name'"),
        ("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"name\":\"X\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[6.7,51.2]}}]}", "feature 1, field 'geometry.type'"),
        ("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"name\":\"X\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[6.7,51.2],[6.8,51.2],[6.8,95],[6.7,51.2]]]}}]}", "field 'geometry.coordinates[0][2]': latitude 95"),
        ("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"name\":\"X\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[6.7,51.2],[6.8,51.2],[6.8,51.3]]]}}]}", "ring 0 has 3 positions"),
    ])
    func badBoundaryFilesNameFileFeatureAndField(content: String, expected: String) throws {
        let folder = try TemporaryFolder()
        let url = folder.url.appendingPathComponent("areas.geojson")
        try Data(content.utf8).write(to: url)
        #expect {
            try BoundaryFile.read(url)
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix(url.path) && text.contains(expected)
        }
    }

    /// A square belongs to one district, set in the data: a report on the part of Graf-Adolf-Platz that lies in
    /// neither district (51.2189, 6.7775; shapely 2.2.0: outside both shipped outlines, inside the square) gets the
    /// square and Innenstadt Ost, and counts in Ost's summary.
    @Test func aReportOnASquaresOuterPartCountsForTheSquaresDistrict() throws {
        let t = try TestStore()
        let logged = try t.log(lat: 51.2189, lon: 6.7775)
        let report = try #require(try t.store.report(id: logged.report.id))
        #expect(report.square?.code == "graf-adolf-platz")
        #expect(report.district?.code == "ost")
        var request = SummaryRequest(period: try Period.month("2026-11"))
        request.hotspots = 0
        let ost = try #require(try t.store.summary(request).districts.first { $0.district.code == "ost" })
        #expect(ost.total.current == 1)
        #expect(ost.scorecards.map(\.square) == ["Graf-Adolf-Platz"])
    }

    /// A square file may say which district each square belongs to; a code that is no district is refused, naming
    /// the feature, and nothing is stored.
    @Test func aSquareNamingAnUnknownDistrictIsRefused() throws {
        let t = try TestStore()
        let file = t.folder.path("plaetze.geojson")
        try #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Schadowplatz","district":"nord"},"geometry":{"type":"Polygon","coordinates":[[[6.780,51.225],[6.781,51.225],[6.781,51.226],[6.780,51.226],[6.780,51.225]]]}}]}"#
            .write(toFile: file, atomically: true, encoding: .utf8)
        let features = try BoundaryFile.read(URL(fileURLWithPath: file))
        #expect(features.first?.district == "nord")
        #expect { try t.store.importAreas(features, kind: .square) } throws: { error in
            "\(error)".contains("Schadowplatz") && "\(error)".contains("nord") && "\(error)".contains("ost, west")
        }
        #expect(try t.store.areas(kind: .square).count == 7)
    }
}

extension Store {
    /// The shipped districts as read from GeoData.
    static func shippedDistricts() throws -> [AreaFeature] {
        try BoundaryFile.read(try #require(GeoDataFiles.districts), codeProperty: "code")
    }

}
