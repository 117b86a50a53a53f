import ArgumentParser
import CityMap

extension RedactableField: ExpressibleByArgument {}

extension CityMapCommand {
    struct Redact: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "redact", 
            abstract: "Redact personal data from a report's text by hand.",
            discussion: """
                Public outputs already hide e-mail addresses, phone numbers and the reporter's name, and show only the
                street of an address. For what that misses (a neighbour's name, a licence plate), give the passage:
                every occurrence becomes "[redacted]" in the stored text, so it leaves no output any more.
                The history records who redacted which field and when, never the passage.
                Example: citymap redact 42 --field description --text "Herr Beispiel"
                """)

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The report's id.")
        var id: Int64

        @Option(help: ArgumentHelp("The field: \(RedactableField.allCases.map(\.rawValue).joined(separator: " or ")).", valueName: "field"))
        var field: RedactableField = .description

        @Option(help: ArgumentHelp("The passage to redact, exactly as `citymap show ID` prints it.", valueName: "passage"))
        var text: String

        @Option(help: "Who redacted it; kept in the history.")
        var actor: String?

        func run() throws {
            let store = try database.open()
            let report = try store.redact(field, of: id, passage: text, actor: actor)
            let now = field == .description ? report.description : report.address ?? ""
            print("Report #\(id): \(field.rawValue) redacted; it now reads: \(TableWriter.oneLine(now))")
        }
    }
}
