import Foundation

/// One stored report row as the export reads it, in the columns `ReportExportLayout.Column` names: text as bytes
/// that stay valid until the next row, so no String is made for a value that is only copied out.
protocol ExportRow {
    func isNull(_ column: Int32) -> Bool
    func int64(_ column: Int32) -> Int64
    func double(_ column: Int32) -> Double
    func text(_ column: Int32) -> UnsafeBufferPointer<UInt8>?
    /// X and Y of the row's point geometry, or nil when it holds none.
    func point(_ column: Int32) -> (x: Double, y: Double)?
}

/// The columns an export reads, in the order the query selects them; the internal profile adds the last five.
enum ReportExportLayout {
    enum Column: Int32, CaseIterable {
        case id, geometry, square, district, category, subcategory, status, severity, observedAt, description, address
        /// Never written in the public profile: the names its text must not show.
        case reporter, contactFirstName, contactLastName
        case source, externalID, accuracy, mediaURL, statusNote
    }

    /// The properties of an exported report, in their order: the public profile's up to `markerSize`, then
    /// personal or internal data only the internal profile holds; `name` and `_umap_options` for uMap last
    /// (GeoJSON only, not columns of a CSV).
    enum Property: Int, CaseIterable {
        case title, description, category, subcategory, categoryLabel, subcategoryLabel, status, severity, observedAt
        case district, square, address, markerColor, markerSymbol, markerSize
        case reporter, source, externalID, accuracy, mediaURL, statusNote
        case name, umapOptions

        var key: String {
            switch self {
            case .categoryLabel: return "category_label"
            case .subcategoryLabel: return "subcategory_label"
            case .observedAt: return "observed_at"
            case .markerColor: return "marker-color"
            case .markerSymbol: return "marker-symbol"
            case .markerSize: return "marker-size"
            case .externalID: return "external_id"
            case .accuracy: return "accuracy_m"
            case .mediaURL: return "media_url"
            case .statusNote: return "status_note"
            case .umapOptions: return "_umap_options"
            default: return "\(self)"
            }
        }
    }

    static func properties(_ profile: ExportProfile) -> [String] {
        let last = profile == .internal ? Property.statusNote : .markerSize
        return Property.allCases.prefix(last.rawValue + 1).map(\.key)
    }
}

/// A category as exports show it: labels, colour and Maki symbol, one per (category, subcategory).
struct CategoryStyle: Sendable {
    let category: String
    let subcategory: String
    let categoryLabel: String
    let label: String
    let color: String
    let symbol: String

    /// What an export shows for a category the taxonomy does not hold (a row written by another tool).
    static func unknown(category: String, subcategory: String) -> CategoryStyle {
        CategoryStyle(category: category, subcategory: subcategory, categoryLabel: category, label: "\(category)/\(subcategory)",
                      color: "#7f7f7f", symbol: "marker")
    }
}

/// Writes reports as RFC 7946 GeoJSON, GeoJSON text sequences or CSV, one row at a time, so memory stays flat.
///
/// Every feature carries what map viewers show: `title`, `description`, simplestyle `marker-color` (one colour
/// per category, from the taxonomy), `marker-symbol` (Maki) and `marker-size` (by severity), plus category,
/// subcategory, status, district, square and `observed_at` in ISO 8601 with its offset; for uMap also `name` (the
/// title) and `_umap_options` with the colour.
///
/// What repeats from row to row is rendered once, in the output's own syntax, into one byte array (`pieces`): the
/// keys, a category's four fields and its marker, each area's name, each title (label and square). A row then
/// costs its id, position, description, status, severity and time. In the public profile the reporter and the
/// contact's names, never written, are redacted from the description and the address (cut to its street), with
/// e-mail addresses and phone numbers.
///
/// Each thread that formats holds a copy of its own (the caches are per copy); rows are written into the byte
/// array the caller passes, and `begin` and `end` write the collection around them.
struct ReportFeatureWriter {
    typealias Property = ReportExportLayout.Property

    /// A stretch of `pieces`.
    struct Piece {
        var start: Int32 = 0, count: Int32 = 0
    }

