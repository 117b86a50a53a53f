import Foundation
import Testing
@testable import CityMap

/// `note`, `reopen`, `edit` and `status --at`, and values as people type them into `log`, through the real executable.
@Suite("Lifecycle commands and typed values")
struct LifecycleCommandTests {
    static func prepared() throws -> CLI {
        let cli = try CLI()
        #expect(try cli.run(["init"]).status == 0)
        return cli
    }

    @Test func logAcceptsDecimalCommasGermanLabelsAndSeverities() throws {
        let cli = try Self.prepared()
        let logged = try cli.run(["log", "--lat", "51,2275", "--lon", "6,7711", "--category", "Sauberkeit/Hundekot", "--severity", "hoch"])
        #expect(logged.status == 0)
        #expect(logged.stdout == "Logged report #1: cleanliness/dog-fouling in Innenstadt West, on Burgplatz.\n")
        let shown = try cli.run(["show", "1", "--format", "json"])
        #expect(shown.stdout.contains("\"severity\" : \"high\"") && shown.stdout.contains("\"lat\" : 51.2275"))
    }

    /// The position swapped: refused, named, and nothing stored (no report in the Indian Ocean).
    @Test func logRefusesSwappedCoordinates() throws {
        let cli = try Self.prepared()
        let swapped = try cli.run(["log", "--lat", "6.7711", "--lon", "51.2275", "--category", "cleanliness/litter"])
        #expect(swapped.status == 1)
        #expect(swapped.stderr.contains("--lat 6.7711 and --lon 51.2275 look swapped"))
        #expect(try cli.rowCounts() == "1") // the header only
    }

    /// Values that start with a minus sign are values, not options, written either way.
    @Test func negativeValuesAreReadAsValues() throws {
        let cli = try Self.prepared()
        #expect(try cli.run(["log", "--lat", "-33.8688", "--lon", "151.2093", "--category", "cleanliness/litter"]).status == 0)
        #expect(try cli.run(["log", "--lat", "51.5072", "--lon", "-0.1276", "--category", "cleanliness/litter"]).status == 0)
        let everywhere = try cli.run(["list", "--bbox", "-180,-85,180,85", "--format", "csv"])
        #expect(everywhere.status == 0)
        #expect(everywhere.stdout.split(separator: "\r\n").count == 3)
        let west = try cli.run(["list", "--bbox", "-1,51,0,52", "--format", "csv"])
        #expect(west.stdout.split(separator: "\r\n").count == 2 && west.stdout.contains("-0.1276"))
        let near = try cli.run(["list", "--near", "-33.8688,151.2093", "--radius", "1km", "--format", "csv"])
        #expect(near.stdout.split(separator: "\r\n").count == 2)
        let extent = try cli.run(["export", "reports", "--bbox", "-180,-85,180,85", "--out", "all.geojson"])
        #expect(extent.status == 0)
        // London is outside the Düsseldorf extent: an import names its own, or init changes the database's.
        try Data("lat,lon,category,time\r\n51.5080,-0.1280,cleanliness/litter,2026-11-27T10:00Z\r\n".utf8)
            .write(to: URL(fileURLWithPath: cli.folder.path("london.csv")))
        #expect(try cli.run(["import", "london.csv"]).stderr.contains("outside the city extent 6.6886,51.1243,6.9399,51.3526"))
        #expect(try cli.run(["import", "london.csv", "--extent", "-1,51,0,52"]).stdout.contains("1 imported"))
        #expect(try cli.run(["init", "--extent", "-1,51,0,52"]).stdout.contains("City extent of"))
        try Data("lat,lon,category,time\r\n51.5081,-0.1281,cleanliness/litter,2026-11-27T11:00Z\r\n".utf8)
            .write(to: URL(fileURLWithPath: cli.folder.path("london2.csv")))
        #expect(try cli.run(["import", "london2.csv"]).stdout.contains("1 imported"))
    }

