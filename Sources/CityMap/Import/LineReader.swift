import Foundation

/// Reads a text file line by line in 1 MiB chunks (for GeoJSON text sequences), keeping memory flat.
struct LineReader {
    let file: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    private(set) var line = 0
    private(set) var bytesRead: UInt64 = 0

    init(url: URL, expecting what: String) throws(ImportError) {
        file = url.path
        do { handle = try FileHandle(forReadingFrom: url) } catch {
            throw ImportError(file: file, message: "cannot be read (\(error.localizedDescription))")
        }
        fill()
        try TextInput.check(Data(buffer.prefix(4096)), file: file, expecting: what)
    }

    private mutating func fill() {
        if position > 0 { buffer.removeFirst(position); position = 0 }
        if let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            buffer.append(contentsOf: chunk)
            bytesRead += UInt64(chunk.count)
        } else {
            atEnd = true
        }
    }

    /// The next line's bytes without its line break; nil at the end.
    mutating func next() -> ArraySlice<UInt8>? {
        while true {
            if let newline = buffer[position...].firstIndex(of: UInt8(ascii: "\n")) {
                let slice = buffer[position..<newline]
                position = newline + 1
                line += 1
                return slice.last == UInt8(ascii: "\r") ? slice.dropLast() : slice
            }
            if atEnd {
                guard position < buffer.count else { return nil }
                let slice = buffer[position...]
                position = buffer.count
                line += 1
                return slice
            }
            fill()
        }
    }
}