    /// A category's rendered parts.
    struct StylePieces {
        /// The subcategory's label as plain text, the start of a title.
        var label = Piece()
        /// category, subcategory, category_label and subcategory_label with their keys.
        var fields = Piece()
        /// marker-color and marker-symbol with their keys.
        var marker = Piece()
        /// uMap's `_umap_options` with its key (GeoJSON only).
        var umap = Piece()
    }

    private let options: ExportOptions
    private let geojson: Bool, sequence: Bool, isPublic: Bool
    private var pieces: [UInt8] = []
    /// `,"name":` (GeoJSON) or `,` (CSV) for each property, at the index of its `Property`.
    private var keys: [Piece] = []
    /// Each area's name at the index of its id, rendered as a value (`nil` count -1), and as plain text.
    private var areaNames: [Piece] = [], plainAreaNames: [Piece] = []
    private var null = Piece(), large = Piece(), medium = Piece(), small = Piece()
    private var styles: CategoryStyles
    private var stylePieces: [StylePieces] = []
    /// Rendered titles by category and square.
    private var titles: [Int: Piece] = [:]
    private var names = NameCache()

    /// `areaNames` holds each area's name at the index of its id; `styles` every category the taxonomy holds.
    init(options: ExportOptions, areaNames: [String?], styles: [CategoryStyle]) {
        self.options = options
        geojson = options.format != .csv
        sequence = options.format == .geojsonseq
        isPublic = options.profile == .public
        self.styles = CategoryStyles(styles)
        keys = Property.allCases.map { property in
            var bytes = [UInt8(ascii: ",")]
            if geojson {
                if property == .title { bytes = [] }
                bytes.appendJSONString(property.key)
                bytes.append(UInt8(ascii: ":"))
            }
            return add(bytes)
        }
        self.areaNames = areaNames.map { name in name.map { value($0) } ?? Piece(start: 0, count: -1) }
        plainAreaNames = areaNames.map { name in name.map { add(Array($0.utf8)) } ?? Piece(start: 0, count: -1) }
        null = add(geojson ? Array("null".utf8) : [])
        large = value("large")
        medium = value("medium")
        small = value("small")
        for style in styles { render(style) }
    }

    private mutating func add(_ bytes: [UInt8]) -> Piece {
        let piece = Piece(start: Int32(pieces.count), count: Int32(bytes.count))
        pieces += bytes
        return piece
    }

    /// `text` as a JSON string or a CSV field.
    private mutating func value(_ text: [UInt8]) -> Piece {
        var bytes: [UInt8] = []
        text.withUnsafeBufferPointer { geojson ? bytes.appendJSONString(bytes: $0) : bytes.appendCSVField(bytes: $0) }
        return add(bytes)
    }

    private mutating func value(_ text: String) -> Piece { value(Array(text.utf8)) }

    private func bytes(_ piece: Piece) -> [UInt8] { Array(pieces[Int(piece.start)..<Int(piece.start + piece.count)]) }

    private mutating func render(_ style: CategoryStyle) {
        func field(_ property: Property, _ text: String) -> [UInt8] {
            let v = value(text)
            return bytes(keys[property.rawValue]) + bytes(v)
        }
        var rendered = StylePieces()
        rendered.label = add(Array(style.label.utf8))
        let fields = field(.category, style.category) + field(.subcategory, style.subcategory)
            + field(.categoryLabel, style.categoryLabel) + field(.subcategoryLabel, style.label)
        rendered.fields = add(fields)
        let marker = field(.markerColor, style.color) + field(.markerSymbol, style.symbol)
        rendered.marker = add(marker)
        if geojson {
            let color = value(style.color)
            rendered.umap = add(bytes(keys[Property.umapOptions.rawValue]) + Array("{\"color\":".utf8) + bytes(color) + [UInt8(ascii: "}")])
        }
        stylePieces.append(rendered)
    }

