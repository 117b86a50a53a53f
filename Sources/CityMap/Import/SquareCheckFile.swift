import Foundation

/// Reads Platzcheck sheets as CSV: a row per check with the square (`square`/`platz`, name or code), the time
/// (`at`/`datum`, ISO or 31.03.2026), the seven scores (English or German column names: `cleanliness`/`sauberkeit`,
/// `seating`/`sitzgelegenheiten`, `greenery`/`grün`, `lighting`/`beleuchtung`, `safety`/`sicherheitsgefühl`,
/// `liveliness`/`belebung`, `accessibility`/`barrierefreiheit`), and optionally `note`/`bemerkung` and
/// `actor`/`wer`. Every row is checked before anything is stored.
public enum SquareCheckFile {
    public static func read(_ url: URL, zone: TimeZone = Timestamp.berlin) throws(ImportError) -> [(line: Int, check: NewSquareCheck)] {
        let file = url.path
        var reader = try CSVReader(url: url)
        guard let header = try reader.next() else { throw ImportError(file: file, message: "is empty; a header line is needed") }
        var squareColumn: Int?, atColumn: Int?, noteColumn: Int?, actorColumn: Int?
        var criteria: [String: Int] = [:]
        for (i, raw) in header.fields.enumerated() {
            let name = VacancyRegisterFile.key(raw)
            if ["square", "platz", "ort"].contains(name) { squareColumn = squareColumn ?? i }
            else if ["at", "datum", "date", "zeit", "time"].contains(name) { atColumn = atColumn ?? i }
            else if ["note", "bemerkung", "notiz", "anmerkung"].contains(name) { noteColumn = noteColumn ?? i }
            else if ["actor", "wer", "by", "von", "team"].contains(name) { actorColumn = actorColumn ?? i }
            else if let criterion = SquareScores.criterion(raw), criteria[criterion] == nil { criteria[criterion] = i }
        }
        guard let squareColumn else { throw ImportError(file: file, location: "line \(header.line)", message: "has no square (or platz) column") }
        guard let atColumn else { throw ImportError(file: file, location: "line \(header.line)", message: "has no at (or datum) column") }
        let missing = SquareScores.criteria.filter { criteria[$0] == nil }
        guard missing.isEmpty else {
            throw ImportError(file: file, location: "line \(header.line)", message: "has no column for \(missing.joined(separator: ", ")); a check scores all seven")
        }
        var rows: [(Int, NewSquareCheck)] = []
        while let record = try reader.next() {
            func value(_ i: Int?) -> String? {
                guard let i, i < record.fields.count else { return nil }
                let text = record.fields[i].trimmed
                return text.isEmpty ? nil : text
            }
            let location = "line \(record.line)"
            guard let square = value(squareColumn) else {
                throw ImportError(file: file, location: location, field: header.fields[squareColumn], message: "is empty")
            }
            guard let atText = value(atColumn), let at = VacancyRegisterFile.parseDate(atText, zone: zone) else {
                throw ImportError(file: file, location: location, field: header.fields[atColumn],
                                  message: "'\(value(atColumn) ?? "")' is not a time; write 2026-03-31T10:00 or 31.03.2026")
            }
            var named: [String: String] = [:]
            for (criterion, i) in criteria { named[criterion] = value(i) ?? "" }
            let scores: SquareScores
            do { scores = try SquareScores(named: named) } catch {
                let column: String? = if case .scoreOutOfRange(let criterion, _) = error { criteria[criterion].map { header.fields[$0] } } else { nil }
                throw ImportError(file: file, location: location, field: column, message: error.message { $0 })
            }
            var check = NewSquareCheck(square: square, at: at, scores: scores)
            check.note = value(noteColumn)
            check.actor = value(actorColumn)
            rows.append((record.line, check))
        }
        if let problem = reader.problem { throw problem }
        return rows
    }
}
