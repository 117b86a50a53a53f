import Foundation

/// A buffered byte writer on a file descriptor: exports append bytes and numbers without building Strings
/// per value, and flush in 1 MiB blocks, so memory stays flat whatever the size of the export.
///
/// Hot loops append through `withBuffer`, which hands them the buffer as an `inout` array: one exclusivity
/// check per call instead of one per byte (measured: the per-byte checks were 40 % of an export's time).
public final class ByteSink {
    private var buffer: [UInt8] = []
    private let descriptor: Int32
    private let name: String

    init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.name = name
        buffer.reserveCapacity(1 << 20 + 65536)
    }

    func withBuffer(_ body: (inout [UInt8]) throws -> Void) rethrows {
        try body(&buffer)
    }

    func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        try flushIfFull()
    }

    func write(byte: UInt8) { buffer.append(byte) }

    func write<S: Sequence>(bytes: S) where S.Element == UInt8 { buffer.append(contentsOf: bytes) }

    func jsonString(_ text: String) { buffer.appendJSONString(text) }

    /// Call between records, where a flush is cheap to check.
    func flushIfFull() throws {
        if buffer.count >= 1 << 20 { try flush() }
    }

    func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let n = buffer[offset...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ExportError.cannotWrite(name, String(cString: strerror(errno)))
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

extension Array where Element == UInt8 {
    /// A JSON string literal, escaped per RFC 8259; text with nothing to escape is copied in one go.
    mutating func appendJSONString(_ text: String) {
        var text = text
        text.withUTF8 { appendJSONString(bytes: $0) }
    }

    mutating func appendJSONString(bytes: UnsafeBufferPointer<UInt8>) {
        append(UInt8(ascii: "\""))
        appendJSONContent(bytes: bytes)
        append(UInt8(ascii: "\""))
    }

    /// The inside of a JSON string literal, without the quotes.
    mutating func appendJSONContent(bytes: UnsafeBufferPointer<UInt8>) {
        if !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            append(contentsOf: bytes)
        } else {
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): append(UInt8(ascii: "\\")); append(byte)
                case 0x0A: append(UInt8(ascii: "\\")); append(UInt8(ascii: "n"))
                case 0x0D: append(UInt8(ascii: "\\")); append(UInt8(ascii: "r"))
                case 0x09: append(UInt8(ascii: "\\")); append(UInt8(ascii: "t"))
                case 0..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    append(contentsOf: "\\u00".utf8)
                    append(hex[Int(byte >> 4)])
                    append(hex[Int(byte & 0xF)])
                default: append(byte)
                }
            }
        }
    }

    /// One CSV field (RFC 4180): quoted only when it holds a comma, quote or line break.
    mutating func appendCSVField(bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) else {
            append(contentsOf: bytes)
            return
        }
        append(UInt8(ascii: "\""))
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { append(byte) }
            append(byte)
        }
        append(UInt8(ascii: "\""))
    }

    /// A decimal with at most `digits` places, trailing zeros dropped (6.7711, not 6.771100).
    mutating func appendFixed(_ value: Double, digits: Int) {
        let scale = decimalPowers[digits]
        let scaled = (Swift.abs(value) * scale).rounded()
        guard scaled < 9.0e15 else { // beyond exact integers: let Swift print it
            append(contentsOf: String(value).utf8)
            return
        }
        let total = UInt64(scaled), unit = UInt64(scale)
        if value < 0 && total != 0 { append(UInt8(ascii: "-")) }
        appendInteger(total / unit)
        var fraction = total % unit
        var places = digits
        while places > 0 && fraction % 10 == 0 { fraction /= 10; places -= 1 }
        guard places > 0 else { return }
        append(UInt8(ascii: "."))
        let start = count
        append(contentsOf: repeatElement(UInt8(ascii: "0"), count: places))
        var i = start + places - 1
        while fraction > 0 {
            self[i] = UInt8(ascii: "0") + UInt8(fraction % 10)
            fraction /= 10
            i -= 1
        }
    }

    mutating func appendInteger(_ value: UInt64) {
        var digits = 1, v = value
        while v >= 10 { digits += 1; v /= 10 }
        let start = count
        append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits))
        v = value
        for i in stride(from: start + digits - 1, through: start, by: -1) {
            self[i] = UInt8(ascii: "0") + UInt8(v % 10)
            v /= 10
        }
    }

    mutating func appendInteger(_ value: Int64) {
        if value < 0 { append(UInt8(ascii: "-")) }
        appendInteger(value.magnitude)
    }
}

private let decimalPowers: [Double] = (0...9).map { pow(10, Double($0)) }

/// Writes a file under a temporary name in the same folder and renames it when complete, so a failed or
/// interrupted export never leaves half a file. `-` means standard output.
enum AtomicFile {
    static func write(to url: URL?, _ body: (ByteSink) throws -> Void) throws {
        guard let url else {
            let sink = ByteSink(descriptor: STDOUT_FILENO, name: "standard output")
            try body(sink)
            try sink.flush()
            return
        }
        let folder = url.deletingLastPathComponent()
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw ExportError.cannotWrite(url.path, "the folder \(folder.path) does not exist")
        }
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).partial")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw ExportError.cannotWrite(url.path, String(cString: strerror(errno))) }
        do {
            let sink = ByteSink(descriptor: fd, name: url.path)
            try body(sink)
            try sink.flush()
            guard close(fd) == 0 else { throw ExportError.cannotWrite(url.path, String(cString: strerror(errno))) }
        } catch {
            close(fd)
            unlink(temporary.path)
            throw error
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw ExportError.cannotWrite(url.path, reason)
        }
    }
}

/// Exports that could not be written.
public enum ExportError: Error, Sendable, CustomStringConvertible {
    case cannotWrite(String, String)
    case badPrecision(Int)

    public var description: String {
        switch self {
        case let .cannotWrite(path, reason): return "cannot write \(path): \(reason); nothing was written"
        case .badPrecision(let digits): return "--precision \(digits) is outside 1…7 (RFC 7946 advises no more than 7 decimals; 6 is about 10 cm)"
        }
    }
}

/// RFC 4180 quoting of one CSV field.
public enum CSVField {
    public static func escape(_ text: String) -> String {
        text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}

extension AtomicFile {
    /// Convenience for writing Strings line by line (rejects files and other small outputs).
    static func write(to url: URL, _ body: (ByteSink) throws -> Void) throws {
        try write(to: Optional(url), body)
    }
}
