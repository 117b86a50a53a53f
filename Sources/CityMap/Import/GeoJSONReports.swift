import Foundation

/// Reports from GeoJSON (RFC 7946): a FeatureCollection of Point features, or a GeoJSON text sequence
/// (RFC 8142: one feature per record, each led by the RS character). Property names are matched to report
/// fields under their usual names (`FieldName`): `category`, `description`/`note`, `observed_at`, `id`, …
struct GeoJSONReports: RecordReader {
    private enum Input {
        case collection([Any], index: Int)
        case sequence(LineReader)
    }

    private var input: Input
    private let statuses: [String: ReportStatus]
    private let zone: TimeZone
    private let file: String
    private var featureNumber = 0
    private(set) var bytesRead: UInt64 = 0

    var problem: ImportError? {
        if case .sequence(let reader) = input { return reader.problem }
        return nil
    }

    /// The CRS named by a `crs` member (GeoJSON 2008, as QGIS and ogr2ogr write projected files), as
    /// "EPSG:25832"; nil for none or for WGS84 longitude/latitude (CRS84, EPSG:4326).
    private(set) var crs: String?

    init(url: URL, sequence: Bool, statuses: [String: ReportStatus], zone: TimeZone = Timestamp.berlin) throws(ImportError) {
        self.zone = zone
        file = url.path
        self.statuses = statuses
        if sequence {
            input = .sequence(try LineReader(url: url, expecting: "a GeoJSON text sequence"))
            return
        }
        let root = try JSONInput.read(url, expecting: "a GeoJSON FeatureCollection")
        guard let object = root as? [String: Any] else {
            throw ImportError(file: file, field: "type", message: "is not a GeoJSON object; expected a FeatureCollection")
        }
        guard object["type"] as? String == "FeatureCollection" else {
            throw ImportError(file: file, field: "type", message: "is '\(object["type"] ?? "missing")'; expected FeatureCollection")
        }
        guard let features = object["features"] as? [Any] else {
            throw ImportError(file: file, field: "features", message: "is missing or not an array")
        }
        input = .collection(features, index: 0)
        if let member = object["crs"] {
            guard let name = ((member as? [String: Any])?["properties"] as? [String: Any])?["name"] as? String,
                  let code = CRSName.epsg(name) else {
                throw ImportError(file: file, field: "crs", message: "is not a named CRS such as urn:ogc:def:crs:EPSG::25832")
            }
            crs = code == "EPSG:4326" ? nil : code
        }
    }

    mutating func next() throws(ImportError) -> Result<RawReport, RecordProblem>? {
        switch input {
        case .collection(let features, let index):
            guard index < features.count else { return nil }
            input = .collection(features, index: index + 1)
            featureNumber = index + 1
            return report(from: features[index], location: "feature \(featureNumber)")
        case .sequence(var reader):
            defer { input = .sequence(reader) }
            while let line = reader.next() {
                var bytes = line
                while let first = bytes.first, first == 0x1E || first == 0x20 || first == 0x09 { bytes = bytes.dropFirst() }
                if bytes.isEmpty { continue }
                featureNumber += 1
                bytesRead = reader.bytesRead
                let location = "feature \(featureNumber) (line \(reader.line))"
                guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) else {
                    return .failure(RecordProblem(location: location, field: "(record)", message: "is not valid JSON (truncated?)"))
                }
                return report(from: object, location: location)
            }
            return nil
        }
    }

    private func report(from object: Any, location: String) -> Result<RawReport, RecordProblem> {
        func problem(_ field: String, _ message: String) -> Result<RawReport, RecordProblem> {
            .failure(RecordProblem(location: location, field: field, message: message))
        }
        guard let feature = object as? [String: Any], feature["type"] as? String == "Feature" else {
            return problem("type", "is not a GeoJSON Feature")
        }
        var raw = RawReport(location: location)
        guard let geometry = feature["geometry"] as? [String: Any] else { return problem("geometry", "is missing (no coordinates)") }
        guard geometry["type"] as? String == "Point" else {
            return problem("geometry.type", "is \(geometry["type"] ?? "missing"); reports are Points")
        }
        guard let position = geometry["coordinates"] as? [Any], position.count >= 2 else {
            return problem("geometry.coordinates", "is not a position [longitude, latitude]")
        }
        guard let lon = GeoJSONGeometry.number(position[0]) else { return problem("geometry.coordinates[0]", "longitude is not a number") }
        guard let lat = GeoJSONGeometry.number(position[1]) else { return problem("geometry.coordinates[1]", "latitude is not a number") }
        raw.lon = lon
        raw.lat = lat
        let properties = feature["properties"] as? [String: Any] ?? [:]
        do {
            for (key, value) in properties.sorted(by: { $0.key < $1.key }) {
                guard let field = FieldName.recognise(key), field != .lat, field != .lon else { continue }
                let text: String
                switch value {
                case let s as String: text = s
                case is NSNull: continue
                case let n as NSNumber where String(cString: n.objCType) != "c": text = n.stringValue
                default:
                    return problem("properties.\(key)", "has the wrong type (\(type(of: value))); expected text or a number")
                }
                if field == .category, raw.category != nil, key != "category" { continue }
                try raw.set(field, column: "properties.\(key)", text: text, statuses: statuses, zone: zone)
            }
        } catch {
            return .failure(error)
        }
        if raw.externalID == nil, let id = feature["id"] {
            raw.externalID = (id as? String) ?? (id as? NSNumber)?.stringValue
        }
        return .success(raw)
    }
}
