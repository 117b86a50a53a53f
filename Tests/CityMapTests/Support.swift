import Foundation
import Testing
@testable import CityMap

/// A fresh folder under the system's temporary directory, removed when the value is released.
final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("citymap-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// A real SpatiaLite file in a temporary folder, set up from the shipped GeoData (no mock stores).
struct TestStore {
    let folder: TemporaryFolder
    let store: Store

    init() throws {
        folder = try TemporaryFolder()
        store = try Store(path: folder.path("citymap.sqlite"), mode: .create)
        _ = try store.setUpFromShippedGeoData()
    }

    var path: String { store.path }

    @discardableResult
    func log(lat: Double, lon: Double, _ category: String = "cleanliness/litter", at time: String = "2026-11-27T10:15:00+01:00",
             note: String = "") throws -> LoggedReport {
        let code = try store.taxonomy().resolve(category)
        return try store.log(NewReport(position: try Coordinate(lon: lon, lat: lat), category: code, description: note,
                                       observedAt: try #require(Timestamp.parse(time))))
    }

    func count(_ sql: String = "SELECT COUNT(*) FROM reports") throws -> Int {
        try store.read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
    }
}

/// `../shared/data` beside the project, where the real reference data lives; nil when absent, and the tests that need
/// it are then skipped (`.enabled(if:)`), never counted as passed.
enum SharedData {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/data")

    static func file(_ relative: String) -> URL? {
        let url = root.appendingPathComponent(relative)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    static var stadtteile: URL? { file("boundaries/duesseldorf_stadtteile_osm.geojson") }
}

/// Well-known positions in the city centre.
enum Places {
    static let burgplatz = (lat: 51.2275, lon: 6.7711)
    static let konradAdenauerPlatz = (lat: 51.2221, lon: 6.7924)
    static let pempelfort = (lat: 51.2360, lon: 6.7900)
}