    func begin(_ sink: ByteSink) throws {
        switch options.format {
        case .geojson: try sink.write("{\"type\":\"FeatureCollection\",\"features\":[\n")
        case .csv:
            try sink.write((["id", "lon", "lat"] + ReportExportLayout.properties(options.profile)).map(CSVField.escape).joined(separator: ",") + "\r\n")
        case .geojsonseq: break
        }
    }

    func end(_ sink: ByteSink) throws {
        if options.format == .geojson { try sink.write("\n]}\n") }
        try sink.flush()
    }

    /// Appends the row's feature (or CSV line) to `b`; `index` is its place in the export, from 0.
    mutating func write(_ row: some ExportRow, index: Int, into b: inout ByteBuffer.Writer) throws {
        typealias C = ReportExportLayout.Column
        guard let point = row.point(C.geometry.rawValue) else { throw ExportError.noPoint(report: row.int64(C.id.rawValue)) }
        let id = row.int64(C.id.rawValue)
        let style = styles.style(category: row.text(C.category.rawValue), subcategory: row.text(C.subcategory.rawValue))
        if style == stylePieces.count { render(styles.all[style]) }
        let square = areaID(row, .square), district = areaID(row, .district)
        let title = self.title(style: style, square: square)
        var description: [UInt8]?, address: [UInt8]?
        if isPublic {
            let prepared = names.prepared(reporter: row.text(C.reporter.rawValue), firstName: row.text(C.contactFirstName.rawValue),
                                          lastName: row.text(C.contactLastName.rawValue))
            if let bytes = row.text(C.description.rawValue) { description = PublicText.redacted(bytes, prepared: prepared) }
            if let full = row.text(C.address.rawValue) {
                let street = PublicText.street(String(decoding: full, as: UTF8.self))
                address = Array(PublicText.redact(street, names: prepared.names).utf8)
            }
        }
        let rendered = stylePieces[style]
        let geojson = geojson, first = index == 0, digits = options.precision, isPublic = isPublic, sequence = sequence
        let keys = keys, areaNames = areaNames, null = null
        let size = switch row.text(C.severity.rawValue)?.first {
        case UInt8(ascii: "h"), UInt8(ascii: "u"): large
        case UInt8(ascii: "l"): small
        default: medium
        }

        pieces.withUnsafeBufferPointer { pieces in
            func put(_ piece: Piece) { b.append(contentsOf: UnsafeBufferPointer(rebasing: pieces[Int(piece.start)..<Int(piece.start + piece.count)])) }
            func key(_ property: Property) { put(keys[property.rawValue]) }
            func text(_ property: Property, _ column: C) {
                key(property)
                if let bytes = row.text(column.rawValue) {
                    if geojson { b.appendJSONString(bytes: bytes) } else { b.appendCSVField(bytes: bytes) }
                } else {
                    put(null)
                }
            }
            func composed(_ property: Property, _ bytes: [UInt8]) {
                key(property)
                bytes.withUnsafeBufferPointer { geojson ? b.appendJSONString(bytes: $0) : b.appendCSVField(bytes: $0) }
            }
            func area(_ property: Property, _ id: Int?) {
                key(property)
                put(id.map { areaNames[$0] } ?? null)
            }

            if geojson {
                if sequence { b.append(0x1E) } else if !first { b.append(",\n") }
                b.append("{\"type\":\"Feature\",\"id\":")
                b.appendInteger(id)
                b.append(",\"geometry\":{\"type\":\"Point\",\"coordinates\":")
                b.appendPosition(lon: point.x, lat: point.y, digits: digits)
                b.append("},\"properties\":{")
            } else {
                b.appendInteger(id)
                b.append(UInt8(ascii: ","))
                b.appendFixed(point.x, digits: digits)
                b.append(UInt8(ascii: ","))
                b.appendFixed(point.y, digits: digits)
            }
            key(.title)
            put(title)
            if let description { composed(.description, description) } else { text(.description, .description) }
            put(rendered.fields)
            text(.status, .status)
            text(.severity, .severity)
            key(.observedAt)
            if let stored = row.text(C.observedAt.rawValue) {
                if geojson { b.append(UInt8(ascii: "\"")) }
                if !Timestamp.appendLocal(stored: stored, to: &b) {
                    let local = Array(LocalTimeFormatter().local(fromUTC: stored).utf8)
                    local.withUnsafeBufferPointer { geojson ? b.appendJSONContent(bytes: $0) : b.appendCSVField(bytes: $0) }
                }
                if geojson { b.append(UInt8(ascii: "\"")) }
            } else {
                put(null)
            }
            area(.district, district)
            area(.square, square)
            if let address { composed(.address, address) } else { text(.address, .address) }
            put(rendered.marker)
            key(.markerSize)
            put(size)
            if !isPublic {
                text(.reporter, .reporter)
                text(.source, .source)
                if row.isNull(C.externalID.rawValue) { composed(.externalID, Array("citymap-\(id)".utf8)) } else { text(.externalID, .externalID) }
                key(.accuracy)
                if row.isNull(C.accuracy.rawValue) { put(null) } else { b.appendUTF8(String(row.double(C.accuracy.rawValue))) }
                text(.mediaURL, .mediaURL)
                text(.statusNote, .statusNote)
            }
            if geojson {
                // uMap labels a feature by `name` and colours it from `_umap_options` (it ignores simplestyle).
                key(.name)
                put(title)
                put(rendered.umap)
                b.append("}}")
                if sequence { b.append(0x0A) }
            } else {
                b.append("\r\n")
            }
        }
    }

