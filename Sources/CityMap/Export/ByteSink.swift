import Foundation

/// A buffered byte writer on a file descriptor: exports append bytes and numbers without building Strings
/// per value, and flush in 1 MiB blocks, so memory stays flat whatever the size of the export.
public final class ByteSink {
    private var buffer: [UInt8] = []
    private let descriptor: Int32
    private let name: String

    init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.name = name
        buffer.reserveCapacity(1 << 20 + 4096)
    }

    func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 20 { try flush() }
    }

    func write(byte: UInt8) { buffer.append(byte) }

    func write<S: Sequence>(bytes: S) where S.Element == UInt8 { buffer.append(contentsOf: bytes) }

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

    // MARK: JSON pieces

    /// A JSON string literal, escaped per RFC 8259.
    func jsonString(_ text: String) {
        buffer.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): buffer.append(UInt8(ascii: "\\")); buffer.append(byte)
            case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\")); buffer.append(byte)
            case 0x0A: buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "n"))
            case 0x0D: buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "r"))
            case 0x09: buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "t"))
            case 0..<0x20:
                buffer.append(contentsOf: "\\u00".utf8)
                let hex = Array("0123456789abcdef".utf8)
                buffer.append(hex[Int(byte >> 4)])
                buffer.append(hex[Int(byte & 0xF)])
            default: buffer.append(byte)
            }
        }
        buffer.append(UInt8(ascii: "\""))
    }

    /// A decimal with at most `digits` places, trailing zeros dropped (6.7711, not 6.771100).
    func fixed(_ value: Double, digits: Int) {
        let scale = ByteSink.powers[digits]
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9.0e15 else { // beyond exact integers: let Swift print it
            buffer.append(contentsOf: String(value).utf8)
            return
        }
        let total = UInt64(scaled), unit = UInt64(scale)
        if value < 0 && total != 0 { buffer.append(UInt8(ascii: "-")) }
        integer(total / unit)
        var fraction = total % unit
        var places = digits
        while places > 0 && fraction % 10 == 0 { fraction /= 10; places -= 1 }
        guard places > 0 else { return }
        buffer.append(UInt8(ascii: "."))
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: places))
        var i = start + places - 1
        while fraction > 0 {
            buffer[i] = UInt8(ascii: "0") + UInt8(fraction % 10)
            fraction /= 10
            i -= 1
        }
    }

    func integer(_ value: UInt64) {
        if value < 10 { buffer.append(UInt8(ascii: "0") + UInt8(value)); return }
        var count = 0, v = value
        while v > 0 { count += 1; v /= 10 }
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: count))
        v = value
        for i in stride(from: start + count - 1, through: start, by: -1) {
            buffer[i] = UInt8(ascii: "0") + UInt8(v % 10)
            v /= 10
        }
    }

    func integer(_ value: Int64) {
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        integer(value.magnitude)
    }

    private static let powers: [Double] = (0...9).map { pow(10, Double($0)) }
}

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
