import Foundation
import Testing

/// SpatiaLite and PROJ are opened with dlopen when a command first needs them (`Sources/CGeoLibraries`), so that
/// an export starts without the fifty shared objects they bring. Which objects a process loaded is read from the
/// dynamic loader's own account of it (glibc's `LD_DEBUG=files`, on standard error).
@Suite("PROJ and SpatiaLite are opened on first use")
struct LibraryLoadingTests {
    /// The base names of the shared objects the loader reported opening, e.g. "libproj.so.25".
    static func loadedObjects(_ stderr: String) -> Set<String> {
        var names = Set<String>()
        for line in stderr.split(separator: "\n") {
            guard let start = line.range(of: "file=") else { continue }
            let rest = line[start.upperBound...]
            let name = rest.prefix { $0 != " " && $0 != ";" && $0 != "\t" }
            names.insert(String(name.split(separator: "/").last ?? name))
        }
        return names
    }

    static func mentions(_ names: Set<String>, _ library: String) -> Bool {
        names.contains { $0 == library || $0.hasPrefix(library + ".") }
    }

    #if canImport(Glibc)
    static let loaderReports = true
    #else
    static let loaderReports = false
    #endif

    @Test(.enabled(if: loaderReports, "LD_DEBUG is glibc's"))
    func eachCommandOpensOnlyWhatItCalls() throws {
        let cli = try CLI()
        #expect(try cli.run(["init"]).status == 0)
        let trace = ["LD_DEBUG": "files"]
        var logged: [Set<String>] = []
        for (lat, lon) in [("51.2275", "6.7711"), ("51.2221", "6.7924")] {
            let log = try cli.run(["log", "--lat", lat, "--lon", lon, "--category", "cleanliness/litter"], environment: trace)
            #expect(log.status == 0)
            logged.append(Self.loadedObjects(log.stderr))
        }
        // A write: SpatiaLite's triggers keep the geometry's constraints and the R*Tree; PROJ places the point.
        #expect(logged.allSatisfy { Self.mentions($0, "libspatialite.so") && Self.mentions($0, "libproj.so") })

        let export = try cli.run(["export", "reports", "--out", "reports.geojson"], environment: trace)
        #expect(export.status == 0)
        let exported = try String(contentsOfFile: cli.folder.path("reports.geojson"), encoding: .utf8)
        #expect(exported.components(separatedBy: "\"type\":\"Feature\"").count - 1 == 2)
        #expect(exported.contains("[6.7711,51.2275]"))
        let exportLoaded = Self.loadedObjects(export.stderr)
        #expect(Self.mentions(exportLoaded, "libsqlite3.so"), "the loader's account names SQLite, which is linked")
        #expect(!Self.mentions(exportLoaded, "libproj.so"))
        #expect(!Self.mentions(exportLoaded, "libspatialite.so"))
        #expect(!Self.mentions(exportLoaded, "libgeos_c.so"))

        // Near a place: PROJ projects the place; the R*Tree table and the x, y columns are SQLite's own.
        let near = try cli.run(["list", "--near", "51.2275,6.7711", "--radius", "50m", "--format", "json"], environment: trace)
        #expect(near.status == 0)
        #expect(near.stdout.components(separatedBy: "\"id\"").count - 1 == 1)
        #expect(near.stdout.contains("\"lon\" : 6.7711") && near.stdout.contains("\"lat\" : 51.2275"))
        let nearLoaded = Self.loadedObjects(near.stderr)
        #expect(Self.mentions(nearLoaded, "libproj.so"))
        #expect(!Self.mentions(nearLoaded, "libspatialite.so"))

        // A box by longitude and latitude calls SpatiaLite's ST_X and ST_Y.
        let box = try cli.run(["list", "--bbox", "6.79,51.22,6.80,51.23", "--format", "csv"], environment: trace)
        #expect(box.status == 0)
        #expect(box.stdout.split(separator: "\r\n").count == 2) // the header and the report in Innenstadt Ost
        #expect(Self.mentions(Self.loadedObjects(box.stderr), "libspatialite.so"))
    }

    static let procfs = FileManager.default.fileExists(atPath: "/proc/self/fd")

    /// SpatiaLite's connection caches make a PROJ context each and would open proj.db for it; citymap never asks
    /// SpatiaLite to transform, so their contexts get no data folder (`CGeoLibraries`). A running server, with
    /// SpatiaLite in every connection, holds the database open and no proj.db.
    @Test(.enabled(if: procfs, "reads the server's open files in /proc"))
    func spatiaLiteConnectionsOpenNoProjDatabase() throws {
        let cli = try CLI()
        #expect(try cli.run(["init"]).status == 0)
        let server = Process()
        server.executableURL = CLI.executable
        server.arguments = ["serve", "--db", cli.db, "--port", "0"]
        server.currentDirectoryURL = cli.folder.url
        server.standardOutput = FileHandle.nullDevice
        let err = Pipe()
        server.standardError = err
        try server.run()
        defer { server.terminate(); server.waitUntilExit() }
        var said = ""
        while !said.contains("listening on") {
            let data = err.fileHandleForReading.availableData
            try #require(!data.isEmpty, "citymap serve ended: \(said)")
            said += String(decoding: data, as: UTF8.self)
        }
        let folder = "/proc/\(server.processIdentifier)/fd"
        let open = try FileManager.default.contentsOfDirectory(atPath: folder)
            .compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: folder + "/" + $0) }
        #expect(open.contains { $0.hasSuffix("citymap.sqlite") }, "the server's open files are read: \(open)")
        let maps = try String(contentsOfFile: "/proc/\(server.processIdentifier)/maps", encoding: .utf8)
        #expect(maps.contains("libspatialite.so"), "SpatiaLite is loaded")
        #expect(!open.contains { $0.hasSuffix("proj.db") }, "\(open)")
    }

    /// A writing command starts opening PROJ and SpatiaLite before it parses; one that fails at once (no such
    /// folder, a malformed number) waits for that before it exits, whose C++ destructors must not run under the
    /// loading thread. Without the wait such runs aborted (std::length_error, a double free): 1 of 60 `log`s into a missing folder.
    @Test func aWriteThatFailsAtOnceExitsCleanlyWhileTheLibrariesLoad() throws {
        let cli = try CLI()
        #expect(try cli.run(["init"]).status == 0)
        for _ in 0..<15 {
            let missing = try cli.run(["log", "--db", "no/such/folder/x.sqlite", "--lat", "51.2275", "--lon", "6.7711",
                                       "--category", "cleanliness/litter"])
            #expect(missing.status == 1)
            #expect(missing.stderr.split(separator: "\n").count == 1, "\(missing.stderr)")
            let malformed = try cli.run(["log", "--lat", "north", "--lon", "6.7711", "--category", "cleanliness/litter"])
            #expect(malformed.status == 1)
            #expect(malformed.stderr.split(separator: "\n").count == 1 && malformed.stderr.contains("latitude"), "\(malformed.stderr)")
        }
    }
}
