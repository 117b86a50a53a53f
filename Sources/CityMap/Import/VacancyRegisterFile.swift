import Foundation

/// One row of a Leerstandskataster: a unit and the state it is in, with where it came from in the file.
public struct VacancyRegisterRow: Sendable {
    public let line: Int
    public let unit: NewVacancyUnit
}

/// Reads a Leerstandskataster CSV (`;`, `,` or tab; UTF-8): one unit per row with its position, address, floor,
/// area, last use, state and the date it is in that state since. Header names are recognised in German and English
/// (`adresse`/`address`, `strasse`, `hausnummer`, `lat`/`breite`, `lon`/`länge`, `geschoss`/`floor` with EG/OG,
/// `fläche_m2`/`area_m2`, `letzte_nutzung`/`last_use`, `status`/`state`, `seit`/`since` (ISO or 31.03.2026),
/// `eigentümer`/`owner`, `bemerkung`/`note`, `id`). Decimal commas are read. A register has hundreds to thousands of
/// rows, so they are read whole and checked before anything is stored.
public enum VacancyRegisterFile {
    enum Column: CaseIterable { case id, address, street, houseNumber, lat, lon, floor, area, lastUse, state, since, owner, note }

    static let names: [String: Column] = {
        var table: [String: Column] = [:]
        let groups: [(Column, [String])] = [
            (.id, ["id", "nr", "objekt-id", "objektnummer", "kataster-id", "objekt"]),
            (.address, ["adresse", "address", "anschrift"]),
            (.street, ["strasse", "straße", "street"]),
            (.houseNumber, ["hausnummer", "hnr", "housenumber", "house-number"]),
            (.lat, ["lat", "latitude", "breite", "breitengrad"]),
            (.lon, ["lon", "lng", "long", "longitude", "länge", "laenge", "längengrad"]),
            (.floor, ["geschoss", "etage", "floor", "lage"]),
            (.area, ["fläche-m2", "flaeche-m2", "fläche", "flaeche", "area-m2", "area", "verkaufsfläche", "nutzfläche", "qm", "m2"]),
            (.lastUse, ["letzte-nutzung", "vornutzung", "last-use", "nutzung", "branche"]),
            (.state, ["status", "state", "zustand"]),
            (.since, ["seit", "since", "datum", "stand", "leer-seit", "date"]),
            (.owner, ["eigentümer", "eigentuemer", "owner", "kontakt", "ansprechpartner", "makler", "agent", "contact"]),
            (.note, ["bemerkung", "note", "notiz", "anmerkung"]),
        ]
        for (column, list) in groups { for name in list { table[name] = column } }
        return table
    }()

    static func key(_ header: String) -> String {
        header.trimmed.lowercased().replacingOccurrences(of: "_", with: "-").replacingOccurrences(of: " ", with: "-")
            .replacingOccurrences(of: "²", with: "2").replacingOccurrences(of: "(", with: "").replacingOccurrences(of: ")", with: "")
    }

    /// Reads and checks every row; the first problem is thrown naming the file, the line and the column.
    public static func read(_ url: URL, zone: TimeZone = Timestamp.berlin) throws(ImportError) -> [VacancyRegisterRow] {
        let file = url.path
        var reader = try CSVReader(url: url)
        guard let header = try reader.next() else { throw ImportError(file: file, message: "is empty; a header line is needed") }
        var index: [Column: Int] = [:]
        for (i, name) in header.fields.enumerated() {
            if let column = names[key(name)], index[column] == nil { index[column] = i }
        }
        for (column, label) in [(Column.lat, "lat (or breite)"), (.lon, "lon (or länge)"), (.state, "status (or state)")] where index[column] == nil {
            throw ImportError(file: file, location: "line \(header.line)", message: "has no \(label) column; columns found: \(header.fields.joined(separator: ", "))")
        }
        guard index[.address] != nil || index[.street] != nil else {
            throw ImportError(file: file, location: "line \(header.line)", message: "has no adresse (or address, or strasse) column")
        }
        var rows: [VacancyRegisterRow] = []
        var seen: [String: Int] = [:]
        while let record = try reader.next() {
            let location = "line \(record.line)"
            func value(_ column: Column) -> String? {
                guard let i = index[column], i < record.fields.count else { return nil }
                let text = record.fields[i].trimmed
                return text.isEmpty ? nil : text
            }
            func fail(_ column: Column, _ message: String) -> ImportError {
                ImportError(file: file, location: location, field: index[column].map { header.fields[$0] }, message: message)
            }
            guard let latText = value(.lat), let lat = DecimalNumber.parse(latText) else { throw fail(.lat, "is not a latitude in degrees") }
            guard let lonText = value(.lon), let lon = DecimalNumber.parse(lonText) else { throw fail(.lon, "is not a longitude in degrees") }
            let position: Coordinate
            do { position = try Coordinate(lon: lon, lat: lat) } catch { throw fail(.lat, "\(error)") }
            var address = value(.address)
            if address == nil, let street = value(.street) { address = [street, value(.houseNumber)].compactMap { $0 }.joined(separator: " ") }
            guard let address else { throw fail(.address, "is empty; every unit needs its address") }
            guard let stateText = value(.state), let state = VacancyState(label: stateText) else {
                throw fail(.state, "'\(value(.state) ?? "")' is not a state; use \(VacancyState.allCases.map(\.rawValue).joined(separator: ", ")) or leer, vermarktet, Zwischennutzung …")
            }
            var floor = Floor.ground
            if let text = value(.floor) {
                guard let f = Floor(label: text) else { throw fail(.floor, "'\(text)' is not a floor; use EG or OG (ground or upper)") }
                floor = f
            }
            var area: SquareMetres?
            if let text = value(.area) {
                guard let number = DecimalNumber.parse(text.replacingOccurrences(of: "m²", with: "").replacingOccurrences(of: "m2", with: "").trimmed)
                else { throw fail(.area, "'\(text)' is not a floor area in m²") }
                do { area = try SquareMetres(number) } catch { throw fail(.area, "'\(text)' is not a floor area; give square metres above 0 and at most 100000") }
            }
            guard let sinceText = value(.since) else { throw fail(.since, "is empty; give the date the unit is in this state since") }
            guard let since = parseDate(sinceText, zone: zone) else {
                throw fail(.since, "'\(sinceText)' is not a date; write 2026-03-31 or 31.03.2026")
            }
            var unit = NewVacancyUnit(position: position, address: address, floor: floor, area: area, since: since)
            unit.street = value(.street)
            unit.lastUse = value(.lastUse)
            unit.owner = value(.owner)
            unit.note = value(.note)
            unit.state = state
            unit.source = "kataster"
            let id = value(.id) ?? "\(address.lowercased())|\(floor.rawValue)"
            if let first = seen[id] {
                throw fail(index[.id] != nil ? .id : .address, "repeats the unit of line \(first); one row per unit")
            }
            seen[id] = record.line
            unit.externalID = id
            rows.append(VacancyRegisterRow(line: record.line, unit: unit))
        }
        if let problem = reader.problem { throw problem }
        return rows
    }

    /// ISO 8601 or the German `31.03.2026`.
    static func parseDate(_ text: String, zone: TimeZone) -> Date? {
        let parts = text.split(separator: ".")
        if parts.count == 3, let d = Int(parts[0]), let m = Int(parts[1]), let y = Int(parts[2]), parts[2].count == 4 {
            return Timestamp.parse(String(format: "%04d-%02d-%02d", y, m, d), zone: zone)
        }
        return Timestamp.parse(text, zone: zone)
    }
}