    private func areaID(_ row: some ExportRow, _ column: ReportExportLayout.Column) -> Int? {
        guard !row.isNull(column.rawValue) else { return nil }
        let id = Int(row.int64(column.rawValue))
        return id >= 0 && id < areaNames.count && areaNames[id].count >= 0 ? id : nil
    }

    /// "Littering / Müll – Burgplatz": the subcategory's label, and the square where there is one; rendered once
    /// per category and square.
    private mutating func title(style: Int, square: Int?) -> Piece {
        let key = style << 32 | (square.map { $0 + 1 } ?? 0)
        if let title = titles[key] { return title }
        var text = bytes(stylePieces[style].label)
        if let square { text += Array(" – ".utf8) + bytes(plainAreaNames[square]) }
        let title = value(text)
        titles[key] = title
        return title
    }
}

/// The names each reporter and contact stand for, prepared once (`PublicText.names`, `PreparedNames`) and found
/// again by a hash of the three values' bytes: rows share few reporters (teams, capture apps).
struct NameCache {
    private var entries: [UInt64: [(key: [UInt8], prepared: PublicText.PreparedNames)]] = [:]
    private var count = 0
    private let none = PublicText.PreparedNames([])

    mutating func prepared(reporter: UnsafeBufferPointer<UInt8>?, firstName: UnsafeBufferPointer<UInt8>?,
                           lastName: UnsafeBufferPointer<UInt8>?) -> PublicText.PreparedNames {
        if reporter == nil && firstName == nil && lastName == nil { return none }
        // FNV-1a over the three values, each led by a byte that says whether it is there.
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for part in [reporter, firstName, lastName] {
            h = (h ^ (part == nil ? 2 : 1)) &* 0x100_0000_01b3
            for b in part ?? UnsafeBufferPointer(start: nil, count: 0) { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        }
        func key() -> [UInt8] {
            var key: [UInt8] = []
            for part in [reporter, firstName, lastName] {
                if let part { key.append(1); key.append(contentsOf: part); key.append(0) } else { key.append(2) }
            }
            return key
        }
        func matches(_ key: [UInt8]) -> Bool {
            var i = 0
            for part in [reporter, firstName, lastName] {
                guard let part else {
                    guard i < key.count, key[i] == 2 else { return false }
                    i += 1
                    continue
                }
                guard i + part.count + 2 <= key.count, key[i] == 1, key[i + 1 + part.count] == 0,
                      key.withUnsafeBufferPointer({ part.isEmpty || memcmp($0.baseAddress! + i + 1, part.baseAddress!, part.count) == 0 })
                else { return false }
                i += part.count + 2
            }
            return i == key.count
        }
        if let hit = entries[h]?.first(where: { matches($0.key) }) { return hit.prepared }
        func text(_ bytes: UnsafeBufferPointer<UInt8>?) -> String? { bytes.map { String(decoding: $0, as: UTF8.self) } }
        let prepared = PublicText.PreparedNames(PublicText.names(reporter: text(reporter), firstName: text(firstName), lastName: text(lastName)))
        if count >= 4096 { entries.removeAll(keepingCapacity: true); count = 0 }
        entries[h, default: []].append((key(), prepared))
        count += 1
        return prepared
    }
}

/// Finds a row's category among the known ones by its bytes, without making a String: a small open-addressing
/// table keyed by a hash of the two codes. A category the taxonomy does not hold is added on first sight with
/// the look `CategoryStyle.unknown` gives it.
struct CategoryStyles {
    private(set) var all: [CategoryStyle] = []
    private var codes: [(category: [UInt8], subcategory: [UInt8])] = []
    private var slots: [Int32]

