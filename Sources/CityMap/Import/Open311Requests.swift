import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Open311 GeoReport v2 service requests (GET requests.json / requests.xml), read strictly against the spec:
/// `status` is `open` or `closed` (lower case), `requested_datetime` carries a UTC offset, `lat`/`long` are numbers.
///
/// | Open311 | report |
/// |---|---|
/// | service_request_id | external_id |
/// | service_code / service_name | category, through the category map |
/// | requested_datetime | observed_at |
/// | status / status_notes | status (open → open, closed → resolved, or the category map's statuses) and its note |
/// | updated_datetime | when a closed request was resolved |
/// | address, media_url | address, media_url |
enum Open311Requests {
    static func readJSON(_ url: URL, statuses: [String: ReportStatus] = [:], zone: TimeZone? = nil) throws(ImportError) -> [Result<RawReport, RecordProblem>] {
        let root = try JSONInput.read(url, expecting: "an Open311 GeoReport v2 requests.json array")
        let list: [Any]
        if let array = root as? [Any] {
            list = array
        } else if let object = root as? [String: Any], let array = object["service_requests"] as? [Any] {
            list = array
        } else {
            throw ImportError(file: url.path, message: "is not an Open311 requests array (GeoReport v2 answers GET requests.json with a JSON array)")
        }
        return list.enumerated().map { index, item in
            let location = "request \(index + 1)"
            guard let object = item as? [String: Any] else {
                return .failure(RecordProblem(location: location, field: "(request)", message: "is not a JSON object"))
            }
            var fields: [String: Field] = [:]
            for (key, value) in object {
                switch value {
                case let s as String: fields[key] = .text(s)
                case is NSNull: fields[key] = .null
                case let n as NSNumber where String(cString: n.objCType) != "c": fields[key] = .number(n.doubleValue, n.stringValue)
                default: fields[key] = .other
                }
            }
            return request(fields, location: location, statuses: statuses, zone: zone)
        }
    }

    static func readXML(_ url: URL, statuses: [String: ReportStatus] = [:], zone: TimeZone? = nil) throws(ImportError) -> [Result<RawReport, RecordProblem>] {
        let data = try TextInput.data(url, expecting: "an Open311 GeoReport v2 requests.xml document")
        let delegate = XMLDelegate()
        try XMLInput.parse(data, delegate: delegate, file: url.path, what: "XML")
        guard delegate.root == "service_requests" else {
            throw ImportError(file: url.path, field: delegate.root ?? "(root)",
                              message: "the root element must be <service_requests> (Open311 GeoReport v2)")
        }
        return delegate.requests.enumerated().map { index, entry in
            request(entry.fields, location: "request \(index + 1) (line \(entry.line))", statuses: statuses, zone: zone)
        }
    }

    enum Field {
        case text(String)
        case number(Double, String)
        case null
        case other

        var text: String? {
            switch self {
            case .text(let s): return s
            case .number(_, let s): return s
            case .null, .other: return nil
            }
        }
    }

