import ArgumentParser
import CityMap
import CityMapGeoData
import Foundation

extension CityMapCommand {
    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "demo", 
            abstract: "Build a demo database from GeoData with a sample Quartierrundgang, export it for map viewers, and show what it holds.",
            discussion: """
                Imports the GPX of two teams' walks (GeoData/demo-walk.gpx: 2 tracks, 26 spots as waypoints), marks likely
                duplicates, moves a few concerns along the lifecycle, writes styled GeoJSON for geojson.io / QGIS next to the
                database, and prints a count per district. The database is built aside and renamed when complete, so an existing
                demo database is only replaced by a finished one. Your own database (--db / CITYMAP_DB) is never touched.
                """)

        @Option(help: ArgumentHelp("Where to write the demo database; the GeoJSON files go beside it.", valueName: "path"))
        var out: String = "citymap-demo.sqlite"

        func run() throws {
            guard let walkURL = GeoDataFiles.demoWalk else { throw StorageError.geoDataMissing("demo-walk.gpx") }
            let target = URL(fileURLWithPath: out)
            let folder = target.deletingLastPathComponent()
            let stem = target.deletingPathExtension().lastPathComponent
            let temporary = folder.appendingPathComponent(".\(target.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
            try? FileManager.default.removeItem(at: temporary)
            defer { try? FileManager.default.removeItem(at: temporary) }

            var exports: [String] = []
            var summaryText = ""
            do {
                let store = try Store(path: temporary.path, mode: .create)
                let setup = try store.setUpFromShippedGeoData()
                let areas = try store.areas()
                print("1. Created the database: \(setup.categoriesAdded) subcategories, "
                      + "\(areas.filter { $0.kind == .district }.count) districts (Innenstadt West, Innenstadt Ost), "
                      + "\(areas.filter { $0.kind == .square }.count) squares.")

                var options = ImportOptions()
                options.source = "field-walk"
                let summary = try store.importReports(from: walkURL, options: options)
                let walks = try store.walks()
                print("2. Imported the sample walk \(walkURL.lastPathComponent): \(summary.walksAdded) walks, \(summary.imported) spots.")
                for walk in walks.reversed() {
                    print("   \(walk.name): \(walk.length), \(walk.reportCount) reports, through \(walk.districts.joined(separator: " and "))")
                }
                let reports = try store.reports()
                for report in reports where report.district == nil {
                    print("   ! #\(report.id) at \(report.position) lies outside every district (kept, without a district).")
                }

                print("3. Worked on some concerns:")
                var duplicates: Set<Int64> = []
                for report in reports {
                    guard let original = try store.likelyDuplicates(of: report.id).first else { continue }
                    try store.changeStatus(of: report.id, to: .duplicate, note: "same spot as the earlier report",
                                           actor: "Citymanagement", duplicateOf: original.report.id,
                                           now: report.observedAt.addingTimeInterval(3600))
                    duplicates.insert(report.id)
                    print("   #\(report.id) open → duplicate of #\(original.report.id) (\(report.category), \(original.distance) apart)")
                }
                // Responses at realistic times after the walk, so that the response ledger below has figures.
                let steps: [(ReportStatus, String, Double)] = [(.acknowledged, "forwarded to AWISTA", 2), (.inProgress, "cleaning crew booked", 5),
                                                               (.resolved, "cleaned on the next morning round", 22)]
                if let first = reports.first(where: { $0.category.category == "cleanliness" && !duplicates.contains($0.id) }) {
                    for (status, note, hours) in steps {
                        try store.changeStatus(of: first.id, to: status, note: note, actor: "Citymanagement",
                                               now: first.observedAt.addingTimeInterval(hours * 3600))
                    }
                    print("   #\(first.id) open → acknowledged → in-progress → resolved (\(first.category) \(ReportRows.placement(first)))")
                }
                if let safety = reports.first(where: { $0.category.category == "safety" }) {
                    try store.changeStatus(of: safety.id, to: .acknowledged, note: "reported to the Ordnungsamt", actor: "Citymanagement",
                                           now: safety.observedAt.addingTimeInterval(3 * 3600))
                    print("   #\(safety.id) open → acknowledged (\(safety.category) \(ReportRows.placement(safety)))")
                }

                for (layer, export) in [("reports", store.exportReports), ("walks", store.exportWalks), ("areas", store.exportAreas)] {
                    let name = "\(stem)-\(layer).geojson"
                    let count = try AtomicFile.write(to: folder.appendingPathComponent(name)) { try export(ExportOptions(), $0) }
                    exports.append("\(name) (\(count) \(layer))")
                }
                // Hotspots of the walk: a small sample, so a wider radius and fewer points than the defaults.
                let clustering = try store.hotspotClusters(matching: ReportFilter(), eps: Meters(60), minPoints: 3)
                let hotspotFile = "\(stem)-hotspots.geojson"
                let taxonomy = try store.taxonomy()
                try AtomicFile.write(to: folder.appendingPathComponent(hotspotFile)) { try HotspotExport.clusters(clustering, taxonomy: taxonomy, to: $0) }
                exports.append("\(hotspotFile) (\(clustering.clusters.count) clusters)")
                print("4. Wrote GeoJSON for geojson.io, uMap or QGIS (public profile, no personal data): \(exports.joined(separator: ", ")).")
                print("   Top hotspots per district (citymap hotspots clusters --eps 60m --min-points 3):")
                for district in areas.filter({ $0.kind == .district }) {
                    let top = clustering.clusters.filter { $0.districts.contains(district.name) }.prefix(3)
                    let text = top.map { c in "#\(c.id) \(c.size) reports, mostly \(c.dominantCategory)" + (c.square.map { " on \($0)" } ?? "") }
                    print("   \(district.name): \(text.isEmpty ? "none" : text.joined(separator: "; "))")
                }

                try Self.addVacancyAndChecks(store)

                let counts = try store.reportCountsByDistrict()
                let open = try store.reports(matching: { var f = ReportFilter(); f.statuses = ReportStatus.openStatuses; return f }())
                print("6. Reports per district:")
                let width = counts.map(\.district.count).max() ?? 0
                for (district, count) in counts {
                    let stillOpen = open.filter { ($0.district?.name ?? "outside the districts") == district }.count
                    print("   \(district)\(String(repeating: " ", count: width - district.count))  \(count) report\(count == 1 ? "" : "s"), \(stillOpen) still open")
                }

                // The office's view: the month of the walk, safety concerns overdue after 2 days, the rest after 10.
                var request = SummaryRequest(period: try Period.month("2026-11"))
                request.overdue = try OverdueThresholds(parsing: "10,safety=2", taxonomy: try store.taxonomy())
                summaryText = try store.summary(request).table()
            }
            // rename(2) replaces the old demo file atomically, and only with a complete one.
            guard rename(temporary.path, target.path) == 0 else {
                throw StorageError.sqlite(path: out, message: "cannot move the finished demo database into place: \(String(cString: strerror(errno)))")
            }
            print("Wrote \(target.path). Try: citymap list --db \(target.path) --district west")
            print("\n7. District summary (citymap summary --month 2026-11 --overdue-after 10,safety=2):\n")
            emit(summaryText)
        }

        /// A few shop units with their histories, an enquiry brokered to one of them, and two Platzchecks per square
        /// (September and November), so that the summary shows the vacancy section and the scorecards' check trends.
        static func addVacancyAndChecks(_ store: Store) throws {
            func day(_ text: String) throws -> Date {
                guard let date = Timestamp.parse(text) else { throw DomainError.malformedTime(text, field: "at") }
                return date
            }
            let units: [(String, Double, Double, Floor, Double, String, [(String, VacancyState)])] = [
                ("Schadowstraße 12", 51.22630, 6.78310, .ground, 140, "Schuhgeschäft", [("2026-02-01", .vacant), ("2026-03-10", .inContact), ("2026-05-02", .marketed)]),
                ("Schadowstraße 41", 51.22655, 6.78560, .ground, 95, "Mobilfunkladen", [("2025-11-15", .vacant), ("2026-04-01", .interimUse), ("2026-09-30", .marketed)]),
                ("Flinger Straße 8", 51.22610, 6.77350, .ground, 70, "Imbiss", [("2026-01-10", .vacant), ("2026-02-20", .marketed), ("2026-06-01", .reLet)]),
                ("Bolkerstraße 30", 51.22660, 6.77320, .upper, 210, "Büro", [("2026-07-01", .vacant)]),
                ("Graf-Adolf-Straße 20", 51.21930, 6.78050, .ground, 180, "Reisebüro", [("2025-09-01", .occupied), ("2026-08-15", .vacant), ("2026-10-01", .inContact)]),
            ]
            var ids: [Int64] = []
            for (address, lat, lon, floor, area, use, history) in units {
                var new = NewVacancyUnit(position: try Coordinate(lon: lon, lat: lat), address: address, floor: floor,
                                         area: try SquareMetres(area), since: try day(history[0].0))
                new.lastUse = use
                new.state = history[0].1
                new.actor = "Citymanagement"
                let unit = try store.addVacancyUnit(new)
                for (date, state) in history.dropFirst() {
                    try store.changeVacancyState(unit.id, to: state, at: try day(date), actor: "Citymanagement")
                }
                ids.append(unit.id)
            }
            var enquiry = NewEnquiry(wants: "Café mit Außengastronomie", receivedAt: try day("2026-04-20"))
            enquiry.minArea = try SquareMetres(60)
            enquiry.maxArea = try SquareMetres(120)
            enquiry.budget = .from1000To2500
            let made = try store.addEnquiry(enquiry)
            try store.recordBrokering(enquiry: made.id, unit: ids[2], step: .proposed, at: try day("2026-04-22"), actor: "Citymanagement")
            try store.recordBrokering(enquiry: made.id, unit: ids[2], step: .signed, at: try day("2026-05-20"), actor: "Citymanagement")
            let squares = try store.areas(kind: .square)
            for (k, square) in squares.enumerated() {
                for (month, lift) in [("2026-09-15T10:00", 0), ("2026-11-10T10:00", k % 3 == 0 ? -1 : 1)] {
                    let base = [3, 3, 2, 3, 3, 3, 4].enumerated().map { i, v in min(5, max(1, v + (i + k) % 3 - 1 + (i % 2 == 0 ? lift : 0))) }
                    var check = NewSquareCheck(square: square.code, at: try day(month), scores: try SquareScores(values: base))
                    check.actor = "Citymanagement"
                    try store.addSquareCheck(check)
                }
            }
            let report = try store.vacancyReport(VacancyDates.month(try Period.month("2026-11")))
            print("5. Leerstand register: \(units.count) units with their histories, an enquiry brokered to \(units[2].0) (re-let); "
                  + "vacancy at the end of 2026-11: \(report.all.now.vacant) of \(report.all.now.units) units. "
                  + "Platzcheck: 2 checks on each of the \(squares.count) squares. Try: citymap vacancy report --month 2026-11")
        }
    }
}
