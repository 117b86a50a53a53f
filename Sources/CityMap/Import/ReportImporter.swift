import Foundation

/// What to do with a position outside the city extent.
public enum OutsidePolicy: String, CaseIterable, Sendable {
    /// Refuse the record (the default: most often latitude and longitude are swapped, or the position is junk).
    case fail
    /// Import it and list it.
    case keep
    /// Leave it out and list it.
    case skip
}

/// How `citymap import` reads and checks a file.
public struct ImportOptions: Sendable {
    public var format: ImportFormat?
    /// Overrides the source named in the records and the format's default source.
    public var source: String?
    public var categoryMap = CategoryMap()
    public var walkID: Int64?
    public var team: String?
    public var skipInvalid = false
    public var rejects: URL?
    public var outside = OutsidePolicy.fail
    /// Where reports are expected. Default: North Rhine-Westphalia, for a state-wide deployment.
    public var extent = ImportOptions.northRhineWestphalia
    /// Records per batch: one PROJ call and one run of prepared inserts each.
    public var batchSize = 8192

    public static let northRhineWestphalia = BoundingBox(trustedWest: 5.86, south: 50.32, east: 9.47, north: 52.54)

    public init() {}
}

/// Progress of a running import, for a terminal display.
public struct ImportProgress: Sendable {
    public let records: Int
    public let bytesRead: UInt64
    public let totalBytes: UInt64
}

/// What an import did.
public struct ImportSummary: Sendable {
    public var file: String
    public var format: ImportFormat
    public var imported = 0
    public var alreadyPresent = 0
    /// Records that appear more than once in the file, identical: imported once.
    public var repeatedInFile = 0
    /// Invalid records left out under --skip-invalid.
    public var skipped = 0
    /// Locations of records outside the extent, kept or skipped by --outside.
    public var outsideKept: [String] = []
    public var outsideSkipped: [String] = []
    public var perDistrict: [String: Int] = [:]
    public var walksAdded = 0
    public var walksPresent = 0
    /// Each left-out record as "location, field 'name': reason".
    public var rejected: [String] = []
}

/// An import refused because of bad records: nothing was written. Lists every problem (see `problems`).
public struct ImportFailure: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let problems: [String]
    public let total: Int

    public var description: String {
        "\(file): \(total) invalid record\(total == 1 ? "" : "s"), so nothing was imported "
            + "(fix them, or import the rest with --skip-invalid --rejects FILE)"
    }
}

extension RecordProblem: CustomStringConvertible {
    var description: String { "\(location), field '\(field)': \(message)" }
}

extension Store {
    /// Imports reports (and, from GPX, walks) in one transaction: all of it lands, or nothing does.
    /// The file is read as a stream where the format allows (CSV, GeoJSON text sequences).
    public func importReports(from url: URL, options: ImportOptions = ImportOptions(),
                              progress: ((ImportProgress) -> Void)? = nil) throws -> ImportSummary {
        let format = try options.format ?? ImportFormat.detect(url)
        let totalBytes = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? UInt64) ?? 0
        var summary = ImportSummary(file: url.path, format: format)
        var problems: [RecordProblem] = []
        var unmapped: [String: Int] = [:]

