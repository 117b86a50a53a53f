import Foundation
import Testing

/// `citymap vacancy …` and `citymap square …` as the office types them, on a real database.
@Suite("The vacancy and square commands")
struct VacancyCommandTests {
    static let owner = "Hausverwaltung Mustermann, erika.mustermann@example.org, +49 211 8991234"
    static let secrets = ["Mustermann", "erika.mustermann@example.org", "8991234", "Gründerin Xenia", "xenia@example.org"]

    static func prepared() throws -> CLI {
        let cli = try CLI()
        try #require(try cli.run(["init"]).status == 0)
        let added = try cli.run(["vacancy", "add", "--lat", "51,2262", "--lon", "6.7829", "--address", "Schadowstraße 12", "--floor", "EG",
                                 "--area-m2", "140", "--last-use", "Schuhgeschäft", "--owner", owner, "--at", "2026-01-15", "--format", "json"])
        try #require(added.status == 0, "\(added.stderr)")
        try #require(try cli.run(["vacancy", "status", "1", "marketed", "--at", "2026-03-01", "--note", "Exposé; Eigentümer \(owner)"]).status == 0)
        try #require(try cli.run(["vacancy", "enquiry", "add", "--wants", "Café", "--min-m2", "60", "--max-m2", "150",
                                  "--contact", "Gründerin Xenia, xenia@example.org", "--at", "2026-03-10"]).status == 0)
        try #require(try cli.run(["vacancy", "enquiry", "step", "1", "1", "viewing", "--at", "2026-03-12", "--note", "mit Gründerin Xenia"]).status == 0)
        return cli
    }

    @Test func addPrintsTheUnitAndJSONGivesItsID() throws {
        let cli = try CLI()
        try #require(try cli.run(["init"]).status == 0)
        let json = try cli.run(["vacancy", "add", "--lat", "51.2262", "--lon", "6.7829", "--address", "Schadowstraße 12", "--floor", "ground",
                                "--area-m2", "140", "--format", "json"])
        #expect(json.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["id"] as? Int == 1 && object["state"] as? String == "vacant" && object["district"] as? String == "Innenstadt Ost")
        let text = try cli.run(["vacancy", "add", "--lat", "51.2275", "--lon", "6.7711", "--address", "Burgplatz 1", "--floor", "upper"])
        #expect(text.stdout.hasPrefix("Added unit #2: Burgplatz 1, upper floor, vacant since ") && text.stdout.contains("in Innenstadt West, on Burgplatz."))
    }

    /// Bad input: one line naming what is wrong, a non-zero exit, and nothing written.
    @Test(arguments: [
        (["vacancy", "status", "1", "occupied", "--at", "2026-04-01"], "Error: unit #1 is marketed, so it cannot become occupied: it can move to vacant, in-contact, interim-use, re-let, demolished only"),
        (["vacancy", "status", "1", "leased"], "Error: 'leased' is not a state of the register; use one of: occupied, vacant, in-contact, marketed, interim-use, re-let, demolished"),
        (["vacancy", "status", "1", "vacant", "--at", "2026-02-01"], "Error: --at 2026-02-01 00:00 is before the unit's latest change"),
        (["vacancy", "add", "--lat", "51.2262", "--lon", "6.7829", "--address", "X 1", "--floor", "ground", "--area-m2", "0"], "Error: --area-m2 0.0 is not a floor area"),
        (["vacancy", "add", "--lat", "95", "--lon", "6.7829", "--address", "X 1", "--floor", "ground"], "Error: latitude 95.0 is outside -90…90"),
        (["vacancy", "add", "--address", "X 1", "--floor", "ground"], "Error: give --lat and --lon, or --from-report"),
        (["vacancy", "add", "--lat", "51.2262", "--lon", "6.7829", "--address", "X 1", "--floor", "Keller"], "Error: --floor 'Keller' is not a floor; use ground or upper (EG/OG)"),
        (["vacancy", "enquiry", "add", "--wants", "Bar", "--budget", "viel"], "Error: --budget 'viel' is not a budget band"),
        (["vacancy", "enquiry", "step", "1", "9", "viewing"], "Error: there is no unit #9 in the vacancy register"),
        (["vacancy", "match", "7"], "Error: there is no enquiry #7"),
        (["square", "check", "Schadowplatz", "--scores", "cleanliness=4,seating=3,greenery=2,lighting=4,safety=3,liveliness=4,accessibility=5"], "Error: unknown square 'Schadowplatz'"),
        (["square", "check", "burgplatz", "--scores", "cleanliness=4"], "Error: --scores lacks seating"),
        (["vacancy", "report", "--at", "gestern"], "Error: --at 'gestern' is not a date"),
    ])
    func badInputIsOneLineAndWritesNothing(arguments: [String], expected: String) throws {
        let cli = try Self.prepared()
        let before = try cli.run(["vacancy", "show", "1", "--format", "json"]).stdout
        let result = try cli.run(arguments)
        #expect(result.status != 0)
        #expect(result.stderr.hasPrefix(expected), "\(result.stderr)")
        // One line of error; the argument parser adds its usage line and a pointer to --help for malformed arguments.
        let lines = result.stderr.split(separator: "\n").filter { !$0.hasPrefix("Usage:") && !$0.hasPrefix("  See") && !$0.hasPrefix("       ") }
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(try cli.run(["vacancy", "show", "1", "--format", "json"]).stdout == before)
        #expect(try cli.run(["vacancy", "list", "--format", "csv"]).stdout.split(separator: "\r\n").count == 2)
    }

    /// DSGVO: the owner's and the enquirer's contacts, and brokering notes, are in `vacancy show` (internal) and in no
    /// public output, in any format: list, export, report, summary, areas and the report export.
    @Test func contactsNeverLeaveThroughAPublicOutput() throws {
        let cli = try Self.prepared()
        try #require(try cli.run(["square", "check", "burgplatz", "--scores", "cleanliness=4,seating=3,greenery=2,lighting=4,safety=3,liveliness=4,accessibility=5",
                                  "--note", "Gespräch mit Gründerin Xenia", "--at", "2026-03-01"]).status == 0)
        let internalView = try cli.run(["vacancy", "show", "1"])
        #expect(internalView.stdout.contains(Self.owner))
        var outputs: [[String]] = []
        for format in ["table", "json", "csv"] {
            outputs.append(["vacancy", "list", "--format", format])
            outputs.append(["vacancy", "enquiry", "list", "--format", format])
            outputs.append(["vacancy", "match", "1", "--format", format])
        }
        for format in ["geojson", "geojsonseq", "csv"] { outputs.append(["vacancy", "export", "--format", format]) }
        for format in ["table", "markdown", "csv", "json"] {
            outputs.append(["vacancy", "report", "--month", "2026-03", "--format", format])
            outputs.append(["summary", "--month", "2026-03", "--format", format])
        }
        outputs.append(["export", "reports", "--format", "geojson"])
        for arguments in outputs {
            let result = try cli.run(arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(!result.stdout.isEmpty, "\(arguments)")
            for secret in Self.secrets {
                #expect(!result.stdout.contains(secret), "'\(secret)' in `citymap \(arguments.joined(separator: " "))`")
            }
        }
        let export = try cli.run(["vacancy", "export"])
        let collection = try #require(try JSONSerialization.jsonObject(with: Data(export.stdout.utf8)) as? [String: Any])
        let features = try #require(collection["features"] as? [[String: Any]])
        try #require(features.count == 1)
        let properties = try #require(features[0]["properties"] as? [String: Any])
        #expect(properties["marker-color"] as? String == "#bcbd22" && properties["state"] as? String == "marketed")
    }

    @Test func aKatasterLoadsAndABadOneWritesNothing() throws {
        let cli = try CLI()
        try #require(try cli.run(["init"]).status == 0)
        let fixtures = VacancyStoreTests.fixtures
        let first = try cli.run(["vacancy", "import", fixtures.appendingPathComponent("leerstandskataster.csv").path])
        #expect(first.stdout.contains("4 added, 0 changed state, 0 unchanged"))
        let bad = fixtures.appendingPathComponent("leerstandskataster-bad-transition.csv").path
        let refused = try cli.run(["vacancy", "import", bad])
        #expect(refused.status != 0)
        #expect(refused.stderr == "Error: \(bad): line 3, field 'state': unit #4 is occupied, so it cannot become re-let: it can move to vacant, demolished only\n")
        #expect(try cli.run(["vacancy", "list", "--format", "csv"]).stdout.split(separator: "\r\n").count == 5)
        let report = try cli.run(["vacancy", "report", "--at", "2026-04-30", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
        let all = try #require(object["all"] as? [String: Any])
        // By hand: at the end of 30 April, 4 units; LK-001 vacant, LK-002 marketed, LK-003 interim use, LK-004 occupied.
        #expect(all["units"] as? Int == 4 && all["vacant"] as? Int == 2 && all["interim_use"] as? Int == 1 && all["vacancy_rate"] as? Double == 0.5)
    }
}
