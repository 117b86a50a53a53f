import ArgumentParser
import CityMap
import Foundation

extension ImportFormat: ExpressibleByArgument {}
extension OutsidePolicy: ExpressibleByArgument {}

extension CityMapCommand {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "import", 
            abstract: "Import reports from CSV, GeoJSON, GPX, GeoPackage or Open311 files (phone exports, QField, ODK, KoBo, Open311 servers).",
            discussion: """
                Each file is imported in one transaction: when any record is bad, nothing of that file is imported and
                every problem is listed with its line or feature and field. Importing a file again adds nothing, because
                external ids are unique per source (records without an id get a fingerprint of their content).
                GPX tracks become walks; reports observed during a walk, or given --walk, are linked to it.
                A time without an offset is read as Europe/Berlin. Positions outside the city extent (the database's, set by
                `citymap init --extent`; Düsseldorf by default) are refused unless --outside says otherwise.
                Examples:
                  citymap import rundgang.gpx --team "Team West"
                  citymap import requests.json --category-map open311-map.json
                  citymap import export.csv --skip-invalid --rejects rejected.csv
                  citymap import kobo-export.csv                     (KoBoToolbox and ODK Central CSVs as exported)
                  citymap import qgis-points.csv --crs EPSG:25832    (X/Y or WKT in metres)
                  citymap import liste.csv --columns lat=Breite,lon=Laenge,time=Meldezeit --observed-at 2026-11-27
                """)

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The files to import.", completion: .file())
        var files: [String]

        @Option(help: "The file format; detected from the extension and content when not given.")
        var format: ImportFormat?

        @Option(help: "The source name for these reports (default: from the records, else csv, geojson, gpx or open311).")
        var source: String?

        @Option(help: ArgumentHelp("A JSON file mapping foreign categories (and statuses) onto the taxonomy.", valueName: "file"))
        var categoryMap: String?

        @Option(help: ArgumentHelp("The time of records that carry none (ISO 8601; without an offset Europe/Berlin). GPX waypoints without a time take that of the nearest timed track point first.", valueName: "time"))
        var observedAt: String?

        @Option(help: ArgumentHelp("CSV columns whose names are not recognised, as FIELD=COLUMN pairs: lat, lon, time, id, category, subcategory, description, severity, status, accuracy, reporter, address, wkt. E.g. lat=Breite_WGS84,lon=Laenge_WGS84,time=Meldezeit.", valueName: "pairs"))
        var columns: String?

        @Option(help: ArgumentHelp("The CRS of the file's coordinates when they are not WGS84 degrees, e.g. EPSG:25832 (UTM 32N metres, as QGIS exports in NRW). A GeoJSON crs member is read by itself.", valueName: "crs"))
        var crs: String?

        @Option(help: ArgumentHelp("What times without an offset mean, as an IANA zone (default Europe/Berlin). Open311 requires offsets; this lets a server that leaves them out be read.", valueName: "zone"))
        var timeZone: String?

        @Option(help: "Link every imported report to this walk.")
        var walk: Int64?

        @Option(help: "The team that walked the GPX tracks (default: the track's name).")
        var team: String?

        @Flag(help: "Import the good records and leave the bad ones out (see --rejects).")
        var skipInvalid = false

        @Option(help: ArgumentHelp("With --skip-invalid: write the left-out records, each with its reason, to this CSV file.", valueName: "file"))
        var rejects: String?

        @Option(help: "Positions outside the city extent: fail (refuse the file), keep (import and list them) or skip (leave out and list).")
        var outside: OutsidePolicy = .fail

        @Option(parsing: .unconditional, help: ArgumentHelp("Where reports are expected, as WEST,SOUTH,EAST,NORTH. Default: the database's city extent (citymap init --extent; Düsseldorf, 6.6886,51.1243,6.9399,51.3526, when created).", valueName: "w,s,e,n"))
        var extent: String?

        func validate() throws {
            if rejects != nil && !skipInvalid { throw ValidationError("--rejects goes with --skip-invalid") }
            if files.isEmpty { throw ValidationError("name at least one file to import") }
        }

        func run() throws {
            let store = try database.open()
            var options = ImportOptions()
            options.format = format
            options.source = source
            options.walkID = walk
            options.team = team
            options.skipInvalid = skipInvalid
            options.rejects = rejects.map { URL(fileURLWithPath: $0) }
            options.inputs = files.map { URL(fileURLWithPath: $0) } + [categoryMap].compactMap { $0.map { URL(fileURLWithPath: $0) } }
            options.outside = outside
            if let columns { options.columns = try ColumnMapping(parsing: columns) }
            if let timeZone {
                guard let zone = TimeZone(identifier: timeZone) else {
                    throw ValidationError("--time-zone '\(timeZone)' is no IANA time zone; e.g. Europe/Berlin or America/Los_Angeles")
                }
                options.timeZone = zone
            }
            if let crs {
                guard let code = CRSName.epsg(crs) else {
                    throw ValidationError("--crs '\(crs)' names no EPSG code; write it as EPSG:25832")
                }
                options.crs = code
            }
            if let observedAt {
                guard let date = Timestamp.parse(observedAt) else {
                    throw ValidationError("--observed-at '\(observedAt)' is not a time; write ISO 8601 such as 2026-11-27T10:15+01:00 or 2026-11-27 10:15 (Europe/Berlin)")
                }
                options.observedAt = date
            }
            if let extent { options.extent = try BoundingBox(parsing: extent) }
            if let categoryMap {
                options.categoryMap = try CategoryMap(contentsOf: URL(fileURLWithPath: categoryMap), taxonomy: try store.taxonomy())
            }
            for file in files {
                let progress = ProgressLine(label: URL(fileURLWithPath: file).lastPathComponent)
                let summary: ImportSummary
                do {
                    summary = try store.importReports(from: URL(fileURLWithPath: file), options: options, progress: progress.update)
                    progress.finish()
                } catch let failure as ImportFailure {
                    progress.finish()
                    for problem in failure.problems.prefix(50) { printError("\(failure.file): \(problem)") }
                    if failure.total > 50 { printError("\(failure.file): … and \(failure.total - 50) more") }
                    throw failure
                }
                for line in summary.warnings { warn("\(file): \(line)") }
                for line in summary.outsideKept { warn("\(file): \(line) (kept)") }
                for line in summary.outsideSkipped { warn("\(file): \(line) (skipped)") }
                for line in summary.rejected.prefix(50) { warn("\(file): left out \(line)") }
                print(Self.summaryLine(summary, file: file))
            }
        }

        static func summaryLine(_ s: ImportSummary, file: String) -> String {
            var parts = ["\(s.imported) imported", "\(s.skipped) skipped", "\(s.alreadyPresent) already present"]
            if s.repeatedInFile > 0 { parts.append("\(s.repeatedInFile) repeated identical rows imported once") }
            if !s.outsideKept.isEmpty { parts.append("\(s.outsideKept.count) outside the extent kept") }
            if !s.outsideSkipped.isEmpty { parts.append("\(s.outsideSkipped.count) outside the extent skipped") }
            if s.walksAdded + s.walksPresent > 0 { parts.append("\(s.walksAdded) walk\(s.walksAdded == 1 ? "" : "s") added") }
            var line = "\(file) (\(s.format.rawValue)): " + parts.joined(separator: ", ")
            if !s.perDistrict.isEmpty {
                line += "; by district: " + s.perDistrict.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            }
            return line
        }
    }
}

/// Rows, rate and ETA on stderr while an import runs, only when stderr is a terminal.
final class ProgressLine: @unchecked Sendable {
    private let label: String
    private let enabled = isatty(STDERR_FILENO) == 1
    private let start = Date()
    private var shown = false

    init(label: String) { self.label = label }

    func update(_ p: ImportProgress) {
        guard enabled else { return }
        let elapsed = max(Date().timeIntervalSince(start), 0.001)
        let rate = Double(p.records) / elapsed
        var text = "\r\(label): \(p.records) records, \(Int(rate)) records/s"
        if p.totalBytes > 0, p.bytesRead > 0, p.bytesRead < p.totalBytes {
            let remaining = elapsed * Double(p.totalBytes - p.bytesRead) / Double(p.bytesRead)
            text += ", about \(Int(remaining.rounded())) s left"
        }
        FileHandle.standardError.write(Data((text + "\u{1B}[K").utf8))
        shown = true
    }

    func finish() {
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

/// One line on stderr.
func printError(_ message: String) {
    FileHandle.standardError.write(Data("\(message)\n".utf8))
}