    @Test func noteStatusReopenAndEditWriteTheHistory() throws {
        let cli = try Self.prepared()
        #expect(try cli.run(["log", "--lat", "51.2275", "--lon", "6.7711", "--category", "cleanliness/litter", "--at", "2026-11-26T09:00+01:00"]).status == 0)
        let yesterday = try cli.run(["status", "1", "acknowledged", "--at", "2026-11-26 10:00", "--actor", "Anna", "--note", "an AWISTA", "--public"])
        #expect(yesterday.stdout == "Report #1: open → acknowledged.\n")
        let early = try cli.run(["status", "1", "in-progress", "--at", "2026-11-26 09:30"])
        #expect(early.status == 1 && early.stderr.contains("--at 2026-11-26 09:30 is before the latest entry"))
        let malformed = try cli.run(["note", "1", "x", "--at", "gestern"])
        #expect(malformed.status == 1 && malformed.stderr.contains("--at 'gestern' is not a time"))
        #expect(try cli.run(["note", "1", "Eigentümer angeschrieben", "--at", "2026-11-26 11:00"]).stdout.contains("internal note added, dated 2026-11-26 11:00"))
        let notClosed = try cli.run(["reopen", "1", "--reason", "x"])
        #expect(notClosed.status == 1 && notClosed.stderr.contains("report #1 is acknowledged, still open"))
        #expect(try cli.run(["status", "1", "in-progress"]).status == 0)
        #expect(try cli.run(["status", "1", "resolved", "--note", "gereinigt", "--public"]).status == 0)
        #expect(try cli.run(["reopen", "1", "--reason", "wieder Scherben"]).stdout == "Report #1: resolved → open (reopened).\n")
        let moved = try cli.run(["edit", "1", "--lat", "51.2221", "--lon", "6.7924", "--category", "Graffiti / Schmierereien"])
        #expect(moved.stdout == "Report #1 edited: cleanliness/graffiti in Innenstadt Ost, on Konrad-Adenauer-Platz.\n")
        let half = try cli.run(["edit", "1", "--lat", "51.2221"])
        #expect(half.status == 64 && half.stderr.contains("give both"))
        let history = try cli.run(["show", "1", "--format", "json"]).stdout
        for text in ["an AWISTA", "Eigentümer angeschrieben", "reopened: wieder Scherben", "edited: category cleanliness/litter → cleanliness/graffiti",
                     "district Innenstadt West → Innenstadt Ost"] {
            #expect(history.contains(text), "\(text)")
        }
        #expect(history.contains("2026-11-26T10:00:00+01:00"))
    }

    @Test func assignAndOverdueByAgency() throws {
        let cli = try Self.prepared()
        #expect(try cli.run(["log", "--lat", "51.2221", "--lon", "6.7924", "--category", "orientation/missing-sign", "--at", "2026-11-20T09:00+01:00"]).status == 0)
        #expect(try cli.run(["log", "--lat", "51.2275", "--lon", "6.7711", "--category", "cleanliness/litter", "--at", "2026-11-01T09:00+01:00"]).status == 0)
        let assigned = try cli.run(["assign", "1", "verkehr", "--due", "2", "--at", "2026-11-20T10:00+01:00"])
        #expect(assigned.stdout == "Report #1 assigned to Amt für Verkehrsmanagement, due 2026-11-22 10:00.\n")
        // The help names the shipped routing's agencies, which it does not read at every start.
        let agencies = try Responsibilities.shipped().agencies.map(\.code).joined(separator: ", ")
        #expect(try cli.run(["assign", "--help"]).stdout.contains("Agencies (GeoData/responsibilities.json): \(agencies)."))
        let unknown = try cli.run(["assign", "1", "Feuerwehr"])
        #expect(unknown.status == 1 && unknown.stderr == "Error: unknown agency 'Feuerwehr'; use one of: awista, osd, verkehr, citymanagement (GeoData/responsibilities.json)\n")
        let byAgency = try cli.run(["overdue", "--by", "agency", "--format", "csv"])
        #expect(byAgency.stdout.split(separator: "\r\n") == ["agency,overdue,past due,oldest days",
                                                               "AWISTA (Abfallwirtschaft und Stadtreinigung),1,0,\(Self.days(since: "2026-11-01T09:00+01:00"))",
                                                               "Amt für Verkehrsmanagement,1,1,\(Self.days(since: "2026-11-20T09:00+01:00"))"])
        let shown = try cli.run(["show", "1", "--format", "json"]).stdout
        #expect(shown.contains("\"agency\" : \"verkehr\"") && shown.contains("\"due_at\" : \"2026-11-22T10:00:00+01:00\""))
    }

    static func days(since text: String) -> Int {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return Int(Date().timeIntervalSince(formatter.date(from: text.replacingOccurrences(of: "+01:00", with: ":00+01:00"))!) / 86_400)
    }
}
