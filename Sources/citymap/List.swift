import ArgumentParser
import CityMap

extension CityMapCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", 
            abstract: "List reports, filtered by district, category, status, time and place.",
            discussion: """
                Examples:
                  citymap list --district west --status open
                  citymap list --near 51.2275,6.7711 --radius 100m
                  citymap list --since 2026-11-01 --until 2026-11-30 --format csv
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var filters: FilterOptions
        @OptionGroup var output: FormatOption

        func run() throws {
            // A list reads no SpatiaLite function but for --bbox, which loads it then.
            let store = try database.open(preload: .projection)
            let reports = try store.reports(matching: try filters.filter())
            if output.format == .json {
                emit(try JSONText.string(reports))
                return
            }
            emit(ReportRows.writer(reports, format: output.format).render(output.format))
            if output.format == .table {
                print("\(reports.count) report\(reports.count == 1 ? "" : "s")")
            }
        }
    }
}