    /// One request, checked field by field; XML values arrive as text, JSON values typed.
    /// `statuses` (a category map's "statuses", keys in lower case) maps a server's own words first: San Francisco
    /// writes "Open" and "Closed".
    /// `zone`: given (`--time-zone`), times without an offset are read in it, for servers that leave the offset out.
    static func request(_ fields: [String: Field], location: String, statuses: [String: ReportStatus] = [:],
                        zone: TimeZone? = nil) -> Result<RawReport, RecordProblem> {
        func problem(_ field: String, _ message: String) -> Result<RawReport, RecordProblem> {
            .failure(RecordProblem(location: location, field: field, message: message))
        }
        var raw = RawReport(location: location)
        guard let id = fields["service_request_id"]?.text.flatMap(FieldValue.nonEmpty) else {
            return problem("service_request_id", "is missing; every Open311 request has one")
        }
        raw.externalID = id
        switch fields["status"]?.text {
        case let text? where statuses[text.trimmed.lowercased()] != nil: raw.status = statuses[text.trimmed.lowercased()]!
        case "open": raw.status = .open
        case "closed": raw.status = .resolved
        case let other?:
            return problem("status", "'\(other)' is not an Open311 status: GeoReport v2 allows only 'open' and 'closed', in lower case; map it with a \"statuses\" entry in --category-map")
        case nil: return problem("status", "is missing")
        }
        raw.statusNote = fields["status_notes"]?.text.flatMap(FieldValue.nonEmpty)
        raw.category = fields["service_code"]?.text.flatMap(FieldValue.nonEmpty)
        raw.categoryLabel = fields["service_name"]?.text.flatMap(FieldValue.nonEmpty)
        if raw.category == nil && raw.categoryLabel == nil {
            return problem("service_code", "is missing, and so is service_name")
        }
        raw.description = fields["description"]?.text ?? ""
        guard let time = fields["requested_datetime"]?.text.flatMap(FieldValue.nonEmpty) else {
            return problem("requested_datetime", "is missing")
        }
        guard Timestamp.hasOffset(time) || zone != nil, let date = Timestamp.parse(time, zone: zone ?? Timestamp.berlin) else {
            return problem("requested_datetime", "'\(time)' is not a W3C date-time with a UTC offset (e.g. 2016-02-16T21:26:17+01:00), as GeoReport v2 requires; for a server that leaves the offset out, give its --time-zone")
        }
        raw.observedAt = date
        // A closed request was closed when it was last updated, not when it is imported.
        if let updated = fields["updated_datetime"]?.text.flatMap(FieldValue.nonEmpty) {
            guard Timestamp.hasOffset(updated) || zone != nil, let when = Timestamp.parse(updated, zone: zone ?? Timestamp.berlin) else {
                return problem("updated_datetime", "'\(updated)' is not a W3C date-time with a UTC offset, as GeoReport v2 requires")
            }
            raw.statusAt = when
        }
        raw.address = fields["address"]?.text.flatMap(FieldValue.nonEmpty)
        raw.mediaURL = fields["media_url"]?.text.flatMap(FieldValue.nonEmpty)
        for (key, keyPath) in [("lat", \RawReport.lat), ("long", \RawReport.lon)] {
            switch fields[key] {
            case .number(let value, _)?: raw[keyPath: keyPath] = value
            case .text(let text)?:
                guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite else {
                    return problem(key, "'\(text)' is not a number")
                }
                raw[keyPath: keyPath] = value
            case .null?, nil: return problem(key, "is missing: the request has no position")
            case .other?: return problem(key, "has the wrong type; expected a number")
            }
        }
        if raw.lat == 0 && raw.lon == 0 {
            return problem("lat", "lat/long 0.0, 0.0 is no position (the server wrote zeros for a request without one)")
        }
        return .success(raw)
    }

    private final class XMLDelegate: NSObject, XMLParserDelegate, XMLErrorLocating {
        var errorLocation: (line: Int, column: Int)?
        var errorCode: Int?

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) { note(parser, parseError) }

        var root: String?
        var requests: [(line: Int, fields: [String: Field])] = []
        private var current: [String: Field]?
        private var currentLine = 0
        private var text = ""
        private var nilElement = false

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            if stopAfterError(parser) { return }
            if root == nil { root = name }
            if name == "request" {
                current = [:]
                currentLine = parser.lineNumber
            }
            text = ""
            nilElement = attributes["xsi:nil"] == "true"
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

        /// Text in `<![CDATA[…]]>` (common for descriptions) is text too.
        func parser(_ parser: XMLParser, foundCDATA block: Data) { text += String(decoding: block, as: UTF8.self) }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if stopAfterError(parser) { return }
            if name == "request", let current {
                requests.append((currentLine, current))
                self.current = nil
            } else if current != nil {
                current?[name] = nilElement ? .null : .text(text)
            }
            text = ""
            nilElement = false
        }
    }
}
