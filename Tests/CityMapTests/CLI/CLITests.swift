import Foundation
import Testing

/// Runs the real `citymap` executable (built with the tests) in a temporary folder.
struct CLI {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    let folder: TemporaryFolder
    var db: String { folder.path("citymap.sqlite") }

    init() throws { folder = try TemporaryFolder() }

    static let executable: URL = {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [beside, beside.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("citymap")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/citymap")
    }()

    @discardableResult
    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        process.currentDirectoryURL = folder.url
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Reports and history rows, to prove that a refused command wrote nothing.
    func rowCounts() throws -> String {
        let list = try run(["list", "--format", "csv"])
        return "\(list.stdout.split(separator: "\r\n").count)"
    }
}

@Suite("The citymap command line")
struct CLITests {
    @Test func initLogShowListStatus() throws {
        let cli = try CLI()
        let created = try cli.run(["init"])
        #expect(created.status == 0)
        #expect(created.stdout.contains("2 districts") && created.stdout.contains("7 squares"))
        #expect(try cli.run(["init"]).stdout.contains("nothing changed"))

        let logged = try cli.run(["log", "--lat", "51.2275", "--lon", "6.7711", "--category", "cleanliness/litter",
                                  "--note", "Scherben", "--accuracy", "8", "--at", "2026-11-27T10:15+01:00", "--reporter", "Anna"])
        #expect(logged.status == 0)
        #expect(logged.stdout == "Logged report #1: cleanliness/litter in Innenstadt West, on Burgplatz.\n")
        #expect(logged.stderr.isEmpty)

        let duplicate = try cli.run(["log", "--lat", "51.22755", "--lon", "6.77115", "--category", "cleanliness/litter"])
        #expect(duplicate.stderr.contains("likely duplicate of report #1"))

        let outside = try cli.run(["log", "--lat", "51.2360", "--lon", "6.7900", "--category", "vacancy/vacant-shop"])
        #expect(outside.status == 0)
        #expect(outside.stderr.contains("outside every district"))

        let ost = try cli.run(["log", "--lat", "51.2221", "--lon", "6.7924", "--category", "safety/poor-lighting", "--format", "json"])
        #expect(ost.stdout.contains("\"district\" : \"Innenstadt Ost\""))

        #expect(try cli.run(["status", "1", "acknowledged", "--note", "an AWISTA"]).stdout == "Report #1: open → acknowledged.\n")
        #expect(try cli.run(["status", "2", "duplicate", "--of", "1"]).stdout.contains("duplicate of #1"))

        let shown = try cli.run(["show", "1"])
        #expect(shown.stdout.contains("observed_at   2026-11-27T10:15:00+01:00"))
        #expect(shown.stdout.contains("an AWISTA"))

        let west = try cli.run(["list", "--district", "west", "--format", "csv"])
        #expect(west.stdout.split(separator: "\r\n").count == 3) // header + 2
        let near = try cli.run(["list", "--near", "51.2221,6.7924", "--radius", "50m"])
        #expect(near.stdout.contains("safety/poor-lighting") && near.stdout.hasSuffix("1 report\n"))

        let areas = try cli.run(["areas", "list", "--format", "csv"])
        #expect(areas.stdout.contains("district,west,Innenstadt West,,2"))
        #expect(areas.stdout.contains("square,graf-adolf-platz,Graf-Adolf-Platz,ost,"))
    }

