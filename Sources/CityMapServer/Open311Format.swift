import CityMap
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// GeoReport v2's two formats: JSON, and XML with the element names of the specification. Each document is written
/// once, as fields in order, so that both formats always carry the same values.
enum Open311Format: String, Sendable {
    case json, xml

    /// `requests.json` → (`requests`, json); no or another suffix is nil.
    static func split(_ file: String) -> (name: String, format: Open311Format)? {
        guard let dot = file.lastIndex(of: "."), let format = Open311Format(rawValue: String(file[file.index(after: dot)...]).lowercased()) else {
            return nil
        }
        return (String(file[..<dot]), format)
    }

    var contentType: String { self == .json ? "application/json; charset=utf-8" : "text/xml; charset=utf-8" }

    /// A value of a GeoReport document.
    enum Value {
        case text(String?)
        case number(Double?)
        case integer(Int)
        case bool(Bool)
        /// An object: fields in order.
        indirect case object([(String, Value)])
        /// A list, and the element name each item has in XML.
        indirect case list([Value], element: String)
    }

    /// A list document: `[{…}, …]` in JSON, `<root><element>…</element>…</root>` in XML.
    func document(root: String, element: String, items: [[(String, Value)]]) -> ByteBuffer {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(items.count * 700 + 64)
        switch self {
        case .json:
            bytes.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                Self.json(.object(item), into: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .xml:
            bytes.append(contentsOf: "<?xml version=\"1.0\" encoding=\"utf-8\"?>".utf8)
            bytes.append(contentsOf: "<\(root)>".utf8)
            for item in items { Self.xml(element, .object(item), into: &bytes) }
            bytes.append(contentsOf: "</\(root)>".utf8)
        }
        return ByteBuffer(bytes: bytes)
    }

    /// A list of requests (`Open311Fields`), written straight into bytes with each field's key prepared
    /// once. It serves the spec's default page of 1,000, where building a value per field and appending keys as
    /// Strings cost a third of the time (perf).
    func requests(_ reports: [PublicReport]) -> ByteBuffer {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(reports.count * 800 + 128)
        let json = self == .json
        bytes.append(contentsOf: json ? Self.jsonListStart : Self.xmlListStart)
        for (k, r) in reports.enumerated() {
            if json { bytes.append(contentsOf: k == 0 ? Self.jsonFirstItem : Self.jsonNextItem) } else { bytes.append(contentsOf: Self.xmlItemStart) }
            for (f, value) in Open311Fields.values(r).enumerated() {
                if json {
                    bytes.append(contentsOf: Self.jsonKeys[f])
                    switch value {
                    case .text(let text?): bytes.appendJSONString(text)
                    case .number(let n?): bytes.appendFixed(n, digits: 7)
                    default: bytes.append(contentsOf: Self.null)
                    }
                } else {
                    bytes.append(contentsOf: Self.xmlOpen[f])
                    switch value {
                    case .text(let text?): Self.escape(text, into: &bytes)
                    case .number(let n?): bytes.appendFixed(n, digits: 7)
                    default: break
                    }
                    bytes.append(contentsOf: Self.xmlClose[f])
                }
            }
            bytes.append(contentsOf: json ? Self.jsonItemEnd : Self.xmlItemEnd)
        }
        bytes.append(contentsOf: json ? Self.jsonListEnd : Self.xmlListEnd)
        return ByteBuffer(bytes: bytes)
    }

    private static let jsonKeys: [[UInt8]] = Open311Fields.names.enumerated().map { i, name in Array(((i == 0 ? "\"" : ",\"") + name + "\":").utf8) }
    private static let xmlOpen: [[UInt8]] = Open311Fields.names.map { Array("<\($0)>".utf8) }
    private static let xmlClose: [[UInt8]] = Open311Fields.names.map { Array("</\($0)>".utf8) }
    private static let jsonListStart = Array("[".utf8), jsonListEnd = Array("]".utf8), jsonFirstItem = Array("{".utf8)
    private static let jsonNextItem = Array(",{".utf8), jsonItemEnd = Array("}".utf8), null = Array("null".utf8)
    private static let xmlListStart = Array("<?xml version=\"1.0\" encoding=\"utf-8\"?><service_requests>".utf8)
    private static let xmlListEnd = Array("</service_requests>".utf8), xmlItemStart = Array("<request>".utf8), xmlItemEnd = Array("</request>".utf8)

    /// A single-object document (discovery, a service definition): an object in JSON, `<root>…</root>` in XML.
    func object(root: String, _ fields: [(String, Value)]) -> ByteBuffer {
        var bytes: [UInt8] = []
        switch self {
        case .json: Self.json(.object(fields), into: &bytes)
        case .xml:
            bytes.append(contentsOf: "<?xml version=\"1.0\" encoding=\"utf-8\"?>".utf8)
            Self.xml(root, .object(fields), into: &bytes)
        }
        return ByteBuffer(bytes: bytes)
    }

    func response(_ body: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: body))
    }

    private static func json(_ value: Value, into bytes: inout [UInt8]) {
        switch value {
        case .text(let text?): bytes.appendJSONString(text)
        case .text(nil), .number(nil): bytes.append(contentsOf: "null".utf8)
        case .number(let n?): bytes.appendFixed(n, digits: 7)
        case .integer(let n): bytes.appendInteger(Int64(n))
        case .bool(let b): bytes.append(contentsOf: (b ? "true" : "false").utf8)
        case .object(let fields):
            bytes.append(UInt8(ascii: "{"))
            for (i, (key, field)) in fields.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                bytes.appendJSONString(key)
                bytes.append(UInt8(ascii: ":"))
                json(field, into: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        case .list(let items, _):
            bytes.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                json(item, into: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        }
    }

    private static func xml(_ name: String, _ value: Value, into bytes: inout [UInt8]) {
        bytes.append(contentsOf: "<\(name)>".utf8)
        switch value {
        case .text(let text?): escape(text, into: &bytes)
        case .text(nil), .number(nil): break
        case .number(let n?): bytes.appendFixed(n, digits: 7)
        case .integer(let n): bytes.appendInteger(Int64(n))
        case .bool(let b): bytes.append(contentsOf: (b ? "true" : "false").utf8)
        case .object(let fields): for (key, field) in fields { xml(key, field, into: &bytes) }
        case .list(let items, let element): for item in items { xml(element, item, into: &bytes) }
        }
        bytes.append(contentsOf: "</\(name)>".utf8)
    }

    /// XML 1.0 text: markup characters escaped, and characters XML cannot carry at all (controls) left out.
    static func escape(_ text: String, into bytes: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): bytes.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): bytes.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): bytes.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): bytes.append(contentsOf: "&quot;".utf8)
            case 0x09, 0x0A, 0x0D: bytes.append(byte)
            case 0..<0x20: break
            default: bytes.append(byte)
            }
        }
    }

    /// GeoReport's error list, `[{"code": 400, "description": "…"}]`, in the format the path asked for.
    static func errorResponse(_ problem: Problem, path: String) -> Response {
        let file = path.split(separator: "/").last.map(String.init) ?? ""
        let format = split(file)?.format ?? .json
        let body = format.document(root: "errors", element: "error", items: [[("code", .integer(problem.status)), ("description", .text(problem.detail))]])
        var response = format.response(body, status: HTTPResponse.Status(code: problem.status))
        for field in problem.headers { response.headers.append(field) }
        return response
    }
}
