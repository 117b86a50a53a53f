import Foundation

/// One report as a reader found it in a file, before the category is mapped and the position checked.
/// Values keep the form they had in the file where the mapping needs it (category, status).
struct RawReport {
    /// "line 12", "feature 3", "waypoint 2 (line 40)": where a person finds it in the file.
    var location: String
    var lat: Double?
    var lon: Double?
    var category: String?
    var subcategory: String?
    /// A second name for the category (Open311's service_name beside its service_code).
    var categoryLabel: String?
    var description: String = ""
    var observedAt: Date?
    var externalID: String?
    var status: ReportStatus = .open
    var statusNote: String?
    var statusAt: Date?
    var acknowledgedAt: Date?
    var severity: Severity = .medium
    var accuracy: Meters?
    var reporter: String?
    var address: String?
    var mediaURL: String?
    var source: String?
}

/// A problem with one record: where it is, which field, and what is wrong.
struct RecordProblem: Error {
    let location: String
    let field: String
    let message: String
}

/// Parsing of single values as they appear in CSV cells, GeoJSON properties and XML elements.
enum FieldValue {
    /// "51.2275", " 51,2275" (decimal comma), "6.7711". Rejects NaN and infinities by name.
    static func number(_ text: String, field: String, location: String) throws(RecordProblem) -> Double {
        if let value = DecimalNumber.parse(text) { return value }
        let trimmed = text.trimmed
        if let value = Double(trimmed.replacingOccurrences(of: ",", with: ".")), !value.isFinite {
            throw RecordProblem(location: location, field: field, message: "is \(trimmed), not a finite number")
        }
        throw RecordProblem(location: location, field: field, message: "'\(text)' is not a number")
    }

    /// ISO 8601 (without an offset: Europe/Berlin) or Unix epoch seconds (or milliseconds, 13 digits).
    /// `zone`: what a time without an offset means (Europe/Berlin, or UTC for KoBo's `_submission_time`).
    static func time(_ text: String, field: String, location: String, zone: TimeZone = Timestamp.berlin) throws(RecordProblem) -> Date {
        let trimmed = text.trimmed
        if !trimmed.isEmpty, trimmed.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            // Unix seconds (up to 11 digits) or milliseconds (12 or 13): anything longer is no time of this world,
            // and would overflow the arithmetic of dates.
            guard trimmed.count <= 13, let number = Double(trimmed) else {
                throw RecordProblem(location: location, field: field,
                                    message: "'\(text.prefix(40))' is not a time: \(trimmed.count) digits are neither Unix seconds nor milliseconds")
            }
            let seconds = trimmed.count >= 12 ? number / 1000 : number
            guard seconds <= Timestamp.latest.timeIntervalSince1970 else {
                throw RecordProblem(location: location, field: field, message: "'\(text.prefix(40))' lies after the year 2200; is it a time?")
            }
            return Date(timeIntervalSince1970: seconds)
        }
        guard let date = Timestamp.parse(trimmed, zone: zone) else {
            throw RecordProblem(location: location, field: field,
                                message: "'\(text)' is not a time; use ISO 8601 (2026-11-27T10:15:00+01:00) or Unix epoch seconds")
        }
        return date
    }

    /// The usual words for statuses in citizen-reporting systems (Open311, PublicStuff, Klarschiff, German exports).
    static func status(_ text: String, field: String, location: String,
                       extra: [String: ReportStatus] = [:]) throws(RecordProblem) -> ReportStatus {
        if !extra.isEmpty, let mapped = extra[text.trimmed.lowercased()] ?? extra[text] { return mapped }
        let key: String
        switch text { // exact lower-case values need no copy
        case "open", "acknowledged", "in-progress", "resolved", "rejected", "duplicate", "closed", "submitted": key = text
        default: key = text.trimmed.lowercased()
        }
        switch key {
        case "", "open", "new", "submitted", "offen", "neu", "gemeldet": return .open
        case "acknowledged", "received", "confirmed", "bestätigt", "angenommen": return .acknowledged
        case "in-progress", "in progress", "in_progress", "in bearbeitung", "inbearbeitung": return .inProgress
        case "resolved", "closed", "completed", "done", "fixed", "erledigt", "geschlossen", "abgeschlossen": return .resolved
        case "rejected", "declined", "abgelehnt", "nicht zuständig": return .rejected
        case "duplicate", "dublette", "doppelt": return .duplicate
        default:
            throw RecordProblem(location: location, field: field,
                                message: "'\(text)' is not a known status; map it with a \"statuses\" entry in --category-map")
        }
    }

    static func severity(_ text: String, field: String, location: String) throws(RecordProblem) -> Severity {
        guard let severity = Severity(parsing: text) else {
            throw RecordProblem(location: location, field: field, message: "'\(text)' is not a severity (low, medium, high, urgent)")
        }
        return severity
    }

    /// "POINT (6.7711 51.2275)", "Point(6.7711 51.2275)", "POINT Z (6.7711 51.2275 36)": x and y, as written.
    static func wktPoint(_ text: String, field: String, location: String) throws(RecordProblem) -> (x: Double, y: Double) {
        let upper = text.trimmed.uppercased()
        guard upper.hasPrefix("POINT"), let open = upper.firstIndex(of: "("), let close = upper.lastIndex(of: ")"), open < close else {
            throw RecordProblem(location: location, field: field, message: "'\(text.prefix(60))' is not a WKT point such as POINT (6.7711 51.2275)")
        }
        let numbers = upper[upper.index(after: open)..<close].split(separator: " ").map(String.init)
        guard numbers.count >= 2, let x = Double(numbers[0]), let y = Double(numbers[1]), x.isFinite, y.isFinite else {
            throw RecordProblem(location: location, field: field, message: "'\(text.prefix(60))' is not a WKT point such as POINT (6.7711 51.2275)")
        }
        return (x, y)
    }

    static func nonEmpty(_ text: String?) -> String? {
        guard let t = text?.trimmed, !t.isEmpty else { return nil }
        return t
    }
}

