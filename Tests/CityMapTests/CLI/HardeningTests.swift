import Foundation
import GRDB
import Testing
@testable import CityMap

/// Regression tests for issue 12: each case failed (lost data, crashed, leaked or misled) before it was fixed.
/// They run the real `citymap` executable on real files, so an exit by signal (132, 134) shows as such.
@Suite("Hardening: nothing lost, nothing crashes, nothing leaks")
struct HardeningTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func initialised() throws -> CLI {
        let cli = try CLI()
        #expect(try cli.run(["init"]).status == 0)
        #expect(try cli.run(["log", "--lat", "51.2275", "--lon", "6.7711", "--category", "cleanliness/litter", "--note", "Scherben"]).status == 0)
        return cli
    }

    static func bytes(_ path: String) -> Data { FileManager.default.contents(atPath: path) ?? Data() }

    // MARK: Crashes

    /// These three inputs trapped inside FoundationXML or in Timestamp (exit 132/134); they are kept as files.
    @Test(arguments: [
        ("crashes/open311-invalid-byte-in-element-name.xml", "line 5: is not UTF-8 text"),
        ("crashes/gpx-invalid-byte-in-attribute-name.gpx", "line 5: is not UTF-8 text"),
        ("crashes/time-with-22-digits.csv", "line 2, field 'time': '1234567890123456789012' is not a time: 22 digits"),
        ("crashes/time-with-21-digits.csv", "line 2, field 'time': '123456789012345678901' is not a time: 21 digits"),
        // Found by tools/fuzz: FoundationXML dereferenced a null pointer (exit 139) on `<?x?>`.
        ("crashes/open311-processing-instruction-without-data.xml", "is not well-formed XML"),
        ("crashes/open311-processing-instruction-after-malformed-comment.xml", "is not well-formed XML"),
        // Found by tools/fuzz: aborting the parse inside FoundationXML's error callback made libxml2 read freed memory.
        ("crashes/gpx-abort-inside-error-callback.gpx", "is not well-formed GPX: an encoding that cannot be read (use UTF-8)"),
        ("crashes/open311-abort-inside-error-callback.xml", "is not well-formed XML: an encoding that cannot be read (use UTF-8)"),
    ])
    func crashInputsAreRefusedByLineAndNothingIsImported(fixture: String, expected: String) throws {
        let cli = try Self.initialised()
        // The format is named, so that each file reaches its parser whatever its first bytes look like.
        let format = fixture.hasSuffix(".xml") ? ["--format", "open311-xml"] : []
        let result = try cli.run(["import", Self.fixtures.appendingPathComponent(fixture).path] + format)
        #expect(result.status == 1, "exit \(result.status): \(result.stderr)")
        #expect(result.stderr.contains(expected), "\(result.stderr)")
        #expect(try cli.run(["list", "--format", "csv"]).stdout.split(separator: "\r\n").count == 2)
    }

    /// Found by tools/fuzz in the time parser: an upper bound in GDAL's date form trapped the command.
    @Test func anUpperBoundWithSlashesIsADay() throws {
        let cli = try Self.initialised()
        #expect(try cli.run(["log", "--lat", "51.2275", "--lon", "6.7711", "--category", "cleanliness/litter", "--at", "2026-03-31T23:30+02:00"]).status == 0)
        let listed = try cli.run(["list", "--until", "2026/03/31", "--format", "csv"])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.split(separator: "\r\n").count == 2)
    }

    /// A processing instruction without data crashed the XML parser; now it is read as XML reads it. Text in CDATA
    /// is read too (it was dropped before: a description in CDATA came out empty).
    @Test func aProcessingInstructionWithoutDataIsReadAndTextIsKept() throws {
        let cli = try Self.initialised()
        let result = try cli.run(["import", Self.fixtures.appendingPathComponent("crashes/gpx-processing-instruction-without-data.gpx").path])
        #expect(result.status == 0, "exit \(result.status): \(result.stderr)")
        #expect(try cli.run(["show", "2"]).stdout.contains("a <?z ?> b"))
    }

    @Test func aGiCellOfAMillimetreIsRefusedInsteadOfAllocatingTerabytes() throws {
        let cli = try Self.initialised()
        let result = try cli.run(["hotspots", "gi", "--cell", "0.001m"])
        #expect(result.status != 0 && result.status < 128, "exit \(result.status)")
        #expect(result.stderr.contains("cell"), "\(result.stderr)")
    }

    @Test func aRadiusPastAnyDistanceIsRefusedInsteadOfMatchingNothing() throws {
        let cli = try Self.initialised()
        let result = try cli.run(["list", "--near", "51.2275,6.7711", "--radius", "1e308km"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("1e308km"), "\(result.stderr)")
    }

    // MARK: Output paths

    @Test func anOutputNeverReplacesTheDatabaseItsJournalOrAnInput() throws {
        let cli = try Self.initialised()
        let input = cli.folder.path("in.csv")
        try "lat,lon,category,time\n51.2275,6.7711,cleanliness/litter,2026-11-27T10:00Z\nx,6.77,cleanliness/litter,2026-11-27T10:00Z\n"
            .write(toFile: input, atomically: true, encoding: .utf8)
        FileManager.default.createFile(atPath: cli.db + "-journal", contents: Data("journal".utf8))
        defer { try? FileManager.default.removeItem(atPath: cli.db + "-journal") }
        try FileManager.default.createSymbolicLink(atPath: cli.folder.path("link.geojson"), withDestinationPath: cli.db)
        let database = Self.bytes(cli.db), original = Self.bytes(input)
        try FileManager.default.removeItem(atPath: cli.db + "-journal")

        for out in [cli.db, "citymap.sqlite", "./citymap.sqlite", cli.db + "-wal", cli.folder.path("link.geojson")] {
            let result = try cli.run(["export", "reports", "--out", out])
            #expect(result.status != 0, "export --out \(out) succeeded")
            #expect(result.stderr.contains("is the database; an output never replaces it"), "\(result.stderr)")
        }
        for out in [cli.db, input] {
            let result = try cli.run(["import", input, "--skip-invalid", "--rejects", out])
            #expect(result.status != 0, "--rejects \(out) succeeded")
            #expect(result.stderr.contains("an output never replaces it"), "\(result.stderr)")
        }
        let hotspots = try cli.run(["hotspots", "clusters", "--out", cli.db])
        #expect(hotspots.status != 0)
        #expect(Self.bytes(cli.db) == database)
        #expect(Self.bytes(input) == original)
        #expect(try cli.run(["list", "--format", "csv"]).stdout.split(separator: "\r\n").count == 2, "the refused import wrote nothing")
    }

    @Test func anOutputIsNeverADeviceAFolderOrAPipe() throws {
        let cli = try Self.initialised()
        let fifo = cli.folder.path("pipe")
        #expect(mkfifo(fifo, 0o600) == 0)
        for out in [fifo, cli.folder.url.path, "/dev/null"] {
            let result = try cli.run(["export", "reports", "--out", out])
            #expect(result.status != 0, "export --out \(out) succeeded")
            #expect(result.stderr.contains("is not a regular file"), "\(result.stderr)")
        }
        var info = stat()
        #expect(stat("/dev/null", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR, "/dev/null is still a device")
        #expect(stat(fifo, &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO)
    }

    @Test func aDatabaseOnADeviceIsRefusedWithoutAJournalBesideIt() throws {
        let cli = try CLI()
        let journal = "/dev/null-journal"
        let existed = FileManager.default.fileExists(atPath: journal)
        defer { if !existed { try? FileManager.default.removeItem(atPath: journal) } }
        let result = try cli.run(["list", "--db", "/dev/null"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("/dev/null is not a regular file"), "\(result.stderr)")
        #expect(existed || !FileManager.default.fileExists(atPath: journal))
    }

    @Test func aPartialFileOfADeadProcessIsRemovedAndALiveOneKept() throws {
        let cli = try Self.initialised()
        // A process that has exited: its pid is free.
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let dead = cli.folder.path(".out.geojson.\(gone.processIdentifier).partial")
        let live = cli.folder.path(".out.geojson.\(getpid()).partial")
        FileManager.default.createFile(atPath: dead, contents: Data(repeating: 0x20, count: 4096))
        FileManager.default.createFile(atPath: live, contents: Data("still writing".utf8))
        #expect(try cli.run(["export", "reports", "--out", "out.geojson"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: dead), "the dead process's partial file is still there")
        #expect(FileManager.default.fileExists(atPath: live), "a running process's partial file was removed")
    }

    @Test func newDatabasesInternalExportsAndRejectsAreForTheOwnerOnly() throws {
        let cli = try Self.initialised()
        func mode(_ path: String) -> mode_t {
            var info = stat()
            return stat(path, &info) == 0 ? info.st_mode & 0o777 : 0
        }
        #expect(mode(cli.db) == 0o600)
        #expect(try cli.run(["export", "reports", "--profile", "internal", "--out", "internal.geojson"]).status == 0)
        #expect(mode(cli.folder.path("internal.geojson")) == 0o600)
        #expect(try cli.run(["export", "reports", "--out", "public.geojson"]).status == 0)
        #expect(mode(cli.folder.path("public.geojson")) == 0o644)
        try "lat,lon,category,time\nx,6.77,cleanliness/litter,2026-11-27T10:00Z\n".write(toFile: cli.folder.path("bad.csv"), atomically: true, encoding: .utf8)
        #expect(try cli.run(["import", "bad.csv", "--skip-invalid", "--rejects", "rejects.csv"]).status == 0)
        #expect(mode(cli.folder.path("rejects.csv")) == 0o600)
    }

    // MARK: Display

    @Test func controlCharactersInTextAreShownEscapedInTables() throws {
        let cli = try CLI()
        #expect(try cli.run(["init"]).status == 0)
        let note = "clear\u{1B}[2J title\u{1B}]0;pwned\u{07} turned\u{202E}txt.exe bell\u{9B}"
        #expect(try cli.run(["log", "--lat", "51.2275", "--lon", "6.7711", "--category", "cleanliness/litter", "--note", note]).status == 0)
        let area = """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Platz\\u001b[31mrot"},
            "geometry":{"type":"Polygon","coordinates":[[[6.770,51.227],[6.772,51.227],[6.772,51.228],[6.770,51.228],[6.770,51.227]]]}}]}
            """
        try area.write(toFile: cli.folder.path("area.geojson"), atomically: true, encoding: .utf8)
        #expect(try cli.run(["areas", "import", "area.geojson", "--kind", "square"]).status == 0)
        for command in [["list"], ["show", "1"], ["areas", "list"]] {
            let out = try cli.run(command).stdout
            let controls = out.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) || $0 == "\u{202E}" }
            #expect(controls.isEmpty, "\(command): \(controls.map { String($0.value, radix: 16) })")
        }
        #expect(try cli.run(["show", "1"]).stdout.contains("clear\\u{1B}[2J title\\u{1B}]0;pwned\\u{7} turned\\u{202E}txt.exe bell\\u{9B}"))
        #expect(try cli.run(["areas", "list"]).stdout.contains("Platz\\u{1B}[31mrot"))
    }

    /// OWASP, CSV Injection: cells starting with = + - @ tab or carriage return are prefixed with a single quote.
    @Test(arguments: [
        ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
        ("+1+cmd|' /C calc'!A0", "\"'+1+cmd|' /C calc'!A0\""),
        ("-2+3", "\"'-2+3\""), ("@SUM(A1:A2)", "\"'@SUM(A1:A2)\""), ("\tTab", "\"'\tTab\""), ("\rcr", "\"'\rcr\""),
        ("-3", "-3"), ("-6.5e-3", "-6.5e-3"), ("+49", "+49"), ("plain", "plain"), ("a=b", "a=b"), ("", ""),
    ])
    func csvCellsThatASpreadsheetWouldRunStartWithAQuote(cell: String, expected: String) {
        #expect(CSVField.escape(cell) == expected)
        var bytes: [UInt8] = []
        Array(cell.utf8).withUnsafeBufferPointer { bytes.appendCSVField(bytes: $0) }
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
    }

    @Test func everyCSVOutputNeutralisesFormulas() throws {
        let cli = try CLI()
        #expect(try cli.run(["init"]).status == 0)
        #expect(try cli.run(["log", "--lat", "51.2275", "--lon", "6.7711", "--category", "cleanliness/litter",
                             "--note", "=HYPERLINK(\"http://evil\")", "--reporter", "@admin"]).status == 0)
        for command in [["export", "reports", "--format", "csv"], ["export", "reports", "--format", "csv", "--profile", "internal"],
                        ["list", "--format", "csv"], ["show", "1", "--format", "csv"]] {
            let out = try cli.run(command).stdout
            #expect(out.contains("'=HYPERLINK"), "\(command): \(out)")
            #expect(!out.contains(",=HYPERLINK") && !out.contains(",\"=HYPERLINK"), "\(command)")
        }
        #expect(try cli.run(["export", "reports", "--format", "csv", "--profile", "internal"]).stdout.contains("'@admin"))
        try "lat,lon,category,time\n=1+1,6.77,cleanliness/litter,2026-11-27T10:00Z\n".write(toFile: cli.folder.path("bad.csv"), atomically: true, encoding: .utf8)
        #expect(try cli.run(["import", "bad.csv", "--skip-invalid", "--rejects", "rejects.csv"]).status == 0)
        let rejects = String(decoding: Self.bytes(cli.folder.path("rejects.csv")), as: UTF8.self)
        #expect(!rejects.split(separator: "\n").contains { $0.hasPrefix("=") || $0.contains(",=") }, "\(rejects)")
    }

    // MARK: Waiting writers

    /// SpatiaLite's initialisation sets a 5 s busy timeout on every connection, which replaced citymap's own wait:
    /// `log` failed after 5 s whatever the timeout. Here another connection holds the write lock for 6.5 s.
    @Test func logWaitsForAnotherWriterAndPastItsLimitSaysNothingWasWritten() async throws {
        let cli = try Self.initialised()
        let holder = try DatabaseQueue(path: cli.db)
        let locked = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            try? holder.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                locked.signal()
                Thread.sleep(forTimeInterval: 6.5)
                try db.execute(sql: "COMMIT")
            }
            done.signal()
        }
        locked.wait()
        let log = ["log", "--lat", "51.2275", "--lon", "6.7711", "--category", "cleanliness/litter"]
        let short = try cli.run(log + ["--wait", "1", "--note", "too impatient"])
        #expect(short.status != 0)
        #expect(short.stderr.contains("nothing was written, and it is safe to try again"), "\(short.stderr)")
        let start = Date()
        let patient = try cli.run(log + ["--wait", "30", "--note", "patient"])
        #expect(patient.status == 0, "\(patient.stderr)")
        #expect(Date().timeIntervalSince(start) > 4, "the log did not wait for the lock")
        done.wait()
        let notes = try cli.run(["list", "--format", "csv"]).stdout
        #expect(notes.split(separator: "\r\n").count == 3)
        #expect(notes.contains("patient") && !notes.contains("too impatient"))
    }

    // MARK: Personal data in free text

    @Test func redactReplacesThePassageAndRecordsItWithoutThePassage() throws {
        let cli = try CLI()
        #expect(try cli.run(["init"]).status == 0)
        #expect(try cli.run(["log", "--lat", "51.2275", "--lon", "6.7711", "--category", "cleanliness/litter",
                             "--note", "Herr Beispiel aus Nr. 5 wirft Müll; Herr Beispiel ist bekannt"]).status == 0)
        let redacted = try cli.run(["redact", "1", "--field", "description", "--text", "Herr Beispiel", "--actor", "office"])
        #expect(redacted.status == 0, "\(redacted.stderr)")
        let show = try cli.run(["show", "1"]).stdout
        #expect(!show.contains("Beispiel"))
        #expect(show.contains("[redacted] aus Nr. 5 wirft Müll; [redacted] ist bekannt"))
        #expect(show.contains("redacted by hand: 2 passages of the description"))
        #expect(!(try cli.run(["export", "reports", "--profile", "internal"]).stdout.contains("Beispiel")))
        let missing = try cli.run(["redact", "1", "--text", "Frau Nirgends"])
        #expect(missing.status != 0 && missing.stderr.contains("does not occur"))
    }

    // MARK: Silent or unclear input handling

    @Test(arguments: [("invalid UTF-8", [UInt8]([0x66, 0xFF, 0x66]), "line 5002: is not UTF-8 text"),
                      ("a NUL byte", [UInt8]([0x66, 0x00, 0x66]), "line 5002: holds a NUL byte")])
    func flawsAfterTheFirstChunkAreRefusedByLine(what: String, flaw: [UInt8], expected: String) throws {
        let cli = try Self.initialised()
        var data = Data("lat,lon,category,time,description\n".utf8)
        for i in 0..<5000 { data.append(Data("51.2275,6.7711,cleanliness/litter,2026-11-27T10:00Z,row \(i)\n".utf8)) }
        data.append(Data("51.2275,6.7711,cleanliness/litter,2026-11-27T10:00Z,".utf8) + Data(flaw) + Data("\n".utf8))
        try data.write(to: cli.folder.url.appendingPathComponent("flawed.csv"))
        let result = try cli.run(["import", "flawed.csv"])
        #expect(result.status == 1, "\(what): exit \(result.status)")
        #expect(result.stderr.contains(expected), "\(result.stderr)")
        #expect(try cli.run(["list", "--format", "csv"]).stdout.split(separator: "\r\n").count == 2, "\(what): something was imported")
    }

    @Test func aFieldLongerThanSixteenMebibytesIsRefused() throws {
        let cli = try Self.initialised()
        var data = Data("lat,lon,category,time,description\n51.2275,6.7711,cleanliness/litter,2026-11-27T10:00Z,".utf8)
        data.append(Data(repeating: UInt8(ascii: "a"), count: 17 << 20))
        data.append(Data("\n".utf8))
        try data.write(to: cli.folder.url.appendingPathComponent("long.csv"))
        let result = try cli.run(["import", "long.csv"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("holds a record longer than 16 MiB"), "\(result.stderr)")
    }

    @Test(arguments: [
        ("unclosed.xml", "<?xml version=\"1.0\"?>\n<service_requests>\n<request><status>open</status>\n", "line"),
        ("mismatch.gpx", "<?xml version=\"1.0\"?>\n<gpx version=\"1.1\">\n<wpt lat=\"51.2\" lon=\"6.7\"></trk>\n</gpx>\n", "line 3"),
        // Parsing stops at the first of many errors (FoundationXML leaks a little for each one it reports), and
        // that first one is named: line 3, where the undeclared prefixes start.
        ("prefixes.gpx", "<?xml version=\"1.0\"?>\n<gpx version=\"1.1\">\n" + String(repeating: "<x:name>a</x:name>\n", count: 500) + "</gpx>\n",
         "line 3, column 8: is not well-formed GPX: a namespace prefix (x: in <x:name>) that no xmlns:x declares"),
    ])
    func xmlErrorsSayWhatAndWhere(name: String, content: String, expected: String) throws {
        let cli = try Self.initialised()
        try content.write(toFile: cli.folder.path(name), atomically: true, encoding: .utf8)
        let result = try cli.run(["import", name])
        #expect(result.status == 1)
        #expect(result.stderr.contains(expected), "\(result.stderr)")
        #expect(!result.stderr.contains("NSXMLParserErrorDomain"), "\(result.stderr)")
    }
}
