import Foundation
import GRDB

/// The Leerstand register: units, their dated states, owners (internal), enquiries, brokering and the figures.
/// Every change is one transaction with its history entry.
extension Store {
    static let vacancyUnitColumns = """
        u.id, u.lon, u.lat, u.address, u.street, u.floor, u.area_m2, u.last_use, u.state, u.state_since,
        d.id AS d_id, d.kind AS d_kind, d.code AS d_code, d.name AS d_name, d.source AS d_source,
        s.id AS s_id, s.kind AS s_kind, s.code AS s_code, s.name AS s_name, s.source AS s_source
        FROM vacancy_units u LEFT JOIN areas d ON d.id = u.district_id LEFT JOIN areas s ON s.id = u.square_id
        """

    static func vacancyUnit(_ row: Row) throws -> VacancyUnit {
        func area(_ prefix: String) throws -> Area? { try AreaRecord.joined(row, prefix: prefix) }
        let squareMetres: Double? = row["area_m2"]
        return VacancyUnit(
            id: row["id"], position: Coordinate(trustedLon: row["lon"], lat: row["lat"]), address: row["address"], street: row["street"],
            floor: try StoredValue.enumeration(row["floor"], column: "vacancy_units.floor"), area: squareMetres.map { SquareMetres(trusted: $0) },
            lastUse: row["last_use"], district: try area("d"), square: try area("s"),
            state: try StoredValue.enumeration(row["state"], column: "vacancy_units.state"),
            stateSince: try StoredValue.time(row["state_since"] as String, column: "vacancy_units.state_since"))
    }

    static func vacancyUnit(id: Int64, db: Database) throws -> VacancyUnit {
        guard let row = try Row.fetchOne(db, sql: "SELECT \(vacancyUnitColumns) WHERE u.id = ?", arguments: [id]) else {
            throw VacancyError.unknownUnit(id)
        }
        return try vacancyUnit(row)
    }

    /// Enters a unit in the register in its state since `since`; placed in its district and square as reports are.
    @discardableResult
    public func addVacancyUnit(_ new: NewVacancyUnit, now: Date = Date()) throws -> VacancyUnit {
        try write { db in try insertVacancyUnit(new, db: db, now: now) }
    }