/// Which report field a column or property name stands for, under its usual German and English names.
/// Capture apps' own columns are recognised too, with or without their group prefixes:
/// - KoBoToolbox: `_<point>_latitude`, `_<point>_longitude`, `_<point>_precision`, `_geolocation`, `_uuid`, and
///   `_submission_time` (UTC); with groups `gruppe_ort/_standort_latitude`;
/// - ODK Central: `<point>-Latitude`, `<point>-Longitude`, `<point>-Accuracy`, `SubmissionDate`, `meta-instanceID`,
///   `KEY`; with groups `ort-standort-Latitude`.
enum FieldName: CaseIterable, Hashable {
    case lat, lon, category, subcategory, description, time, id, status, statusNote, severity, accuracy, reporter, address, media, source
    /// When the report reached its status (closed or resolved), and when it was first acknowledged: another
    /// system's history, so that response times survive the import.
    case statusAt, acknowledgedAt
    /// When a form was submitted, not when the spot was seen: used only where no other time is given (KoBo's
    /// `_submission_time`, which is UTC without an offset; ODK Central's `SubmissionDate`).
    case timeUTC
    /// KoBo's `_geolocation`: "[51.2275, 6.7711]" or "51.2275 6.7711".
    case geolocation
    /// A WKT point (QGIS's CSV export, `WKT` or `geometry`): "POINT (6.7711 51.2275)".
    case wkt

    /// The column name as compared: lower case, umlauts spelled out, dashes and spaces as underscores.
    static func key(_ name: String) -> String {
        name.trimmingCharacters(in: .whitespaces).lowercased()
            .replacingOccurrences(of: "ä", with: "ae").replacingOccurrences(of: "ö", with: "oe")
            .replacingOccurrences(of: "ü", with: "ue").replacingOccurrences(of: "-", with: "_")
            .replacingOccurrences(of: " ", with: "_")
    }

    static func recognise(_ name: String) -> FieldName? {
        if let field = byName[name] { return field } // the common case: a plain lower-case name (GeoJSON properties)
        if let field = named(key(name)) { return field }
        // A group prefix: KoBo's "gruppe_meldung/kategorie", ODK Central's "meldung-kategorie" or "ort-standort-Latitude".
        let question = key(String(name.split(separator: "/").last ?? ""))
        if let field = named(question) { return field }
        if name.contains("-"), let part = name.split(separator: "-").last, let field = named(key(String(part))) { return field }
        // KoBo's own columns start with an underscore; only these are report fields (never `_status`, which is
        // KoBo's submission state, nor `_id`, a number local to one server).
        if ["_uuid", "_submission_time", "_geolocation"].contains(question) { return named(String(question.dropFirst())) }
        // A geopoint's parts, KoBo style: `_standort_latitude`, `_standort_longitude`, `_standort_precision`, with a
        // group as `gruppe_ort/_standort_latitude` or `_gruppe_ort/standort_latitude`.
        for (suffix, field) in [("_latitude", FieldName.lat), ("_longitude", .lon), ("_precision", .accuracy)]
        where (question.hasPrefix("_") || name.hasPrefix("_")) && question.hasSuffix(suffix) && question.count > suffix.count + 1 {
            return field
        }
        return nil
    }

    private static func named(_ key: String) -> FieldName? { byName[key] }

    /// Every name of every field, looked up once: `recognise` runs for every property of every GeoJSON feature.
    private static let byName: [String: FieldName] = {
        var table: [String: FieldName] = [:]
        for field in allCases { for name in field.names where table[name] == nil { table[name] = field } }
        return table
    }()

