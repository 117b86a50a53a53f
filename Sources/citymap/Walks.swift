import ArgumentParser
import CityMap

extension CityMapCommand {
    struct Walks: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "walks", 
            abstract: "Show the recorded Quartierrundgänge (GPX tracks) and planned ones (GPX routes).",
            subcommands: [ListWalks.self], defaultSubcommand: ListWalks.self)
    }

    struct ListWalks: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List walks with their length and number of reports.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption

        func run() throws {
            let store = try database.open()
            var writer = TableWriter(columns: ["id", "name", "team", "started", "ended", "length_m", "reports", "districts", "planned"])
            writer.rows = try store.walks().map { w in
                [.integer(w.id), .text(w.name), .text(w.team), .text(w.startedAt.map { Timestamp.short($0) }),
                 .text(w.endedAt.map { Timestamp.short($0) }), .number((w.length.value * 10).rounded() / 10),
                 .integer(Int64(w.reportCount)), .text(w.districts.joined(separator: ", ")), .text(w.planned ? "yes" : "no")]
            }
            emit(writer.render(output.format))
        }
    }
}
