import ArgumentParser
import CityMap

extension CityMapCommand {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move a report along its lifecycle and record why.",
            discussion: """
                Lifecycle: open → acknowledged → in-progress → resolved, or rejected from any open state.
                A duplicate (from open or acknowledged) names its original with --of.
                Every change is written to the report's history (`citymap show ID`).
                """)

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The report's id.")
        var id: Int64

        @Argument(help: ArgumentHelp("The new status: \(ReportStatus.allCases.filter { $0 != .open }.map(\.rawValue).joined(separator: ", ")).", valueName: "status"))
        var status: ReportStatus

        @Option(help: "Why, or what was done; kept in the history.")
        var note: String?

        @Option(help: "For duplicate: the id of the original report.")
        var of: Int64?

        @Option(help: "Who made the change.")
        var actor: String?

        func run() throws {
            let store = try database.open()
            let before = try store.report(id: id)
            let after = try store.changeStatus(of: id, to: status, note: note, actor: actor, duplicateOf: of)
            var line = "Report #\(id): \(before.status.rawValue) → \(after.status.rawValue)"
            if let original = after.duplicateOf { line += " (duplicate of #\(original))" }
            print(line + ".")
        }
    }
}
