import Foundation

/// Reads a text file line by line (for GeoJSON text sequences), through a `ChunkedFile`.
struct LineReader {
    private var input: ChunkedFile
    private(set) var line = 0
    var bytesRead: UInt64 { input.bytesRead }
    /// Why reading stopped before the end (see `ChunkedFile.problem`).
    var problem: ImportError? { input.problem }

    init(url: URL, expecting what: String) throws(ImportError) {
        input = try ChunkedFile(url: url, expecting: what)
    }

    /// The next line's bytes without its line break; nil at the end.
    mutating func next() -> ArraySlice<UInt8>? {
        while true {
            if let newline = input.buffer[input.position...].firstIndex(of: UInt8(ascii: "\n")) {
                let slice = input.buffer[input.position..<newline]
                input.position = newline + 1
                line += 1
                return slice.last == UInt8(ascii: "\r") ? slice.dropLast() : slice
            }
            if input.atEnd {
                guard input.position < input.buffer.count else { return nil }
                let slice = input.buffer[input.position...]
                input.position = input.buffer.count
                line += 1
                return slice
            }
            input.fill()
        }
    }
}
