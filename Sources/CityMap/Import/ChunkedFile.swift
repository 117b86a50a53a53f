import Foundation

/// A text file read in 1 MiB chunks into one buffer that readers scan in place: memory stays flat whatever
/// the file's size. Readers advance `position`; `fill()` drops what was consumed and appends the next chunk.
struct ChunkedFile {
    let path: String
    private let handle: FileHandle
    var buffer: [UInt8] = []
    var position = 0
    private(set) var atEnd = false
    /// Bytes read from the file so far, for progress.
    private(set) var bytesRead: UInt64 = 0
    /// Why reading stopped early: bytes that are not UTF-8, a NUL byte, or one record longer than `maximumRecord`.
    /// Nothing after the flaw reaches the readers; the import refuses the file.
    private(set) var problem: ImportError?
    /// Line feeds in the bytes handed on so far, for naming the line of a flaw.
    private var lines = 1
    /// The start of a character cut at the end of the last chunk, kept back until the next completes it.
    private var pending: [UInt8] = []
    /// The file's first bytes as read, for the check that it is text at all.
    private var head = Data()
    /// No record (a CSV row, a line of a text sequence) may hold more than this: a file with one 50 MB field is
    /// refused instead of read without limit.
    static let maximumRecord = 16 << 20

    /// Opens the file and checks that it starts as text (not empty, not binary), naming `what` was expected.
    init(url: URL, expecting what: String) throws(ImportError) {
        path = url.path
        do { handle = try FileHandle(forReadingFrom: url) } catch {
            throw ImportError(file: path, message: "cannot be read (\(error.localizedDescription))")
        }
        fill()
        // A file that is binary from the start is named so, before any flaw on a line of it.
        try TextInput.check(head, file: path, expecting: what)
        if let problem { throw problem }
    }

    mutating func fill() {
        guard problem == nil else { atEnd = true; return }
        if position > 0 {
            buffer.removeFirst(position)
            position = 0
        }
        guard buffer.count <= Self.maximumRecord else {
            problem = ImportError(file: path, location: "line \(lines)", message: "holds a record longer than \(Self.maximumRecord >> 20) MiB; is it a text file of reports?")
            atEnd = true
            return
        }
        guard let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty else {
            if !pending.isEmpty {
                problem = ImportError(file: path, location: "line \(lines)", message: "ends inside a character: the last bytes are not UTF-8 text")
            }
            atEnd = true
            return
        }
        if bytesRead == 0 { head = chunk.prefix(4096) }
        bytesRead += UInt64(chunk.count)
        let bytes = pending + Array(chunk)
        pending = []
        bytes.withUnsafeBufferPointer { all in
            var usable = all.count
            switch UTF8Check.firstFlaw(all) {
            case nil: break
            case .incomplete(let from)?: usable = from
            case .invalid(let at)?:
                problem = ImportError(file: path, location: "line \(UTF8Check.line(of: at, in: all, startingAt: lines))",
                                      message: "is not UTF-8 text (byte \(String(all[at], radix: 16, uppercase: true)) at offset \(bytesRead - UInt64(all.count - at))); save the file as UTF-8")
            case .nul(let at)?:
                problem = ImportError(file: path, location: "line \(UTF8Check.line(of: at, in: all, startingAt: lines))",
                                      message: "holds a NUL byte (offset \(bytesRead - UInt64(all.count - at))): binary data, not text")
            }
            guard problem == nil else { return }
            lines = UTF8Check.line(of: usable, in: all, startingAt: lines)
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: all[0..<usable]))
            pending = Array(all[usable...])
        }
        if problem != nil { atEnd = true }
    }
}