        try write { db in
            // Keep the transaction's pages in memory (up to 512 MB) instead of spilling them to the file mid-import.
            try db.execute(sql: "PRAGMA cache_size = -524288")
            defer { try? db.execute(sql: "PRAGMA cache_size = -2000") }
            let taxonomy = try Self.taxonomy(db)
            let writer = try ReportWriter(db: db, projector: projector, areaIndex: try areaIndex(db), bulk: true,
                                          note: ("imported from \(url.lastPathComponent) (", ")"))
            if let walkID = options.walkID,
               try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM walks WHERE id = ?", arguments: [walkID]) == 0 {
                throw DomainError.unknownWalk(walkID)
            }
            var reader: any RecordReader
            switch format {
            case .csv: reader = try CSVReports(url: url, statuses: options.categoryMap.statuses)
            case .geojson: reader = try GeoJSONReports(url: url, sequence: false, statuses: options.categoryMap.statuses)
            case .geojsonseq: reader = try GeoJSONReports(url: url, sequence: true, statuses: options.categoryMap.statuses)
            case .open311JSON: reader = ListReader(try Open311Requests.readJSON(url))
            case .open311XML: reader = ListReader(try Open311Requests.readXML(url))
            case .gpx:
                let gpx = try GPXFile(url: url)
                for walk in gpx.walks {
                    guard walk.points.count >= 2 else {
                        problems.append(RecordProblem(location: walk.location, field: "trkpt", message: "a walk needs at least 2 track points"))
                        continue
                    }
                    let key = "gpx:" + Self.fingerprint(walk.points.map { "\($0.lon),\($0.lat)" }.joined(separator: ";")
                                                        + walk.times.map { "\($0.timeIntervalSince1970)" }.joined(separator: ";"))
                    if try writer.insertWalk(name: walk.name, team: options.team ?? walk.name, points: walk.points,
                                             times: walk.times, source: options.source ?? format.defaultSource, externalID: key) != nil {
                        summary.walksAdded += 1
                    } else {
                        summary.walksPresent += 1
                    }
                }
                reader = ListReader(gpx.reports)
            }

            let categories = CategoryCache()
            var batch: [NewReport] = []
            var locations: [String] = []
            var records = 0
            func flush() throws {
                defer { batch.removeAll(keepingCapacity: true); locations.removeAll(keepingCapacity: true) }
                guard problems.isEmpty || options.skipInvalid, unmapped.isEmpty, !batch.isEmpty else { return }
                let outcomes = try writer.insert(batch)
                for (i, outcome) in outcomes.enumerated() {
                    switch outcome {
                    case .inserted(_, let placement):
                        summary.imported += 1
                        summary.perDistrict[placement.district?.name ?? "outside the districts", default: 0] += 1
                    case .alreadyPresent:
                        summary.alreadyPresent += 1
                    case .identicalRepeat:
                        summary.repeatedInFile += 1
                    case .repeatedInThisImport:
                        problems.append(RecordProblem(location: locations[i], field: "id",
                                                      message: "'\(batch[i].externalID ?? "")' repeats the id of an earlier record in this file with other content"))
                    }
                }
            }

