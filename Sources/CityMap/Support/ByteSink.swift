import Foundation

/// Where a `ByteSink` finally puts its bytes: a file descriptor, or an adapter's own channel (an HTTP response
/// body). Called with blocks of about 1 MiB, so a slow or blocking implementation costs little per record.
public protocol ByteOutput: AnyObject {
    /// Writes all of `bytes`, or throws; a throw ends the export that is writing.
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// Whether any thread may write (one at a time): then an export writes on a thread beside the one reading.
    /// False unless the output says so (one that inserts into a database is bound to its connection's thread).
    var writesFromAnyThread: Bool { get }
}

extension ByteOutput {
    public var writesFromAnyThread: Bool { false }
}

/// A buffered byte writer: exports append bytes and numbers without building Strings per value, and hand them on
/// in 1 MiB blocks, so memory stays flat whatever the size of the export.
///
/// The caller chooses where the bytes go (`AtomicFile` for a file written aside and renamed, `standardOutput()`,
/// or an adapter's `ByteOutput`); the core only writes. Hot loops append through `withBuffer`, which hands them
/// the buffer as an `inout` array: one exclusivity check per call instead of one per byte (measured: the
/// per-byte checks were 40 % of an export's time).
public final class ByteSink {
    private var buffer: [UInt8] = []
    private let output: any ByteOutput
    /// Bytes handed to the output so far.
    public private(set) var bytesWritten = 0

    public init(_ output: any ByteOutput) {
        self.output = output
        buffer.reserveCapacity(1 << 20 + 65536)
    }

    /// A sink on standard output.
    public static func standardOutput() -> ByteSink {
        ByteSink(FileDescriptorOutput(descriptor: STDOUT_FILENO, name: "standard output"))
    }

    func withBuffer(_ body: (inout [UInt8]) throws -> Void) rethrows {
        try body(&buffer)
    }

    public func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        try flushIfFull()
    }

    public func write(_ bytes: some Sequence<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        try flushIfFull()
    }

    func write(byte: UInt8) { buffer.append(byte) }

    /// Whether another thread than the one that made the sink may write to it (`ByteOutput.writesFromAnyThread`).
    var writesFromAnyThread: Bool { output.writesFromAnyThread }

    /// Hands a large block to the output as it is, after what is buffered: no copy into the buffer.
    func write(block: ByteBuffer) throws {
        try flush()
        try output.write(block.bytes)
        bytesWritten += block.count
    }

    func jsonString(_ text: String) { buffer.appendJSONString(text) }

    /// Call between records, where a flush is cheap to check.
    func flushIfFull() throws {
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Hands everything buffered to the output.
    public func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try output.write($0) }
        bytesWritten += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Writes to an open file descriptor, retrying short writes and interruptions.
public final class FileDescriptorOutput: ByteOutput {
    private let descriptor: Int32
    private let name: String
    public var writesFromAnyThread: Bool { true }

    public init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.name = name
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let n = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw OutputError.cannotWrite(name, reason: String(cString: strerror(errno)))
            }
            offset += n
        }
    }
}

/// An output that could not be written.
public enum OutputError: CityMapError {
    case cannotWrite(String, reason: String)
    /// The output would replace a file the command must not touch (the database, an input).
    case wouldReplace(String, role: String)
    /// The output names a device, a folder or anything else that is not a regular file.
    case notRegularFile(String)

    public var kind: ErrorKind {
        if case .cannotWrite = self { return .failed }
        return .invalid
    }

    public var parameter: String? {
        if case .cannotWrite = self { return nil }
        return "out"
    }

    public var value: String? {
        switch self {
        case .cannotWrite: return nil
        case .wouldReplace(let path, _), .notRegularFile(let path): return path
        }
    }

    public func message(naming: (String) -> String) -> String {
        switch self {
        case let .cannotWrite(path, reason): return "cannot write \(path): \(reason); nothing was written"
        case let .wouldReplace(path, role):
            return "\(path) is \(role); an output never replaces it. Choose another file; nothing was written"
        case .notRegularFile(let path):
            return "\(path) is not a regular file (a device, a folder or a pipe); write to a file instead; nothing was written"
        }
    }
}
