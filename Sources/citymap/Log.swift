import ArgumentParser
import CityMap
import Foundation

extension CityMapCommand {
    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "log", 
            abstract: "Log a spot seen on a walk: where, what, and how urgent.",
            discussion: """
                Prints the new report's id, district and square. Warns when the spot lies outside every district,
                and when an open report of the same category lies within 25 m (a likely duplicate).
                Example: citymap log --lat 51.2275 --lon 6.7711 --category cleanliness/litter --note "Glasscherben am Rheinufer"
                """)

        @OptionGroup var database: DatabaseOptions

        @Option(parsing: .unconditional, help: ArgumentHelp("Latitude in decimal degrees (WGS84), e.g. 51.2275 or 51,2275.", valueName: "degrees"))
        var lat: Degrees

        @Option(parsing: .unconditional, help: ArgumentHelp("Longitude in decimal degrees (WGS84), e.g. 6.7711 or 6,7711.", valueName: "degrees"))
        var lon: Degrees

        @Option(help: ArgumentHelp("Category and subcategory, e.g. cleanliness/litter, or their German or English labels (Sauberkeit/Hundekot, or Hundekot alone). `citymap log --help` lists them below; see GeoData/taxonomy.json.", valueName: "category/subcategory"))
        var category: String

        @Option(help: "What was seen, in a sentence.")
        var note: String = ""

        @Option(help: "How urgent: low, medium, high or urgent (or niedrig, mittel, hoch, dringend).")
        var severity: String = "medium"

        @Option(help: ArgumentHelp("GPS accuracy in metres, as the phone shows it.", valueName: "metres"))
        var accuracy: Double?

        @Option(help: ArgumentHelp("When it was seen (ISO 8601, e.g. 2026-11-27T10:15+01:00; without an offset Europe/Berlin). Default: now.", valueName: "time"))
        var at: String?

        @Option(help: "Who saw it (kept internal; never in public exports).")
        var reporter: String?

        @Option(help: "Where the report comes from: field-walk, citizen, consultation-hours, …")
        var source: String = "field-walk"

        @OptionGroup var output: FormatOption

        func run() throws {
            var submission = ReportSubmission(lat: lat.value, lon: lon.value, category: category)
            submission.note = note
            submission.severity = severity
            submission.accuracy = accuracy
            submission.observedAt = at
            submission.reporter = reporter
            submission.source = source
            let store = try database.open()
            let logged = try store.log(try submission.validated(taxonomy: try store.taxonomy()), actor: reporter)
            let report = logged.report
            if logged.isOutsideDistricts {
                warn("\(report.position) lies outside every district (Innenstadt West, Innenstadt Ost); report #\(report.id) is kept without a district")
            }
            for neighbour in logged.likelyDuplicates {
                let other = neighbour.report
                warn("likely duplicate of report #\(other.id) (\(other.category), \(other.status.rawValue), \(neighbour.distance) away, observed \(Timestamp.short(other.observedAt))); if so: citymap status \(report.id) duplicate --of \(other.id)")
            }
            if output.format == .table {
                print("Logged report #\(report.id): \(report.category) \(ReportRows.placement(report)).")
            } else {
                emit(output.format == .json ? try JSONText.string(report) : ReportRows.writer([report], format: .csv).csv())
            }
        }
    }
}
