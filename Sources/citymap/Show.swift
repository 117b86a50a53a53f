import ArgumentParser
import CityMap

extension CityMapCommand {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one report with its full status history.")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The report's id, as `citymap list` shows it.")
        var id: Int64

        @OptionGroup var output: FormatOption

        func run() throws {
            let store = try database.open()
            let report = try store.report(id: id)
            let history = try store.history(of: id)
            var events = TableWriter(columns: ["at", "actor", "from", "to", "note"])
            events.rows = history.map { e in
                [.text(Timestamp.local(e.at)), .text(e.actor), .text(e.from?.rawValue), .text(e.to.rawValue), .text(e.note)]
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
                let object: [String: Any] = [
                    "report": Dictionary(uniqueKeysWithValues: zip(ReportRows.fullColumns, ReportRows.fullRow(report).map(\.json))),
                    "history": events.rows.map { Dictionary(uniqueKeysWithValues: zip(events.columns, $0.map(\.json))) },
                ]
                emit(TableWriter.jsonText(object))
            case .csv:
                emit(ReportRows.writer([report], format: .csv).csv())
            }
        }
    }
}
