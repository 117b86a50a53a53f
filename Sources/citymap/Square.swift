import ArgumentParser
import CityMap
import Foundation

extension CityMapCommand {
    struct Square: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "square", 
            abstract: "Platzcheck: score a square at a visit, load check sheets, and see a square's timeline.",
            discussion: """
                A check scores cleanliness, seating, greenery, lighting, safety (feeling of safety), liveliness and
                accessibility, each from 1 (poor) to 5 (very good). The summary's scorecard shows each square's latest
                check and the change of its mean against the check before.
                Example: citymap square check worringer-platz --scores cleanliness=2,seating=3,greenery=2,lighting=3,safety=2,liveliness=3,accessibility=4 --at 2026-06-10 --actor "CM Ost"
                """,
            subcommands: [Check.self, ImportChecks.self, ShowSquare.self])
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "check", abstract: "Record a check of a square (name or code).")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The square's name or code, e.g. \"Worringer Platz\" or worringer-platz.")
        var square: String

        @Option(help: ArgumentHelp("All seven scores, 1 to 5: cleanliness=4,seating=3,greenery=2,lighting=4,safety=3,liveliness=4,accessibility=5 (German names too).", valueName: "scores"))
        var scores: String

        @Option(help: "What was seen.")
        var note: String?

        @OptionGroup var change: ChangeOptions
        @OptionGroup var output: FormatOption

        func run() throws {
            let store = try database.open()
            var new = NewSquareCheck(square: square, at: try change.date() ?? Date(), scores: try SquareScores(parsing: scores))
            new.note = note
            new.actor = change.actor
            let check = try store.addSquareCheck(new)
            if output.format == .json { print(try JSONText.string(check)); return }
            print("Check #\(check.id) of \(check.square.name) on \(Timestamp.short(check.at)): mean \(String(format: "%.2f", check.scores.mean)).")
        }
    }

    struct ImportChecks: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import", abstract: "Load check sheets from CSV: square, at, the seven scores, note, actor (German or English names).")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The CSV file.", completion: .file(extensions: ["csv"]))
        var file: String

        func run() throws {
            let store = try database.open()
            let rows = try SquareCheckFile.read(URL(fileURLWithPath: file))
            let count = try store.importSquareChecks(rows, file: file)
            print("Imported \(count) check\(count == 1 ? "" : "s") from \(file).")
        }
    }

    struct ShowSquare: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "A square's timeline: its checks, the reports placed on it, and their status changes.")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The square's name or code.")
        var square: String

        @Option(help: ArgumentHelp("Only from this time on (ISO 8601; a date alone is its midnight).", valueName: "time"))
        var since: String?

        @OptionGroup var output: FormatOption

        func run() throws {
            let store = try database.open()
            var from: Date?
            if let since {
                guard let date = Timestamp.parse(since) else { throw DomainError.malformedTime(since, field: "since") }
                from = date
            }
            let (area, checks, entries) = try store.squareTimeline(square, since: from)
            if output.format == .json { print(try JSONText.string(entries)); return }
            if output.format == .table {
                print("\(area.name)" + (area.district.map { " (district \($0))" } ?? "") + ": \(checks.count) check\(checks.count == 1 ? "" : "s"), "
                      + "\(entries.filter { $0.kind == .report }.count) reports")
            }
            emit(TableWriter(columns: ["at", "kind", "id", "what"], rows: entries.map { e in
                [.text(Timestamp.short(e.at)), .text(e.kind.rawValue), .integer(e.id), .text(e.text)]
            }).render(output.format))
        }
    }
}