    var names: Set<String> {
        switch self {
        case .lat: return ["lat", "latitude", "breite", "breitengrad", "y"]
        case .lon: return ["lon", "lng", "long", "longitude", "laenge", "laengengrad", "x"]
        case .category: return ["category", "kategorie", "categorie", "type", "typ", "title", "service_name", "service_code", "thema"]
        case .subcategory: return ["subcategory", "unterkategorie", "sub_category"]
        case .description: return ["description", "beschreibung", "note", "notiz", "text", "bemerkung", "comment", "kommentar", "desc"]
        case .time: return ["observed_at", "time", "timestamp", "zeit", "zeitpunkt", "datum", "date", "date_created", "created",
                            "requested_datetime", "erfasst", "erfasst_am", "datetime", "start"]
        case .id: return ["id", "external_id", "service_request_id", "nummer", "fid", "uuid", "instanceid", "meta_instanceid", "key"]
        case .status: return ["status", "zustand"]
        case .statusNote: return ["status_notes", "status_note"]
        case .severity: return ["severity", "prioritaet", "priority", "dringlichkeit"]
        case .accuracy: return ["accuracy", "accuracy_m", "genauigkeit", "gps_accuracy"]
        case .reporter: return ["reporter", "user", "melder", "meldende", "author", "autor", "erfasser"]
        case .address: return ["address", "adresse", "anschrift"]
        case .media: return ["media_url", "attachment_url", "foto", "photo", "image", "bild"]
        case .source: return ["source", "quelle"]
        case .statusAt: return ["status_at", "closed_at", "resolved_at", "closed_date", "erledigt_am", "geschlossen_am"]
        case .acknowledgedAt: return ["acknowledged_at", "first_response_at", "bestaetigt_am"]
        case .timeUTC: return ["submission_time", "submissiondate"] // KoBo (UTC, no offset), ODK Central (with Z)
        case .geolocation: return ["geolocation"]
        case .wkt: return ["wkt", "geometry", "geom", "the_geom", "geometrie"]
        }
    }
}


extension RawReport {
    /// Sets a field from text found under a recognised column or property; errors name that column.
    mutating func set(_ field: FieldName, column name: String, text: String,
                      statuses: [String: ReportStatus], zone: TimeZone = Timestamp.berlin) throws(RecordProblem) {
        switch field {
        case .lat: if !text.isEmpty { lat = try FieldValue.number(text, field: name, location: location) }
        case .lon: if !text.isEmpty { lon = try FieldValue.number(text, field: name, location: location) }
        case .category: category = FieldValue.nonEmpty(text)
        case .subcategory: subcategory = FieldValue.nonEmpty(text)
        case .description: description = text
        case .time: if FieldValue.nonEmpty(text) != nil { observedAt = try FieldValue.time(text, field: name, location: location, zone: zone) }
        case .id: externalID = FieldValue.nonEmpty(text)
        case .status: status = try FieldValue.status(text, field: name, location: location, extra: statuses)
        case .statusNote: statusNote = FieldValue.nonEmpty(text)
        case .severity: severity = try FieldValue.severity(text, field: name, location: location)
        case .accuracy:
            if FieldValue.nonEmpty(text) != nil {
                let metres = try FieldValue.number(text, field: name, location: location)
                guard metres >= 0 else { throw RecordProblem(location: location, field: name, message: "must not be negative") }
                accuracy = Meters(metres)
            }
        case .reporter: reporter = FieldValue.nonEmpty(text)
        case .address: address = FieldValue.nonEmpty(text)
        case .media: mediaURL = FieldValue.nonEmpty(text).flatMap { $0 == "NA" ? nil : $0 }
        case .source: source = FieldValue.nonEmpty(text)
        case .statusAt: if FieldValue.nonEmpty(text) != nil { statusAt = try FieldValue.time(text, field: name, location: location, zone: zone) }
        case .acknowledgedAt:
            if FieldValue.nonEmpty(text) != nil { acknowledgedAt = try FieldValue.time(text, field: name, location: location, zone: zone) }
        case .timeUTC:
            if observedAt == nil, FieldValue.nonEmpty(text) != nil {
                observedAt = try FieldValue.time(text, field: name, location: location, zone: TimeZone(identifier: "UTC")!)
            }
        case .geolocation:
            // "[51.2275, 6.7711]" (KoBo's JSON-like form) or "51.2275 6.7711"; "[null, null]" or empty: no position.
            let parts = text.split { "[], ".contains($0) }.map(String.init)
            if parts.count >= 2, parts[0] != "null", lat == nil, lon == nil {
                lat = try FieldValue.number(parts[0], field: name, location: location)
                lon = try FieldValue.number(parts[1], field: name, location: location)
            }
        case .wkt:
            guard let t = FieldValue.nonEmpty(text) else { break }
            let point = try FieldValue.wktPoint(t, field: name, location: location)
            if lon == nil { lon = point.x }
            if lat == nil { lat = point.y }
        }
    }
}
