import ArgumentParser
import CityMap

extension CityMapCommand {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "status", 
            abstract: "Move a report along its lifecycle and record why.",
            discussion: """
                Lifecycle: open → acknowledged → in-progress → resolved, or rejected from any open state.
                A duplicate (from open or acknowledged) names its original with --of. A closed report comes back
                with `citymap reopen`.
                Every change is written to the report's history (`citymap show ID`), dated --at (default now), so
                work done yesterday is recorded as yesterday.
                Example: citymap status 42 resolved --at "2026-11-27 16:30" --note "Scherben beseitigt (AWISTA)" --public
                """)

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The report's id.")
        var id: Int64

        @Argument(help: ArgumentHelp("The new status: \(ReportStatus.allCases.filter { $0 != .open }.map(\.rawValue).joined(separator: ", ")).", valueName: "status"))
        var status: ReportStatus

        @Option(help: "Why, or what was done; kept in the history.")
        var note: String?

        @Flag(help: "The note is the response to the citizen: shown on the public page and in Open311.")
        var `public` = false

        @Option(help: "For duplicate: the id of the original report.")
        var of: Int64?

        @OptionGroup var change: ChangeOptions

        func run() throws {
            let store = try database.open()
            let before = try store.report(id: id)
            let after = try store.changeStatus(of: id, to: status, note: note, actor: change.actor, duplicateOf: of,
                                               isPublic: `public`, at: try change.date())
            var line = "Report #\(id): \(before.status.rawValue) → \(after.status.rawValue)"
            if let original = after.duplicateOf { line += " (duplicate of #\(original))" }
            print(line + ".")
        }
    }

    struct Note: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "note", 
            abstract: "Add a note to a report's history without changing its status.",
            discussion: """
                Internal unless --public: a public note is the response a citizen reads on the public page and in
                Open311 (status_notes). A note is never counted as a response in the summary's response times.
                Example: citymap note 42 "Eigentümer angeschrieben" --at 2026-11-26
                """)

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The report's id.")
        var id: Int64

        @Argument(help: "The note.")
        var text: String

        @Flag(help: "Citizens may read it (the public page, Open311).")
        var `public` = false

        @OptionGroup var change: ChangeOptions

        func run() throws {
            let store = try database.open()
            let event = try store.addNote(to: id, text: text, actor: change.actor, isPublic: `public`, at: try change.date())
            print("Report #\(id): \(`public` ? "public" : "internal") note added, dated \(Timestamp.short(event.at)).")
        }
    }

    struct Reopen: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reopen", 
            abstract: "Reopen a resolved, rejected or duplicate report: the concern is back.",
            discussion: """
                The report becomes open again (a duplicate loses its link to the original), and the reason goes
                to the history. It counts as overdue again once no response follows.
                Example: citymap reopen 42 --reason "Wieder Scherben am Burgplatz"
                """)

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The report's id.")
        var id: Int64

        @Option(help: "Why it is back; kept in the history.")
        var reason: String

        @Flag(help: "Citizens may read the reason (the public page, Open311).")
        var `public` = false

        @OptionGroup var change: ChangeOptions

        func run() throws {
            let store = try database.open()
            let before = try store.report(id: id)
            _ = try store.reopen(id, reason: reason, actor: change.actor, isPublic: `public`, at: try change.date())
            print("Report #\(id): \(before.status.rawValue) → open (reopened).")
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "edit", 
            abstract: "Correct a report's category, position or description.",
            discussion: """
                A moved report is placed in its district and square again. The history records the old and new
                category and position, and that the description was rewritten (not its text, which may hold
                personal data).
                Example: citymap edit 42 --category cleanliness/illegal-dumping --lat 51.2262 --lon 6.7735
                """)

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The report's id.")
        var id: Int64

        @Option(help: ArgumentHelp("The new category/subcategory (codes or German or English labels).", valueName: "category/subcategory"))
        var category: String?

        @Option(parsing: .unconditional, help: ArgumentHelp("The new latitude (with --lon).", valueName: "degrees"))
        var lat: Degrees?

        @Option(parsing: .unconditional, help: ArgumentHelp("The new longitude (with --lat).", valueName: "degrees"))
        var lon: Degrees?

        @Option(help: "The new description.")
        var description: String?

        @OptionGroup var change: ChangeOptions

        func validate() throws {
            if (lat == nil) != (lon == nil) { throw ValidationError("--lat and --lon move a report together; give both") }
        }

        func run() throws {
            let store = try database.open()
            var position: Coordinate?
            if let lat, let lon { position = try ReportSubmission.position(lat: lat.value, lon: lon.value) }
            let report = try store.edit(id, category: category, position: position, description: description,
                                        actor: change.actor, at: try change.date())
            print("Report #\(id) edited: \(report.category) \(ReportRows.placement(report)).")
        }
    }
}

extension CityMapCommand {
    struct Assign: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "assign", 
            abstract: "Hand a concern to the agency that acts, with a due date.",
            discussion: """
                Agencies (GeoData/responsibilities.json): \(shippedAgencies).
                Without an assignment the default routing names the agency (cleanliness: AWISTA, safety: the OSD, …).
                A concern not closed by its due date is overdue (`citymap overdue --by agency` shows who is late).
                Example: citymap assign 42 awista --due 3
                """)

        /// The agencies of the shipped routing, written here rather than read from the file at every start (help
        /// texts are built for every command before any runs); a test checks they are the file's.
        static let shippedAgencies = "awista, osd, verkehr, citymanagement"

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The report's id.")
        var id: Int64

        @Argument(help: ArgumentHelp("The agency's code or name, e.g. awista, osd, verkehr.", valueName: "agency"))
        var agency: String

        @Option(help: ArgumentHelp("Days from the assignment (--at, default now) until it should be done.", valueName: "days"))
        var due: Int?

        @OptionGroup var change: ChangeOptions

        func run() throws {
            let store = try database.open()
            let report = try store.assign(id, to: agency, dueDays: due, actor: change.actor, at: try change.date())
            let name = (try? Responsibilities.shipped().agency(code: report.agency ?? "")?.name) ?? report.agency ?? agency
            print("Report #\(id) assigned to \(name)\(report.dueAt.map { ", due \(Timestamp.short($0))" } ?? "").")
        }
    }
}
