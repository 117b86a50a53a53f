import ArgumentParser
import CityMap
import CityMapGeoData
import Foundation

extension CityMapCommand {
    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build a demo database from GeoData with a sample Quartierrundgang, and show what it holds.",
            discussion: """
                Logs the 26 spots of two teams' walks (GeoData/demo-walk.geojson), moves a few along the lifecycle,
                and prints a count per district. The file is built aside and renamed when complete, so an existing
                demo database is only replaced by a finished one. Your own database (--db / CITYMAP_DB) is never touched.
                """)

        @Option(help: ArgumentHelp("Where to write the demo database.", valueName: "path"))
        var out: String = "citymap-demo.sqlite"

        func run() throws {
            guard let walkURL = GeoDataFiles.demoWalk else { throw StorageError.geoDataMissing("demo-walk.geojson") }
            let target = URL(fileURLWithPath: out)
            let temporary = target.deletingLastPathComponent()
                .appendingPathComponent(".\(target.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
            try? FileManager.default.removeItem(at: temporary)
            defer { try? FileManager.default.removeItem(at: temporary) }

            do {
                let store = try Store(path: temporary.path, mode: .create)
                let setup = try store.setUpFromShippedGeoData()
                let areas = try store.areas()
                print("1. Created the database: \(setup.categoriesAdded) subcategories, "
                      + "\(areas.filter { $0.kind == .district }.count) districts (Innenstadt West, Innenstadt Ost), "
                      + "\(areas.filter { $0.kind == .square }.count) squares.")

                let walk = try GeoJSONReports.read(walkURL, taxonomy: try store.taxonomy(), source: "field-walk")
                var logged: [Report] = []
                var duplicates: [(Report, Neighbour)] = []
                for report in walk {
                    let result = try store.log(report, actor: report.reporter)
                    logged.append(result.report)
                    if let nearest = result.likelyDuplicates.first { duplicates.append((result.report, nearest)) }
                }
                print("2. Logged the sample walk (\(walkURL.lastPathComponent)): \(logged.count) spots by two teams.")
                for report in logged where report.district == nil {
                    print("   ! #\(report.id) at \(report.position) lies outside every district (kept, without a district).")
                }
                for (report, neighbour) in duplicates {
                    print("   ! #\(report.id) is a likely duplicate of #\(neighbour.report.id) (\(report.category), \(neighbour.distance) apart).")
                }

                print("3. Worked on some concerns:")
                for (report, original) in duplicates {
                    try store.changeStatus(of: report.id, to: .duplicate, note: "same spot as the earlier report",
                                           actor: "Citymanagement", duplicateOf: original.report.id)
                    print("   #\(report.id) open → duplicate of #\(original.report.id)")
                }
                let steps: [(ReportStatus, String)] = [(.acknowledged, "forwarded to AWISTA"), (.inProgress, "cleaning crew booked"),
                                                       (.resolved, "cleaned on the next morning round")]
                if let first = logged.first(where: { $0.category.category == "cleanliness" && !duplicates.map(\.0.id).contains($0.id) }) {
                    for (status, note) in steps {
                        try store.changeStatus(of: first.id, to: status, note: note, actor: "Citymanagement")
                    }
                    print("   #\(first.id) open → acknowledged → in-progress → resolved (\(first.category) \(ReportRows.placement(first)))")
                }
                if let urgent = logged.first(where: { $0.severity == .urgent }) {
                    try store.changeStatus(of: urgent.id, to: .acknowledged, note: "reported to the Ordnungsamt", actor: "Citymanagement")
                    print("   #\(urgent.id) open → acknowledged (\(urgent.category) \(ReportRows.placement(urgent)))")
                }
                let counts = try store.reportCountsByDistrict()
                let open = try store.reports(matching: { var f = ReportFilter(); f.statuses = ReportStatus.openStatuses; return f }())
                print("4. Reports per district:")
                let width = counts.map(\.district.count).max() ?? 0
                for (district, count) in counts {
                    let stillOpen = open.filter { ($0.district?.name ?? "outside the districts") == district }.count
                    print("   \(district)\(String(repeating: " ", count: width - district.count))  \(count) report\(count == 1 ? "" : "s"), \(stillOpen) still open")
                }
            }
            // rename(2) replaces the old demo file atomically, and only with a complete one.
            guard rename(temporary.path, target.path) == 0 else {
                throw StorageError.sqlite(path: out, message: "cannot move the finished demo database into place: \(String(cString: strerror(errno)))")
            }
            print("Wrote \(target.path). Try: citymap list --db \(target.path) --district west")
        }
    }
}