    @Test(arguments: [
        (["log", "--lat", "95", "--lon", "6.7711", "--category", "cleanliness/litter"], "latitude 95.0 is outside -90…90"),
        (["log", "--lat", "nan", "--lon", "6.7711", "--category", "cleanliness/litter"], "latitude is not a number"),
        (["log", "--lat", "51.2275", "--lon", "6.7711", "--category", "cleanliness/unicorns"], "unknown category 'cleanliness/unicorns'"),
        (["log", "--lat", "51.2275", "--lon", "6.7711", "--category", "cleanliness/litter", "--at", "27.11.2026 10:15"], "--at '27.11.2026 10:15' is not a time"),
        (["status", "1", "resolved"], "report #1 is open, so it cannot become resolved"),
        (["status", "99", "acknowledged"], "there is no report #99"),
        (["show", "99"], "there is no report #99"),
        (["list", "--db", "no/such/folder/x.sqlite"], "the folder"),
        (["log", "--db", "no/such/folder/x.sqlite", "--lat", "51.2275", "--lon", "6.7711", "--category", "cleanliness/litter"], "does not exist"),
        (["list", "--district", "pempelfort"], "unknown district 'pempelfort'"),
        (["list", "--until", "2026-11-01", "--since", "2026-11-30"], "the period is empty"),
    ])
    func badInputGetsOneLineErrorAndWritesNothing(arguments: [String], expected: String) throws {
        let cli = try CLI()
        try cli.run(["init"])
        try cli.run(["log", "--lat", "51.2275", "--lon", "6.7711", "--category", "cleanliness/litter"])
        let before = try Data(contentsOf: URL(fileURLWithPath: cli.db))
        let result = try cli.run(arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains(expected), "stderr: \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: cli.db)) == before, "the database file is unchanged")
        #expect(!FileManager.default.fileExists(atPath: cli.folder.path("no")))
    }

    @Test(arguments: [
        (["summary", "--district", "nord"], "unknown district 'nord'"),
        (["summary", "--from", "2026-11-30", "--to", "2026-11-01"], "--to 2026-11-01 comes before --from 2026-11-30"),
        (["summary", "--month", "2026-13"], "--month '2026-13' is not a month"),
        (["summary", "--by", "colour"], "colour"),
        (["summary", "--month", "2026-11", "--last", "30d"], "choose one period"),
        (["hotspots", "clusters", "--eps", "0m"], "--eps must be more than 0 m"),
        (["hotspots", "clusters", "--eps=-3m"], "'-3m' is not a length"),
        (["hotspots", "clusters", "--min-points", "0"], "--min-points must be at least 1"),
    ])
    func summaryBadInput(arguments: [String], expected: String) throws {
        let cli = try CLI()
        try cli.run(["init"])
        let result = try cli.run(arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains(expected), "\(result.stderr)")
    }

    @Test func hotspotsOnAnEmptyWindowSayNoReportsMatchAndExitZero() throws {
        let cli = try CLI()
        try cli.run(["init"])
        let result = try cli.run(["hotspots", "clusters", "--since", "2030-01-01"])
        #expect(result.status == 0 && result.stdout.isEmpty && result.stderr == "no reports match\n")
    }

    @Test func summaryMarkdownHasHeadingsTablesAndAParagraph() throws {
        let cli = try CLI()
        try cli.run(["init"])
        try cli.run(["log", "--lat", "51.2275", "--lon", "6.7711", "--category", "cleanliness/litter", "--at", "2026-11-05T10:00+01:00"])
        let md = try cli.run(["summary", "--month", "2026-11", "--format", "markdown"])
        #expect(md.status == 0)
        #expect(md.stdout.hasPrefix("# Citymanagement summary 2026-11 (compared with 2026-10)\n"))
        #expect(md.stdout.contains("## Innenstadt West\n\nIn Innenstadt West, 1 concern was reported in 2026-11, where the period before had none."))
        #expect(md.stdout.contains("| category | 2026-11 | 2026-10 | change | change % |\n|---|---|---|---|---|\n| cleanliness | 1 | 0 | +1 | new |"))
        #expect(!md.stdout.contains("\u{1B}"), "no colour codes outside a terminal")
        #expect(md.stdout.contains("### Top hotspots (DBSCAN, 30 m, 5 reports)"))
        let overdue = try cli.run(["overdue", "--overdue-after", "1", "--format", "csv"])
        #expect(overdue.stdout.contains(",cleanliness/litter,Innenstadt West,"))
    }

    @Test func commandsOtherThanInitNeedADatabase() throws {
        let cli = try CLI()
        let result = try cli.run(["list"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("citymap init"))
        #expect(!FileManager.default.fileExists(atPath: cli.db))
    }

    @Test func dbComesFromTheEnvironment() throws {
        let cli = try CLI()
        let other = cli.folder.path("other.sqlite")
        #expect(try cli.run(["init"], environment: ["CITYMAP_DB": other]).status == 0)
        #expect(FileManager.default.fileExists(atPath: other))
        #expect(!FileManager.default.fileExists(atPath: cli.db))
    }

    @Test func everyCommandHasHelp() throws {
        let cli = try CLI()
        for command in [["init"], ["log"], ["show"], ["list"], ["status"], ["import"], ["export"], ["walks", "list"], ["summary"],
                        ["overdue"], ["hotspots"], ["hotspots", "clusters"], ["hotspots", "gi"], ["hotspots", "density"], ["hotspots", "dbscan"], ["areas", "list"], ["areas", "import"], ["demo"]] {
            let help = try cli.run(command + ["--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("OVERVIEW:"), "\(command)")
        }
    }

    @Test func demoBuildsASampleDatabaseWithCountsPerDistrict() throws {
        let cli = try CLI()
        let demo = try cli.run(["demo", "--out", "demo.sqlite"])
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(demo.stdout.contains("Innenstadt West        14 reports, 12 still open"))
        #expect(demo.stdout.contains("Innenstadt Ost         11 reports, 11 still open"))
        #expect(demo.stdout.contains("outside the districts  1 report, 1 still open"))
        #expect(demo.stdout.contains("#2 open → duplicate of #1 (cleanliness/litter, 12.2 m apart)"))
        #expect(demo.stdout.contains("Team West: 1.29 km, 14 reports, through Innenstadt West"))
        #expect(demo.stdout.contains("7. District summary") && demo.stdout.contains("Overdue (open, no response)"))
        #expect(demo.stdout.contains("5. Leerstand register: 5 units with their histories"))
        #expect(demo.stdout.contains("Vacancy (Leerstand) at the end of 2026-11") && demo.stdout.contains("check mean"))
        #expect(demo.stdout.contains("In Innenstadt West, 14 concerns were reported in 2026-11"))
        #expect(demo.stdout.contains("Top hotspots per district"))
        #expect(demo.stdout.contains("Innenstadt West: #1 3 reports, mostly cleanliness on Burgplatz"))
        for layer in ["reports", "walks", "areas", "hotspots"] {
            #expect(FileManager.default.fileExists(atPath: cli.folder.path("demo-\(layer).geojson")))
        }
        #expect(FileManager.default.fileExists(atPath: cli.folder.path("demo.sqlite")))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: cli.folder.url.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }
}
