import ArgumentParser
import CityMap
import Foundation

/// Values of the register's options are read as text and turned into the core's types in `run()`, so that a wrong
/// one is refused in one line by the core's own error (the argument parser would list every value over many lines).
enum VacancyArgument {
    static func state(_ text: String) throws -> VacancyState {
        guard let state = VacancyState(label: text) else { throw VacancyError.unknownState(text) }
        return state
    }

    static func floor(_ text: String) throws -> Floor {
        guard let floor = Floor(label: text) else { throw VacancyError.unknownFloor(text) }
        return floor
    }

    static func budget(_ text: String) throws -> BudgetBand {
        guard let band = BudgetBand(rawValue: text.lowercased()) else { throw VacancyError.unknownBudget(text) }
        return band
    }

    static func step(_ text: String) throws -> BrokeringStep {
        guard let step = BrokeringStep(rawValue: text.lowercased()) else { throw VacancyError.unknownStep(text) }
        return step
    }
}

/// A floor area as people type it: "120", "120,5", "120 m²".
struct SquareMetresOption: ExpressibleByArgument {
    let value: Double
    init(argument: String) {
        value = DecimalNumber.parse(argument.replacingOccurrences(of: "m²", with: "").replacingOccurrences(of: "m2", with: "").trimmingCharacters(in: .whitespaces)) ?? .nan
    }

    func squareMetres(_ parameter: String) throws -> SquareMetres {
        do { return try SquareMetres(value) } catch {
            throw ValidationError("--\(parameter) \(value.isNaN ? "is not a number" : "\(value) is not a floor area"); give square metres above 0 and at most 100000")
        }
    }
}

