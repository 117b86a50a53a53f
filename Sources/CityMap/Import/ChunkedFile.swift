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

    /// Opens the file and checks that it starts as text (not empty, not binary), naming `what` was expected.
    init(url: URL, expecting what: String) throws(ImportError) {
        path = url.path
        do { handle = try FileHandle(forReadingFrom: url) } catch {
            throw ImportError(file: path, message: "cannot be read (\(error.localizedDescription))")
        }
        fill()
        try TextInput.check(Data(buffer.prefix(4096)), file: path, expecting: what)
    }

    mutating func fill() {
        if position > 0 {
            buffer.removeFirst(position)
            position = 0
        }
        if let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            buffer.append(contentsOf: chunk)
            bytesRead += UInt64(chunk.count)
        } else {
            atEnd = true
        }
    }
}