            while let next = try reader.next() {
                records += 1
                if records % 10_000 == 0 { progress?(ImportProgress(records: records, bytesRead: reader.bytesRead, totalBytes: totalBytes)) }
                let raw: RawReport
                switch next {
                case .failure(let problem): problems.append(problem); continue
                case .success(let r): raw = r
                }
                switch validate(raw, taxonomy: taxonomy, options: options, format: format, categories: categories) {
                case .failure(let problem): problems.append(problem)
                case .success(.unmapped(let name)): unmapped[name, default: 0] += 1
                case .success(.outside(let report, let note)):
                    switch options.outside {
                    case .keep: summary.outsideKept.append("\(raw.location): \(note)"); batch.append(report); locations.append(raw.location)
                    case .skip: summary.outsideSkipped.append("\(raw.location): \(note)")
                    case .fail: problems.append(RecordProblem(location: raw.location, field: "lat/lon",
                                                              message: "\(note); import it with --outside keep, or leave it out with --outside skip"))
                    }
                case .success(.valid(let report)):
                    batch.append(report)
                    locations.append(raw.location)
                }
                if batch.count >= options.batchSize { try flush() }
            }
            try flush()
            try writer.finish()
            progress?(ImportProgress(records: records, bytesRead: totalBytes, totalBytes: totalBytes))
            if !unmapped.isEmpty {
                let list = unmapped.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
                    .map { "'\($0.key)' (\($0.value))" }
                throw ImportError(file: url.path, field: "category",
                                  message: "\(unmapped.count) categor\(unmapped.count == 1 ? "y has" : "ies have") no mapping onto the taxonomy: "
                                    + list.joined(separator: ", ") + "; map them with --category-map FILE.json")
            }
            if !problems.isEmpty && !options.skipInvalid {
                throw ImportFailure(file: url.path, problems: problems.map(\.description), total: problems.count)
            }
        }
        summary.skipped = problems.count
        summary.rejected = problems.map(\.description)
        if let rejects = options.rejects {
            try RejectsFile.write(problems, to: rejects)
        }
        return summary
    }

    private enum Checked {
        case valid(NewReport)
        case outside(NewReport, String)
        case unmapped(String)
    }

    private func validate(_ raw: RawReport, taxonomy: Taxonomy, options: ImportOptions, format: ImportFormat,
                          categories: CategoryCache) -> Result<Checked, RecordProblem> {
        func problem(_ field: String, _ message: String) -> Result<Checked, RecordProblem> {
            .failure(RecordProblem(location: raw.location, field: field, message: message))
        }
        guard let lat = raw.lat else { return problem("lat", "is missing: the record has no position") }
        guard let lon = raw.lon else { return problem("lon", "is missing: the record has no position") }
        let position: Coordinate
        do { position = try Coordinate(lon: lon, lat: lat) } catch {
            if case .latitudeOutOfRange = error, (try? Coordinate(lon: lat, lat: lon)) != nil {
                return problem("lat", "\(error.description) (latitude and longitude look swapped)")
            }
            return problem(error.description.hasPrefix("longitude") ? "lon" : "lat", error.description)
        }
        guard raw.category != nil || raw.categoryLabel != nil else { return problem("category", "is missing") }
        guard let category = categories.resolve(raw, map: options.categoryMap, taxonomy: taxonomy) else {
            return .success(.unmapped(raw.categoryLabel ?? raw.category ?? ""))
        }
        guard let observedAt = raw.observedAt else { return problem("time", "is missing: when was it observed?") }
        let source = options.source ?? raw.source ?? format.defaultSource
        var report = NewReport(position: position, category: category, severity: raw.severity, description: raw.description,
                               observedAt: observedAt, reporter: raw.reporter, source: source,
                               externalID: raw.externalID ?? "h:" + Self.fingerprint("\(lat)|\(lon)|\(observedAt.timeIntervalSince1970)|\(category)|\(raw.description)"),
                               accuracy: raw.accuracy)
        report.status = raw.status
        report.statusNote = raw.statusNote
        report.address = raw.address
        report.mediaURL = raw.mediaURL
        report.walkID = options.walkID
        if !options.extent.contains(position) {
            var note = "\(position) lies outside the city extent \(options.extent)"
            if let swapped = try? Coordinate(lon: lat, lat: lon), options.extent.contains(swapped) {
                note += " (latitude and longitude look swapped)"
            }
            return .success(.outside(report, note))
        }
        return .success(.valid(report))
    }

    /// A stable 64-bit FNV-1a fingerprint in hex, for ids of records that carry none.
    static func fingerprint(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// Remembers how each distinct foreign category resolved: a file has few categories and many rows.
final class CategoryCache {
    private var resolved: [String: CategoryCode?] = [:]

    func resolve(_ raw: RawReport, map: CategoryMap, taxonomy: Taxonomy) -> CategoryCode? {
        let key = (raw.category ?? "") + "\u{1}" + (raw.subcategory ?? "") + "\u{1}" + (raw.categoryLabel ?? "")
        if let known = resolved[key] { return known }
        let code = map.resolve(raw, taxonomy: taxonomy)
        resolved[key] = code
        return code
    }
}

/// Records a reader produced up front (GPX, Open311), served one at a time.
struct ListReader: RecordReader {
    private var records: [Result<RawReport, RecordProblem>]
    private var index = 0
    init(_ records: [Result<RawReport, RecordProblem>]) { self.records = records }
    var bytesRead: UInt64 { 0 }
    mutating func next() throws(ImportError) -> Result<RawReport, RecordProblem>? {
        guard index < records.count else { return nil }
        defer { index += 1 }
        return records[index]
    }
}

/// The records an import left out, each with its reason, as CSV.
enum RejectsFile {
    static func write(_ problems: [RecordProblem], to url: URL) throws {
        try AtomicFile.write(to: url) { out in
            try out.write("location,field,reason\n")
            for p in problems {
                try out.write([p.location, p.field, p.message].map(CSVField.escape).joined(separator: ",") + "\n")
            }
        }
    }
}