    func insertVacancyUnit(_ new: NewVacancyUnit, db: Database, now: Date) throws -> VacancyUnit {
        guard VacancyState.initial.contains(new.state) else { throw VacancyError.illegalInitialState(new.state) }
        let address = new.address.trimmed
        guard !address.isEmpty else { throw VacancyError.emptyText(field: "address") }
        let street = (new.street?.trimmed).flatMap { $0.isEmpty ? nil : $0 } ?? NewVacancyUnit.street(of: address)
        if new.since > now.addingTimeInterval(Self.clockSkew) {
            throw DomainError.invalidText(field: "at", reason: "\(Timestamp.short(new.since)) lies in the future; give when the unit was in this state")
        }
        let placement = try areaIndex(db).place(new.position)
        let stamp = Timestamp.utc(new.since)
        try db.execute(sql: """
            INSERT INTO vacancy_units (address, street, floor, area_m2, last_use, lon, lat, district_id, square_id, state, state_since,
                                       source, external_id, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [address, street, new.floor.rawValue, new.area?.value, new.lastUse?.trimmed, new.position.lon, new.position.lat,
                             placement.district?.id, placement.square?.id, new.state.rawValue, stamp, new.source, new.externalID,
                             Timestamp.utc(now)])
        let id = db.lastInsertedRowID
        if let owner = new.owner?.trimmed, !owner.isEmpty {
            try db.execute(sql: "INSERT INTO vacancy_owners (unit_id, contact) VALUES (?, ?)", arguments: [id, owner])
        }
        try db.execute(sql: "INSERT INTO vacancy_events (unit_id, at, from_state, to_state, actor, note) VALUES (?, ?, NULL, ?, ?, ?)",
                       arguments: [id, stamp, new.state.rawValue, new.actor, new.note])
        return try Self.vacancyUnit(id: id, db: db)
    }

    /// Moves a unit to another state at `at` (default now), if the lifecycle allows it; `at` may not lie in the future
    /// nor before the unit's latest change.
    @discardableResult
    public func changeVacancyState(_ id: Int64, to state: VacancyState, at: Date? = nil, actor: String? = nil, note: String? = nil,
                                   now: Date = Date()) throws -> VacancyUnit {
        try write { db in try changeVacancyState(id, to: state, at: at ?? now, actor: actor, note: note, now: now, db: db) }
    }

    func changeVacancyState(_ id: Int64, to state: VacancyState, at: Date, actor: String?, note: String?, now: Date, db: Database) throws -> VacancyUnit {
        let unit = try Self.vacancyUnit(id: id, db: db)
        guard unit.state.canMove(to: state) else { throw VacancyError.illegalTransition(unit: id, from: unit.state, to: state) }
        if at > now.addingTimeInterval(Self.clockSkew) {
            throw VacancyError.eventTime(unit: id, reason: "\(Timestamp.short(at)) lies in the future; give when it happened")
        }
        if at < unit.stateSince {
            throw VacancyError.eventTime(unit: id, reason: "\(Timestamp.short(at)) is before the unit's latest change (\(unit.state.rawValue) since \(Timestamp.short(unit.stateSince))); `citymap vacancy show \(id)` lists its history")
        }
        let stamp = Timestamp.utc(at)
        try db.execute(sql: "UPDATE vacancy_units SET state = ?, state_since = ? WHERE id = ?", arguments: [state.rawValue, stamp, id])
        try db.execute(sql: "INSERT INTO vacancy_events (unit_id, at, from_state, to_state, actor, note) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [id, stamp, unit.state.rawValue, state.rawValue, actor, note?.trimmed])
        return try Self.vacancyUnit(id: id, db: db)
    }

    /// The units matching the filter, by street and address.
    public func vacancyUnits(matching filter: VacancyFilter = VacancyFilter()) throws -> [VacancyUnit] {
        try read { db in
            var conditions: [String] = [], arguments: StatementArguments = []
            var states = filter.states.map(\.rawValue)
            if filter.vacantOnly { states = VacancyState.allCases.filter(\.isVacant).map(\.rawValue).filter { states.isEmpty || states.contains($0) } }
            if !states.isEmpty {
                conditions.append("u.state IN (\(ReportQuery.placeholders(states.count)))")
                arguments += StatementArguments(states)
            }
            if !filter.districts.isEmpty {
                let ids = try districts(filter.districts, db: db).map(\.id)
                conditions.append("u.district_id IN (\(ReportQuery.placeholders(ids.count)))")
                arguments += StatementArguments(ids)
            }
            if !filter.streets.isEmpty {
                conditions.append("lower(u.street) IN (\(ReportQuery.placeholders(filter.streets.count)))")
                arguments += StatementArguments(filter.streets.map { $0.trimmed.lowercased() })
            }
            if let floor = filter.floor {
                conditions.append("u.floor = ?")
                arguments += [floor.rawValue]
            }
            let sql = "SELECT \(Self.vacancyUnitColumns)" + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
                + " ORDER BY u.street, u.address, u.id"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.vacancyUnit)
        }
    }

    /// The districts named by code or name (any case); an unknown one is an error listing the codes.
    private func districts(_ keys: [String], db: Database) throws -> [Area] {
        let all = try AreaRecord.fetchAll(db, sql: "SELECT \(AreaRecord.selection) FROM areas WHERE kind = 'district'").map(\.area)
        return try keys.map { key in
            guard let match = all.first(where: { $0.code.lowercased() == key.lowercased() || $0.name.lowercased() == key.lowercased() }) else {
                throw DomainError.unknownDistrict(key, known: all.map(\.code))
            }
            return match
        }
    }

    /// A unit with its owner contact, history, brokering and linked reports: for the office only.
    public func vacancyDetail(_ id: Int64) throws -> VacancyUnitDetail {
        try read { db in
            let unit = try Self.vacancyUnit(id: id, db: db)
            let owner = try String.fetchOne(db, sql: "SELECT contact FROM vacancy_owners WHERE unit_id = ?", arguments: [id])
            let history = try Row.fetchAll(db, sql: "SELECT at, from_state, to_state, actor, note FROM vacancy_events WHERE unit_id = ? ORDER BY at, id",
                                           arguments: [id]).map { row in
                VacancyEvent(at: try StoredValue.time(row["at"] as String, column: "vacancy_events.at"),
                             from: try (row["from_state"] as String?).map { try StoredValue.enumeration($0, column: "vacancy_events.from_state") },
                             to: try StoredValue.enumeration(row["to_state"], column: "vacancy_events.to_state"),
                             actor: row["actor"], note: row["note"])
            }
            let brokering = try Self.brokering(db, condition: "unit_id = ?", arguments: [id])
            let reports = try Int64.fetchAll(db, sql: "SELECT report_id FROM vacancy_report_links WHERE unit_id = ? ORDER BY report_id", arguments: [id])
            return VacancyUnitDetail(unit: unit, owner: owner, history: history, brokering: brokering, reports: reports)
        }
    }

    /// Links a report of a `vacancy/*` category to a unit (a report links to at most one unit; linking again moves it).
    public func linkReport(_ reportID: Int64, toUnit unitID: Int64) throws {
        try write { db in
            _ = try Self.vacancyUnit(id: unitID, db: db)
            guard let report = try Self.report(id: reportID, db: db) else { throw DomainError.unknownReport(reportID) }
            guard report.category.category == "vacancy" else {
                throw VacancyError.notAVacancyReport(report: reportID, category: report.category.description)
            }
            try db.execute(sql: "INSERT OR REPLACE INTO vacancy_report_links (report_id, unit_id) VALUES (?, ?)", arguments: [reportID, unitID])
        }
    }

    /// Loads a Leerstandskataster (`VacancyRegisterFile.read`) in one transaction: a unit not yet known (by the
    /// register's id) is added in its state; a known unit in another state moves to it at the row's date, if the
    /// lifecycle allows; a known unit in the same state is left alone. Any refused row stops the import, naming its
    /// line, and nothing is written.
    public func importVacancyRegister(_ rows: [VacancyRegisterRow], file: String, now: Date = Date()) throws -> VacancyImportSummary {
        try write { db in
            var summary = VacancyImportSummary()
            for row in rows {
                do {
                    if let id = try Int64.fetchOne(db, sql: "SELECT id FROM vacancy_units WHERE source = ? AND external_id = ?",
                                                   arguments: [row.unit.source, row.unit.externalID]) {
                        let unit = try Self.vacancyUnit(id: id, db: db)
                        if unit.state == row.unit.state {
                            summary.unchanged += 1
                        } else {
                            _ = try changeVacancyState(id, to: row.unit.state, at: row.unit.since, actor: row.unit.actor,
                                                       note: row.unit.note ?? "Kataster import", now: now, db: db)
                            summary.changed += 1
                        }
                    } else {
                        _ = try insertVacancyUnit(row.unit, db: db, now: now)
                        summary.added += 1
                    }
                } catch let error as any CityMapError {
                    throw ImportError(file: file, location: "line \(row.line)", field: error.parameter, message: error.message { $0 })
                }
            }
            return summary
        }
    }

    // MARK: Enquiries and brokering

    /// Records an enquiry from a business looking for space.
    @discardableResult
    public func addEnquiry(_ new: NewEnquiry, now: Date = Date()) throws -> Enquiry {
        let wants = new.wants.trimmed
        guard !wants.isEmpty else { throw VacancyError.emptyText(field: "wants") }
        if let min = new.minArea, let max = new.maxArea, max < min { throw VacancyError.sizeRange(min: min.value, max: max.value) }
        if new.receivedAt > now.addingTimeInterval(Self.clockSkew) {
            throw DomainError.invalidText(field: "at", reason: "\(Timestamp.short(new.receivedAt)) lies in the future; give when the enquiry came in")
        }
        return try write { db in
            let codes = try districts(new.districts, db: db).map(\.code)
            try db.execute(sql: """
                INSERT INTO vacancy_enquiries (wants, min_m2, max_m2, budget, floor, districts, received_at, contact, actor, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [wants, new.minArea?.value, new.maxArea?.value, new.budget?.rawValue, new.floor?.rawValue,
                                 codes.joined(separator: ","), Timestamp.utc(new.receivedAt), new.contact?.trimmed, new.actor, Timestamp.utc(now)])
            return try Self.enquiry(id: db.lastInsertedRowID, db: db)
        }
    }

