import Foundation
import GRDB

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
        // The rejects file is checked before anything is imported, so a bad path leaves the database unchanged.
        let keep = protectedFiles + ([url] + options.inputs).map { OutputTarget.Protected.input($0.path) }
        if let rejects = options.rejects { try OutputTarget.check(rejects, protecting: keep) }

        try writeInBulk { db in
            var options = options
            if options.extent == nil { options.extent = try Self.extent(db, path: path) }
            // Keep up to 64 MB of the transaction's pages in memory before spilling them to the file mid-import.
            try db.execute(sql: "PRAGMA cache_size = -65536")
            defer { try? db.execute(sql: "PRAGMA cache_size = -2000") }
            let taxonomy = try Self.taxonomy(db)
            let writer = try ReportWriter(db: db, projector: projector, areaIndex: try areaIndex(db), bulk: true,
                                          note: ("imported from \(url.lastPathComponent) (", ")"))
            // About 200 bytes a CSV row, 400 a GeoJSON feature: the smaller guess, so that indexes are set aside only
            // for an import that will be large beside the table.
            try writer.expect(rows: Int(totalBytes / 400))
            if let walkID = options.walkID,
               try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM walks WHERE id = ?", arguments: [walkID]) == 0 {
                throw DomainError.unknownWalk(walkID)
            }
            let opened: (reader: any RecordReader, walks: [RawWalk])
            if format == .gpkg {
                opened = (try GeoPackageReports(url: url, statuses: options.categoryMap.statuses, zone: options.timeZone ?? Timestamp.berlin), [])
            } else {
                opened = try ReportFile.open(url, format: format, statuses: options.categoryMap.statuses, columns: options.columns,
                                             zone: options.timeZone)
            }
            let reader = opened.reader
            // Coordinates in a projected CRS (--crs, or a GeoJSON crs member) become WGS84 degrees first.
            let sourceCRS = options.crs.flatMap(CRSName.epsg).flatMap { $0 == "EPSG:4326" ? nil : $0 } ?? reader.crs
            let reprojection = try sourceCRS.map { try Projector(from: $0, to: "EPSG:4326") }
            for walk in opened.walks {
                // A segment needs 2 points to be a line; a track without one is skipped, and said so.
                let segments = walk.segments.filter { $0.count >= 2 }
                let points = walk.segments.reduce(0) { $0 + $1.count }
                let what = walk.planned ? "route point" : "track point"
                guard !segments.isEmpty else {
                    summary.warnings.append("\(walk.location) has \(points) \(what)\(points == 1 ? "" : "s")\(walk.segments.count > 1 ? " in no segment of 2 or more" : ""); a walk needs at least 2, so it is skipped")
                    continue
                }
                if segments.count < walk.segments.count {
                    summary.warnings.append("\(walk.location): \(walk.segments.count - segments.count) segment(s) of a single \(what) left out")
                }
                let key = "gpx:" + ReportValidation.fingerprint(segments.map { $0.map { "\($0.lon),\($0.lat)" }.joined(separator: ";") }.joined(separator: "|")
                                                    + walk.times.map { "\($0.timeIntervalSince1970)" }.joined(separator: ";")
                                                    + (walk.planned ? "|planned" : ""))
                if try writer.insertWalk(name: walk.name, team: options.team ?? walk.name, segments: segments,
                                         times: walk.times, source: options.source ?? format.defaultSource, externalID: key,
                                         planned: walk.planned) != nil {
                    summary.walksAdded += 1
                } else {
                    summary.walksPresent += 1
                }
            }

            // Two threads: this one writes, a second reads, parses and checks the records into batches, so that
            // parsing (a third of an import's time) runs on the other core beside SQLite (measured in BENCHMARKS.md).
            var outside: [Coordinate] = []
            var inside = 0
            var records = 0
            let handOver = HandOver<ImportChunk>(capacity: 2)
            let parsing = ImportParsing(reader: reader, reprojection: reprojection, sourceCRS: sourceCRS, taxonomy: taxonomy,
                                        options: options, format: format, handOver: handOver)
            let thread = Thread { parsing.run() }
            thread.stackSize = 8 << 20
            thread.start()
            defer {
                handOver.cancel()
                parsing.done.wait()
            }
            while let chunk = handOver.take() {
                records = chunk.records
                problems += chunk.problems
                for (name, count) in chunk.unmapped { unmapped[name, default: 0] += count }
                summary.outsideKept += chunk.outsideKept
                summary.outsideSkipped += chunk.outsideSkipped
                outside += chunk.outside
                inside += chunk.inside
                if records % 10_000 < chunk.batch.count || chunk.batch.isEmpty {
                    progress?(ImportProgress(records: records, bytesRead: chunk.bytesRead, totalBytes: totalBytes))
                }
                guard problems.isEmpty || options.skipInvalid, unmapped.isEmpty, !chunk.batch.isEmpty else { continue }
                let outcomes = try writer.insert(chunk.batch)
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
                        problems.append(RecordProblem(location: chunk.locations[i], field: "id",
                                                      message: "'\(chunk.batch[i].externalID ?? "")' repeats the id of an earlier record in this file with other content"))
                    }
                }
            }
            parsing.done.wait()
            parsing.done.signal() // for the deferred wait
            if let error = parsing.error { throw error }
            if inside == 0, let elsewhere = BoundingBox.around(outside), let extent = options.extent,
               !outside.contains(where: { extent.contains(Coordinate(trustedLon: $0.lat, lat: $0.lon)) }) {
                // (Swapped coordinates keep their own message per record: that is the likelier mistake.)
                throw ImportError(file: url.path, field: "lat/lon",
                                  message: "has all its \(outside.count) position\(outside.count == 1 ? "" : "s") outside the city extent \(extent): they lie within \(elsewhere), "
                                    + "\(elsewhere.whereabouts(from: extent)) the city; nothing was imported. If they belong here, widen the extent "
                                    + "(citymap init --extent W,S,E,N) or give --extent for this import")
            }
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
            try RejectsFile.write(problems, to: rejects, protecting: keep)
        }
        return summary
    }
}
