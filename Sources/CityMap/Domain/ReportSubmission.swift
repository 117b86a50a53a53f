import Foundation

/// A report as a person hands it in, field by field, before any check: the command line's `log` and the
/// service's `POST /api/reports` build one and turn it into a `NewReport` with the same checks.
public struct ReportSubmission: Sendable {
    public var lat: Double
    public var lon: Double
    /// `category/subcategory`, in the taxonomy's codes.
    public var category: String
    public var note = ""
    public var severity: String?
    public var accuracy: Double?
    /// ISO 8601; without an offset Europe/Berlin. nil means now.
    public var observedAt: String?
    public var reporter: String?
    public var source = "field-walk"
    public var clientID: String?

    public init(lat: Double, lon: Double, category: String) {
        self.lat = lat
        self.lon = lon
        self.category = category
    }

    /// The longest note or description accepted (Open311 allows 4,000 characters).
    public static let maximumNote = 4000

    /// A position as a person typed it: in range, and not latitude and longitude swapped (outside `extent`, while
    /// the swapped position lies inside). `log`, `edit` and the service check positions here.
    public static func position(lat: Double, lon: Double, extent: BoundingBox = .northRhineWestphalia) throws -> Coordinate {
        let position: Coordinate
        do {
            position = try Coordinate(lon: lon, lat: lat)
        } catch {
            if case .latitudeOutOfRange = error, let swapped = try? Coordinate(lon: lat, lat: lon), extent.contains(swapped) {
                throw SubmissionError.swapped(lat: lat, lon: lon)
            }
            throw error
        }
        if !extent.contains(position), let swapped = try? Coordinate(lon: lat, lat: lon), extent.contains(swapped) {
            throw SubmissionError.swapped(lat: lat, lon: lon)
        }
        return position
    }

    /// Checks every field and returns the report to store. Errors name the field (`lat`, `lon`, `category`,
    /// `severity`, `accuracy_m`, `observed_at`, `note`, `client_id`). A position outside `extent` whose swapped
    /// coordinates fall inside is refused as swapped.
    public func validated(taxonomy: Taxonomy, now: Date = Date(), extent: BoundingBox = .northRhineWestphalia) throws -> NewReport {
        let position = try Self.position(lat: lat, lon: lon, extent: extent)
        let code = try taxonomy.resolve(category)
        guard let severity = Severity(parsing: severity ?? "") else { throw SubmissionError.severity(severity ?? "") }
        if let accuracy, !(accuracy.isFinite && accuracy >= 0) { throw SubmissionError.accuracy(accuracy) }
        var observed = now
        if let observedAt {
            guard let date = Timestamp.parse(observedAt) else { throw DomainError.malformedTime(observedAt, field: "observed_at") }
            observed = date
        }
        guard note.count <= Self.maximumNote else {
            throw DomainError.invalidText(field: "note", reason: "has \(note.count) characters; at most \(Self.maximumNote) are kept")
        }
        if let clientID {
            guard (1...64).contains(clientID.count), clientID.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                throw DomainError.invalidText(field: "client_id", reason: "must be a UUID made by the client (letters, digits and dashes, at most 64)")
            }
        }
        var report = NewReport(position: position, category: code, severity: severity, description: note, observedAt: observed,
                               reporter: reporter.flatMap { $0.trimmed.isEmpty ? nil : $0.trimmed }, source: source,
                               accuracy: accuracy.map(Meters.init))
        report.clientID = clientID
        return report
    }
}

/// A submission whose fields do not make a report.
public enum SubmissionError: CityMapError {
    case swapped(lat: Double, lon: Double)
    case severity(String)
    case accuracy(Double)

    public var kind: ErrorKind { .invalid }

    public var parameter: String? {
        switch self {
        case .swapped: return "lat"
        case .severity: return "severity"
        case .accuracy: return "accuracy_m"
        }
    }

    public var value: String? {
        switch self {
        case .swapped(let lat, _): return String(lat)
        case .severity(let text): return text
        case .accuracy(let a): return String(a)
        }
    }

    public func message(naming: (String) -> String) -> String {
        switch self {
        case let .swapped(lat, lon):
            return "\(naming("lat")) \(lat) and \(naming("lon")) \(lon) look swapped: the position lies outside the city's region, "
                + "but \(lon), \(lat) lies inside; give the latitude (about 51.2 in Düsseldorf) as \(naming("lat"))"
        case .severity(let text):
            return "\(naming("severity")) '\(text)' is not a severity; use low, medium, high or urgent (or niedrig, mittel, hoch, dringend)"
        case .accuracy(let a):
            return "\(naming("accuracy_m")) \(a) is not an accuracy; give a non-negative number of metres"
        }
    }
}