    static func enquiry(_ row: Row) throws -> Enquiry {
        let min: Double? = row["min_m2"], max: Double? = row["max_m2"], districts: String = row["districts"]
        return Enquiry(id: row["id"], wants: row["wants"], minArea: min.map { SquareMetres(trusted: $0) },
                       maxArea: max.map { SquareMetres(trusted: $0) },
                       budget: try (row["budget"] as String?).map { try StoredValue.enumeration($0, column: "vacancy_enquiries.budget") },
                       floor: try (row["floor"] as String?).map { try StoredValue.enumeration($0, column: "vacancy_enquiries.floor") },
                       districts: districts.split(separator: ",").map(String.init),
                       receivedAt: try StoredValue.time(row["received_at"] as String, column: "vacancy_enquiries.received_at"),
                       latestStep: try (row["latest_step"] as String?).map { try StoredValue.enumeration($0, column: "vacancy_brokering.step") })
    }

    private static let enquiryColumns = """
        e.id, e.wants, e.min_m2, e.max_m2, e.budget, e.floor, e.districts, e.received_at,
        (SELECT b.step FROM vacancy_brokering b WHERE b.enquiry_id = e.id ORDER BY b.at DESC, b.id DESC LIMIT 1) AS latest_step
        FROM vacancy_enquiries e
        """

