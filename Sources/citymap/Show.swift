import ArgumentParser
import CityMap

extension CityMapCommand {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one report with its full status history.")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The report's id, as `citymap list` shows it.")
        var id: Int64

        @OptionGroup var output: FormatOption

        func run() throws {
            // A report and its history are SQLite's own: neither PROJ nor SpatiaLite is opened.
            let store = try database.open(preload: [])
            let detail = try store.detail(id: id)
            let report = detail.report
            var events = TableWriter(columns: ["at", "actor", "what", "from", "to", "note", "public"])
            events.rows = detail.history.map { e in
                [.text(Timestamp.local(e.at)), .text(e.actor), .text(e.kind.rawValue), .text(e.from?.rawValue), .text(e.to.rawValue),
                 .text(e.note), .text(e.isPublic ? "yes" : "")]
            }
            switch output.format {
            case .table:
                let fields = ReportRows.fullColumns
                let values = ReportRows.fullRow(report).map(\.plain)
                let width = fields.map(\.count).max() ?? 0
                for (field, value) in zip(fields, values) where !value.isEmpty {
                    print(field + String(repeating: " ", count: width - field.count) + "  " + TableWriter.oneLine(value))
                }
                print("\nHistory:")
                emit(events.table())
            case .json:
                emit(try JSONText.string(detail))
            case .csv:
                emit(ReportRows.writer([report], format: .csv).csv())
            }
        }
    }
}