extension CityMapCommand {
    struct Vacancy: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "vacancy", 
            abstract: "The Leerstand register: vacant shop units, their states over time, enquiries and brokering, and the vacancy figures.",
            discussion: """
                States: occupied → vacant → in-contact (owner reached) → marketed (exposé out) → interim-use → re-let, and
                demolished. Vacant, in-contact and marketed count as vacant; interim use is counted on its own line.
                Owners' and agents' contacts are internal: only `vacancy show` prints them, and no export, page or
                summary contains them.
                Examples:
                  citymap vacancy add --lat 51.2262 --lon 6.7829 --address "Schadowstraße 12" --floor ground --area-m2 140
                  citymap vacancy status 3 marketed --at 2026-06-01 --note "Exposé über Makler"
                  citymap vacancy report --month 2026-06
                """,
            subcommands: [AddUnit.self, ListUnits.self, ShowUnit.self, UnitStatus.self, Link.self, EnquiryCommand.self, Match.self,
                          ImportRegister.self, ExportUnits.self, Report.self])
    }

    /// Filters of `vacancy list` and `vacancy export`.
    struct VacancyFilterOptions: ParsableArguments {
        @Option(name: .long, help: ArgumentHelp("Only units in this state (\(VacancyState.allCases.map(\.rawValue).joined(separator: ", "))). Repeatable.", valueName: "state"))
        var state: [String] = []

        @Option(name: .long, help: ArgumentHelp("Only this district: code (west, ost) or name. Repeatable.", valueName: "district"))
        var district: [String] = []

        @Option(name: .long, help: ArgumentHelp("Only this street, e.g. Schadowstraße. Repeatable.", valueName: "street"))
        var street: [String] = []

        @Option(name: .long, help: "Only ground or upper floors.")
        var floor: String?

        @Flag(name: .long, help: "Only units counted as vacant (vacant, in-contact, marketed).")
        var vacant = false

        func filter() throws -> VacancyFilter {
            var f = VacancyFilter()
            f.states = try state.map(VacancyArgument.state)
            f.districts = district
            f.streets = street
            f.floor = try floor.map(VacancyArgument.floor)
            f.vacantOnly = vacant
            return f
        }
    }

    static func unitRow(_ u: VacancyUnit) -> [Cell] {
        [.integer(u.id), .text(u.address), .text(u.floor.rawValue), .text(u.area.map { String(format: "%.0f", $0.value) }),
         .text(u.state.rawValue), .text(String(Timestamp.local(u.stateSince).prefix(10))), .text(u.lastUse),
         .text(u.district?.name ?? "–"), .text(u.square?.name)]
    }

    static let unitColumns = ["id", "address", "floor", "m²", "state", "since", "last use", "district", "square"]

    struct AddUnit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Enter a shop unit in the register, in its state since --at.",
            discussion: """
                The unit is placed in its district and square as reports are. --from-report takes the position (and links
                the report) from a report logged in a vacancy/* category during a walk.
                Example: citymap vacancy add --lat 51.2262 --lon 6.7829 --address "Schadowstraße 12" --floor ground --area-m2 140 --last-use Schuhgeschäft --owner "Hausverwaltung X, 0211 …"
                """)

        @OptionGroup var database: DatabaseOptions

        @Option(parsing: .unconditional, help: ArgumentHelp("Latitude in degrees (WGS84).", valueName: "degrees"))
        var lat: Degrees?

        @Option(parsing: .unconditional, help: ArgumentHelp("Longitude in degrees (WGS84).", valueName: "degrees"))
        var lon: Degrees?

        @Option(help: "Street and house number, e.g. \"Schadowstraße 12\".")
        var address: String

        @Option(help: "The street the figures group it under. Default: the address without its house number.")
        var street: String?

        @Option(help: "ground or upper (EG/OG).")
        var floor: String

        @Option(name: .customLong("area-m2"), help: ArgumentHelp("Floor area in m².", valueName: "m²"))
        var areaM2: SquareMetresOption?

        @Option(help: "What the unit was used for last, e.g. Schuhgeschäft.")
        var lastUse: String?

        @Option(help: "Owner's or agent's contact. Internal: never in any public output.")
        var owner: String?

        @Option(help: "Its state now: occupied, vacant (default), in-contact, marketed or interim-use.")
        var state: String = "vacant"

        @Option(help: "A report (vacancy/*) to take the position from and link to the unit.")
        var fromReport: Int64?

        @Option(help: "A note for the history.")
        var note: String?

        @OptionGroup var change: ChangeOptions
        @OptionGroup var output: FormatOption

        func validate() throws {
            if fromReport == nil && (lat == nil || lon == nil) { throw ValidationError("give --lat and --lon, or --from-report") }
        }

        func run() throws {
            let store = try database.open()
            let position: Coordinate
            if let lat, let lon {
                position = try Coordinate(lon: lon.value, lat: lat.value)
            } else {
                position = try store.report(id: fromReport!).position
            }
            var new = NewVacancyUnit(position: position, address: address, floor: try VacancyArgument.floor(floor), area: try areaM2?.squareMetres("area-m2"),
                                     since: try change.date() ?? Date())
            new.street = street
            new.lastUse = lastUse
            new.owner = owner
            new.state = try VacancyArgument.state(state)
            new.actor = change.actor
            new.note = note
            let unit = try store.addVacancyUnit(new)
            if let fromReport { try store.linkReport(fromReport, toUnit: unit.id) }
            if output.format == .json { print(try JSONText.string(unit)); return }
            var line = "Added unit #\(unit.id): \(unit.address), \(unit.floor.rawValue) floor"
            if let area = unit.area { line += ", \(area)" }
            line += ", \(unit.state.rawValue) since \(Timestamp.short(unit.stateSince))"
            line += unit.district.map { " in \($0.name)" } ?? " outside both districts"
            if let square = unit.square { line += ", on \(square.name)" }
            if let fromReport { line += "; report #\(fromReport) linked" }
            print(line + ".")
        }
    }

    struct ListUnits: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the register's units with their state (no owners).")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var filters: VacancyFilterOptions
        @OptionGroup var output: FormatOption

        func run() throws {
            let units = try database.open().vacancyUnits(matching: filters.filter())
            if output.format == .json { print(try JSONText.string(units)); return }
            emit(TableWriter(columns: CityMapCommand.unitColumns, rows: units.map(CityMapCommand.unitRow)).render(output.format))
            if output.format == .table { print("\(units.count) unit\(units.count == 1 ? "" : "s")") }
        }
    }

    struct ShowUnit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "A unit with its owner contact (internal), history, brokering and linked reports.")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The unit's id.")
        var id: Int64

        @OptionGroup var output: FormatOption

        func run() throws {
            let detail = try database.open().vacancyDetail(id)
            if output.format == .json { print(try JSONText.string(detail)); return }
            let u = detail.unit
            var lines = ["Unit #\(u.id): \(u.address) (\(u.street)), \(u.floor.rawValue) floor" + (u.area.map { ", \($0)" } ?? "")]
            lines.append("  state:    \(u.state.rawValue) since \(Timestamp.short(u.stateSince))" + (u.state.isVacant ? " (counted as vacant)" : ""))
            lines.append("  where:    \(u.position.lat), \(u.position.lon); \(u.district?.name ?? "outside both districts")" + (u.square.map { ", \($0.name)" } ?? ""))
            if let use = u.lastUse { lines.append("  last use: \(use)") }
            lines.append("  owner:    \(detail.owner ?? "–")  (internal)")
            if !detail.reports.isEmpty { lines.append("  reports:  " + detail.reports.map { "#\($0)" }.joined(separator: ", ")) }
            print(lines.joined(separator: "\n") + "\n")
            print("History")
            emit(TableWriter(columns: ["at", "from", "to", "by", "note"], rows: detail.history.map { e in
                [.text(Timestamp.short(e.at)), .text(e.from?.rawValue ?? "–"), .text(e.to.rawValue), .text(e.actor), .text(e.note)]
            }).table())
            if !detail.brokering.isEmpty {
                print("\nBrokering")
                emit(TableWriter(columns: ["at", "enquiry", "step", "by", "note"], rows: detail.brokering.map { b in
                    [.text(Timestamp.short(b.at)), .integer(b.enquiry), .text(b.step.rawValue), .text(b.actor), .text(b.note)]
                }).table())
            }
        }
    }

    struct UnitStatus: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status", abstract: "Move a unit to another state, dated, with who and a note.",
            discussion: """
                Allowed: occupied → vacant; vacant, in-contact, marketed and interim-use → one another or re-let; re-let →
                vacant (it fell vacant again); any → demolished. Refused: what makes no sense, such as occupied straight to re-let.
                Example: citymap vacancy status 3 re-let --at 2026-09-01 --note "Café eröffnet" --actor CM
                """)

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The unit's id.")
        var id: Int64

        @Argument(help: ArgumentHelp("The new state: \(VacancyState.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "state"))
        var state: String

        @Option(help: "What happened; kept in the history.")
        var note: String?

        @OptionGroup var change: ChangeOptions

        func run() throws {
            let store = try database.open()
            let before = try store.vacancyDetail(id).unit
            let after = try store.changeVacancyState(id, to: try VacancyArgument.state(state), at: try change.date(), actor: change.actor, note: note)
            print("Unit #\(id) (\(after.address)): \(before.state.rawValue) → \(after.state.rawValue) on \(Timestamp.short(after.stateSince)).")
        }
    }

    struct Link: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "link", 
            abstract: "Link a report of a vacancy/* category (logged on a walk) to a unit of the register.")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The unit's id.")
        var unit: Int64

        @Argument(help: "The report's id.")
        var report: Int64

        func run() throws {
            try database.open().linkReport(report, toUnit: unit)
            print("Report #\(report) linked to unit #\(unit).")
        }
    }

    struct EnquiryCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "enquiry", abstract: "Enquiries from businesses looking for space, and the brokering steps.",
            subcommands: [AddEnquiry.self, ListEnquiries.self, Step.self], defaultSubcommand: ListEnquiries.self)
    }

    struct AddEnquiry: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Record an enquiry: what the business wants, size, budget band, where, when.",
            discussion: "Example: citymap vacancy enquiry add --wants \"Café mit Außengastronomie\" --min-m2 60 --max-m2 120 --budget 1000-2500 --district west --contact \"…\"")

        @OptionGroup var database: DatabaseOptions

        @Option(help: "What the business wants to open.")
        var wants: String

        @Option(name: .customLong("min-m2"), help: ArgumentHelp("Smallest area wanted, m².", valueName: "m²"))
        var minM2: SquareMetresOption?

        @Option(name: .customLong("max-m2"), help: ArgumentHelp("Largest area wanted, m².", valueName: "m²"))
        var maxM2: SquareMetresOption?

        @Option(help: "Rent a month: under-1000, 1000-2500, 2500-5000 or over-5000 (euros).")
        var budget: String?

        @Option(help: "ground or upper, if it matters.")
        var floor: String?

        @Option(help: ArgumentHelp("A district it would go to (code or name). Repeatable; none: any.", valueName: "district"))
        var district: [String] = []

        @Option(help: "The business's contact. Internal: never in any public output.")
        var contact: String?

        @OptionGroup var change: ChangeOptions
        @OptionGroup var output: FormatOption

        func run() throws {
            let store = try database.open()
            var new = NewEnquiry(wants: wants, receivedAt: try change.date() ?? Date())
            new.minArea = try minM2?.squareMetres("min-m2")
            new.maxArea = try maxM2?.squareMetres("max-m2")
            new.budget = try budget.map(VacancyArgument.budget)
            new.floor = try floor.map(VacancyArgument.floor)
            new.districts = district
            new.contact = contact
            new.actor = change.actor
            let enquiry = try store.addEnquiry(new)
            if output.format == .json { print(try JSONText.string(enquiry)); return }
            print("Enquiry #\(enquiry.id): \(enquiry.wants). `citymap vacancy match \(enquiry.id)` proposes units.")
        }
    }

    struct ListEnquiries: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the enquiries, newest first (no contacts).")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption

        func run() throws {
            let list = try database.open().enquiries()
            if output.format == .json { print(try JSONText.string(list)); return }
            emit(TableWriter(columns: ["id", "received", "wants", "m²", "budget", "floor", "districts", "latest step"], rows: list.map { e in
                let size = [e.minArea, e.maxArea].map { $0.map { String(format: "%.0f", $0.value) } ?? "" }.joined(separator: "–")
                return [.integer(e.id), .text(String(Timestamp.local(e.receivedAt).prefix(10))), .text(e.wants), .text(size == "–" ? "any" : size),
                        .text(e.budget?.rawValue ?? "–"), .text(e.floor?.rawValue ?? "any"), .text(e.districts.isEmpty ? "any" : e.districts.joined(separator: ", ")),
                        .text(e.latestStep?.rawValue ?? "–")]
            }).render(output.format))
        }
    }

    struct Step: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "step", 
            abstract: "Record a brokering step between an enquiry and a unit: proposed, viewing, negotiating, signed or declined.",
            discussion: "Example: citymap vacancy enquiry step 2 5 viewing --at 2026-06-12 --note \"Besichtigung mit Eigentümer\"")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The enquiry's id.")
        var enquiry: Int64

        @Argument(help: "The unit's id.")
        var unit: Int64

        @Argument(help: "proposed, viewing, negotiating, signed or declined.")
        var step: String

        @Option(help: "What happened.")
        var note: String?

        @OptionGroup var change: ChangeOptions

        func run() throws {
            let step = try VacancyArgument.step(step)
            let record = try database.open().recordBrokering(enquiry: enquiry, unit: unit, step: step, at: try change.date(),
                                                             actor: change.actor, note: note)
            var line = "Enquiry #\(enquiry), unit #\(unit): \(record.step.rawValue) on \(Timestamp.short(record.at))."
            if step == .signed { line += " When the lease starts: citymap vacancy status \(unit) re-let --at DATE" }
            print(line)
        }
    }

    struct Match: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "match", 
            abstract: "Propose units for an enquiry: vacant or in interim use, of the size, floor and districts wanted; best fit first.")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The enquiry's id.")
        var enquiry: Int64

        @Option(help: "At most this many units.")
        var limit: Int = 20

        @OptionGroup var output: FormatOption

        func validate() throws { if limit < 1 { throw ValidationError("--limit must be at least 1") } }

        func run() throws {
            let (e, matches) = try database.open().matches(enquiry: enquiry, limit: limit)
            if output.format == .json { print(try JSONText.string(matches)); return }
            emit(TableWriter(columns: CityMapCommand.unitColumns + ["size gap", "days in state", "step"], rows: matches.map { m in
                CityMapCommand.unitRow(m.unit) + [.text(String(format: "%.0f %%", m.sizeGap * 100)), .integer(Int64(m.daysInState)),
                                                  .text(m.step?.rawValue ?? "–")]
            }).render(output.format))
            if output.format == .table { print("\(matches.count) unit\(matches.count == 1 ? "" : "s") for enquiry #\(e.id) (\(e.wants))") }
        }
    }

    struct ImportRegister: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import", abstract: "Load a Leerstandskataster CSV: new units are added, known ones move to the state given.",
            discussion: """
                Columns (German or English, any order, ; or ,): id, adresse (or strasse + hausnummer), lat/breite, lon/länge,
                geschoss (EG/OG), fläche_m2, letzte_nutzung, status (leer, in Kontakt, vermarktet, Zwischennutzung,
                wiedervermietet, abgerissen, belegt, or the English states), seit (2026-03-31 or 31.03.2026), eigentümer,
                bemerkung. Units are known again by their id (else by address and floor). Any refused row stops the
                import, naming its line and column, and nothing is written.
                """)

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The Kataster CSV.", completion: .file(extensions: ["csv", "txt"]))
        var file: String

        func run() throws {
            let store = try database.open()
            let rows = try VacancyRegisterFile.read(URL(fileURLWithPath: file))
            let summary = try store.importVacancyRegister(rows, file: file)
            print("Read \(rows.count) unit\(rows.count == 1 ? "" : "s") from \(file): \(summary.added) added, \(summary.changed) changed state, \(summary.unchanged) unchanged.")
        }
    }

    struct ExportUnits: ParsableCommand {
        enum Format: String, ExpressibleByArgument, CaseIterable { case geojson, geojsonseq, csv }

        static let configuration = CommandConfiguration(
            commandName: "export", abstract: "Write the units as GeoJSON points coloured by state, for uMap, QGIS or geojson.io (no owners).")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var filters: VacancyFilterOptions

        @Option(name: .shortAndLong, help: ArgumentHelp("The file to write; - for standard output.", valueName: "file"))
        var out: String = "-"

        @Option(help: "geojson (default), geojsonseq or csv (WKT).")
        var format: Format = .geojson

        func run() throws {
            let store = try database.open()
            var options = ExportOptions()
            options.format = switch format { case .geojson: .geojson; case .geojsonseq: .geojsonseq; case .csv: .csv }
            let count = try OutputTarget(path: out).write(protecting: store.protectedFiles) { sink in
                try store.exportVacancy(try filters.filter(), options: options, to: sink)
            }
            if out != "-" { printError("Wrote \(count) unit\(count == 1 ? "" : "s") to \(out) (\(format.rawValue)).") }
        }
    }

    struct Report: ParsableCommand {
        enum Format: String, ExpressibleByArgument, CaseIterable { case table, markdown, csv, json }

        static let configuration = CommandConfiguration(commandName: "report", 
            abstract: "Vacancy rate per district and street, how long units stand vacant, months to re-let, and the change.",
            discussion: """
                --at DATE: the state at the end of that day (Europe/Berlin), against the same day a month before; re-lets and
                new vacancies of the month up to it. --month: at the month's end, against the month before. Default: the
                current month. Rate = vacant (vacant, in-contact, marketed) ÷ units not demolished; interim use apart.
                Durations are in months of 30.44 days; median and 90th percentile (numpy's linear method).
                Examples:
                  citymap vacancy report --at 2026-06-30 --format json
                  citymap vacancy report --month 2026-06 --format markdown
                """)

        @OptionGroup var database: DatabaseOptions

        @Option(help: ArgumentHelp("A day (YYYY-MM-DD) or moment.", valueName: "date"))
        var at: String?

        @Option(help: ArgumentHelp("A calendar month, YYYY-MM.", valueName: "month"))
        var month: String?

        @Option(help: "table, markdown, csv or json.")
        var format: Format = .table

        func validate() throws {
            if at != nil && month != nil { throw ValidationError("choose --at or --month") }
        }

        func run() throws {
            let store = try database.open()
            let dates: VacancyDates
            if let at {
                dates = try VacancyDates.at(at)
            } else {
                dates = VacancyDates.month(try Period.month(month ?? String(Timestamp.local(Date()).prefix(7))))
            }
            let report = try store.vacancyReport(dates)
            switch format {
            case .table: emit(report.table())
            case .markdown: emit(report.markdown())
            case .csv: emit(report.csv())
            case .json: print(try report.json())
            }
        }
    }
}