    static func enquiry(id: Int64, db: Database) throws -> Enquiry {
        guard let row = try Row.fetchOne(db, sql: "SELECT \(enquiryColumns) WHERE e.id = ?", arguments: [id]) else {
            throw VacancyError.unknownEnquiry(id)
        }
        return try enquiry(row)
    }

    /// All enquiries, newest first.
    public func enquiries() throws -> [Enquiry] {
        try read { db in try Row.fetchAll(db, sql: "SELECT \(Self.enquiryColumns) ORDER BY e.received_at DESC, e.id DESC").map(Self.enquiry) }
    }

    /// Records a brokering step between an enquiry and a unit.
    @discardableResult
    public func recordBrokering(enquiry enquiryID: Int64, unit unitID: Int64, step: BrokeringStep, at: Date? = nil, actor: String? = nil,
                                note: String? = nil, now: Date = Date()) throws -> BrokeringRecord {
        let at = at ?? now
        return try write { db in
            let enquiry = try Self.enquiry(id: enquiryID, db: db)
            _ = try Self.vacancyUnit(id: unitID, db: db)
            if at > now.addingTimeInterval(Self.clockSkew) {
                throw VacancyError.eventTime(unit: unitID, reason: "\(Timestamp.short(at)) lies in the future; give when it happened")
            }
            if at < enquiry.receivedAt {
                throw VacancyError.eventTime(unit: unitID, reason: "\(Timestamp.short(at)) is before enquiry #\(enquiryID) came in (\(Timestamp.short(enquiry.receivedAt)))")
            }
            try db.execute(sql: "INSERT INTO vacancy_brokering (enquiry_id, unit_id, step, at, actor, note) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [enquiryID, unitID, step.rawValue, Timestamp.utc(at), actor, note?.trimmed])
            return BrokeringRecord(enquiry: enquiryID, unit: unitID, step: step, at: at, actor: actor, note: note?.trimmed)
        }
    }

    /// The brokering of one enquiry, in time order.
    public func brokering(enquiry id: Int64) throws -> [BrokeringRecord] {
        try read { db in
            _ = try Self.enquiry(id: id, db: db)
            return try Self.brokering(db, condition: "enquiry_id = ?", arguments: [id])
        }
    }

    static func brokering(_ db: Database, condition: String, arguments: StatementArguments) throws -> [BrokeringRecord] {
        try Row.fetchAll(db, sql: "SELECT enquiry_id, unit_id, step, at, actor, note FROM vacancy_brokering WHERE \(condition) ORDER BY at, id",
                         arguments: arguments).map { row in
            BrokeringRecord(enquiry: row["enquiry_id"], unit: row["unit_id"],
                            step: try StoredValue.enumeration(row["step"], column: "vacancy_brokering.step"),
                            at: try StoredValue.time(row["at"] as String, column: "vacancy_brokering.at"), actor: row["actor"], note: row["note"])
        }
    }

    /// Units that fit an enquiry: vacant (vacant, in contact, marketed) or in interim use, of the size wanted (units
    /// without an area are left out when a size is asked), on the floor and in the districts wanted. A unit the
    /// enquiry has declined, or signed for, is not proposed again. Best fit first: the smallest gap to the middle of
    /// the size range, then the longest-standing vacancy.
    public func matches(enquiry id: Int64, limit: Int = 20, now: Date = Date()) throws -> (Enquiry, [VacancyMatch]) {
        try read { db in
            let enquiry = try Self.enquiry(id: id, db: db)
            var conditions = ["u.state IN ('vacant', 'in-contact', 'marketed', 'interim-use')"]
            var arguments: StatementArguments = []
            if let min = enquiry.minArea { conditions.append("u.area_m2 >= ?"); arguments += [min.value] }
            if let max = enquiry.maxArea { conditions.append("u.area_m2 <= ?"); arguments += [max.value] }
            if let floor = enquiry.floor { conditions.append("u.floor = ?"); arguments += [floor.rawValue] }
            if !enquiry.districts.isEmpty {
                conditions.append("d.code IN (\(ReportQuery.placeholders(enquiry.districts.count)))")
                arguments += StatementArguments(enquiry.districts)
            }
            conditions.append("""
                u.id NOT IN (SELECT b.unit_id FROM vacancy_brokering b WHERE b.enquiry_id = ? AND b.step IN ('declined', 'signed'))
                """)
            arguments += [id]
            let units = try Row.fetchAll(db, sql: "SELECT \(Self.vacancyUnitColumns) WHERE " + conditions.joined(separator: " AND "),
                                         arguments: arguments).map(Self.vacancyUnit)
            var steps: [Int64: BrokeringStep] = [:]
            for record in try Self.brokering(db, condition: "enquiry_id = ?", arguments: [id]) { steps[record.unit] = record.step }
            let middle: Double? = switch (enquiry.minArea, enquiry.maxArea) {
            case let (a?, b?): (a.value + b.value) / 2
            case let (a?, nil): a.value
            case let (nil, b?): b.value
            case (nil, nil): nil
            }
            var list = units.map { u in
                VacancyMatch(unit: u, sizeGap: middle.flatMap { m in u.area.map { abs($0.value - m) / m } } ?? 0,
                             daysInState: max(0, Int(now.timeIntervalSince(u.stateSince) / 86_400)), step: steps[u.id])
            }
            list.sort { ($0.sizeGap, -$0.daysInState, $0.unit.id) < ($1.sizeGap, -$1.daysInState, $1.unit.id) }
            return (enquiry, Array(list.prefix(limit)))
        }
    }

    // MARK: Figures

    /// The Leerstand figures at the given dates, per district and street: one pass over every unit's history in
    /// the index order (unit, time), in SQLite's own row format (no row objects).
    public func vacancyReport(_ dates: VacancyDates) throws -> VacancyReport {
        try read { db in
            struct UnitKey { let district: Int32; let street: Int32 }
            var districtNames: [(name: String, code: String)] = []
            var districtIndex: [Int64: Int32] = [:]
            for area in try AreaRecord.fetchAll(db, sql: "SELECT \(AreaRecord.selection) FROM areas WHERE kind = 'district' ORDER BY name DESC").map(\.area) {
                districtIndex[area.id] = Int32(districtNames.count)
                districtNames.append((area.name, area.code))
            }
            var streetNames: [String] = [], streetIndex: [String: Int32] = [:]
            var units: [Int64: UnitKey] = [:]
            let unitRows = try db.makeStatement(sql: "SELECT id, district_id, street FROM vacancy_units")
            let unitReader = RowReader(handle: unitRows.sqliteStatement)
            while try unitReader.step(connection: db.sqliteConnection) {
                let street = unitReader.string(2) ?? ""
                let s: Int32
                if let known = streetIndex[street] { s = known } else {
                    s = Int32(streetNames.count)
                    streetIndex[street] = s
                    streetNames.append(street)
                }
                let d = unitReader.isNull(1) ? -1 : (districtIndex[unitReader.int64(1)] ?? -1)
                units[unitReader.int64(0)] = UnitKey(district: d, street: s)
            }
            let figures = VacancyFigures(dates: dates)
            var all = VacancyFigures.Tally()
            var byDistrict = [VacancyFigures.Tally](repeating: .init(), count: districtNames.count)
            var byStreet = [VacancyFigures.Tally](repeating: .init(), count: streetNames.count)
            func finish(_ unit: Int64, _ events: [(at: Double, state: VacancyState)]) {
                guard let key = units[unit], !events.isEmpty else { return }
                let outcome = figures.replay(events)
                VacancyFigures.add(outcome, to: &all)
                if key.district >= 0 { VacancyFigures.add(outcome, to: &byDistrict[Int(key.district)]) }
                VacancyFigures.add(outcome, to: &byStreet[Int(key.street)])
            }
            // Only events before `at` matter; the index (unit_id, at, id) gives each unit's in time order.
            let statement = try db.makeStatement(sql: "SELECT unit_id, at, to_state FROM vacancy_events WHERE at < ? ORDER BY unit_id, at, id")
            try statement.setArguments([Timestamp.utc(dates.at)])
            let row = RowReader(handle: statement.sqliteStatement)
            var current: Int64 = -1
            var events: [(at: Double, state: VacancyState)] = []
            events.reserveCapacity(64)
            let states = Dictionary(uniqueKeysWithValues: VacancyState.allCases.map { (Array($0.rawValue.utf8), $0) })
            while try row.step(connection: db.sqliteConnection) {
                let unit = row.int64(0)
                if unit != current {
                    finish(current, events)
                    events.removeAll(keepingCapacity: true)
                    current = unit
                }
                guard let text = row.text(1), let at = Timestamp.parseStored(text) else {
                    throw StorageError.unreadableValue(path: path, table: "vacancy_events", column: "at", value: row.string(1) ?? "NULL")
                }
                guard let bytes = row.text(2), let state = states[Array(bytes)] else {
                    throw StorageError.unreadableValue(path: path, table: "vacancy_events", column: "to_state", value: row.string(2) ?? "NULL")
                }
                events.append((at.timeIntervalSince1970, state))
            }
            finish(current, events)
            let districts = districtNames.indices.map { VacancyFigures.group(districtNames[$0].name, code: districtNames[$0].code, byDistrict[$0]) }
            let streets = streetNames.indices.filter { byStreet[$0].now.units > 0 || byStreet[$0].previous.units > 0 }
                .map { VacancyFigures.group(streetNames[$0], code: nil, byStreet[$0]) }
                .sorted { ($0.now.vacant, $1.label) > ($1.now.vacant, $0.label) }
            return VacancyReport(label: dates.label, previousLabel: dates.previousLabel,
                                 all: VacancyFigures.group("all units", code: nil, all), districts: districts, streets: streets)
        }
    }
}

/// What a Kataster import did.
public struct VacancyImportSummary: Sendable, Encodable {
    public var added = 0
    public var changed = 0
    public var unchanged = 0
}