    init(_ styles: [CategoryStyle]) {
        slots = Array(repeating: -1, count: 256)
        for style in styles { add(style) }
    }

    /// The index of the row's category in `all`.
    mutating func style(category: UnsafeBufferPointer<UInt8>?, subcategory: UnsafeBufferPointer<UInt8>?) -> Int {
        let category = category ?? UnsafeBufferPointer(start: nil, count: 0)
        let subcategory = subcategory ?? UnsafeBufferPointer(start: nil, count: 0)
        var slot = Self.hash(category, subcategory) & (slots.count - 1)
        while slots[slot] >= 0 {
            let index = Int(slots[slot])
            if Self.equal(codes[index].category, category) && Self.equal(codes[index].subcategory, subcategory) { return index }
            slot = (slot + 1) & (slots.count - 1)
        }
        return add(.unknown(category: String(decoding: category, as: UTF8.self), subcategory: String(decoding: subcategory, as: UTF8.self)))
    }

    private static func equal(_ known: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        known.count == bytes.count && known.withUnsafeBufferPointer { k in
            k.isEmpty || memcmp(k.baseAddress!, bytes.baseAddress!, k.count) == 0
        }
    }

    @discardableResult
    private mutating func add(_ style: CategoryStyle) -> Int {
        if (codes.count + 1) * 2 > slots.count { grow() }
        let index = codes.count
        codes.append((Array(style.category.utf8), Array(style.subcategory.utf8)))
        all.append(style)
        place(index)
        return index
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        for index in codes.indices { place(index) }
    }

    private mutating func place(_ index: Int) {
        let (category, subcategory) = codes[index]
        var slot = category.withUnsafeBufferPointer { c in subcategory.withUnsafeBufferPointer { s in Self.hash(c, s) } } & (slots.count - 1)
        while slots[slot] >= 0 {
            if slots[slot] == Int32(index) { return }
            slot = (slot + 1) & (slots.count - 1)
        }
        slots[slot] = Int32(index)
    }

    /// FNV-1a over both codes with a separator.
    private static func hash(_ category: UnsafeBufferPointer<UInt8>, _ subcategory: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in category { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        h = (h ^ 0x2F) &* 0x100_0000_01b3
        for b in subcategory { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: h >> 7)
    }
}

/// An export that cannot be written as asked.
public enum ExportError: CityMapError, Equatable {
    case badPrecision(Int)
    case noPoint(report: Int64)

    public var kind: ErrorKind {
        if case .badPrecision = self { return .invalid }
        return .failed
    }

    public var parameter: String? {
        if case .badPrecision = self { return "precision" }
        return nil
    }

    public var value: String? {
        if case .badPrecision(let digits) = self { return String(digits) }
        return nil
    }

    public func message(naming: (String) -> String) -> String {
        switch self {
        case .badPrecision(let digits):
            return "\(naming("precision")) \(digits) is outside 1…7 (RFC 7946 advises no more than 7 decimals; 6 is about 10 cm)"
        case .noPoint(let id):
            return "report #\(id) has no point geometry; the database needs repair (nothing was exported)"
        }
    }
}
