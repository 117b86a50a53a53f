import Foundation

/// A streaming RFC 4180 reader: quoted fields may hold delimiters, quotes ("") and line breaks.
/// Reads the file in 1 MiB chunks, so memory stays flat whatever the file's size. A UTF-8 BOM is skipped and
/// the delimiter (`;`, `,` or tab) is detected from the header line.
struct CSVReader {
    let file: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    private(set) var delimiter: UInt8 = UInt8(ascii: ",")
    /// The 1-based line on which the next record starts.
    private(set) var line = 1

    init(url: URL) throws(ImportError) {
        file = url.path
        do { handle = try FileHandle(forReadingFrom: url) } catch {
            throw ImportError(file: file, message: "cannot be read (\(error.localizedDescription))")
        }
        fill()
        try TextInput.check(Data(buffer.prefix(4096)), file: file, expecting: "a CSV file with a header line")
        if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        delimiter = detectDelimiter()
    }

    /// The byte offset reached, for progress.
    private(set) var bytesRead: UInt64 = 0

    private mutating func fill() {
        if position > 0 {
            buffer.removeFirst(position)
            position = 0
        }
        let chunk = (try? handle.read(upToCount: 1 << 20)) ?? nil
        if let chunk, !chunk.isEmpty {
            buffer.append(contentsOf: chunk)
            bytesRead += UInt64(chunk.count)
        } else {
            atEnd = true
        }
    }

    /// Counts candidate delimiters outside quotes on the first line.
    private func detectDelimiter() -> UInt8 {
        var counts: [UInt8: Int] = [UInt8(ascii: ","): 0, UInt8(ascii: ";"): 0, UInt8(ascii: "\t"): 0]
        var quoted = false
        for byte in buffer[position...] {
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            if !quoted && (byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")) { break }
            if !quoted, counts[byte] != nil { counts[byte]! += 1 }
        }
        return counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key != UInt8(ascii: ",")) }?.key ?? UInt8(ascii: ",")
    }

    /// The next record and the line it starts on; nil at the end of the file. Blank lines are skipped.
    /// Unquoted fields (the common case) become Strings straight from the read buffer; quoted ones are
    /// unescaped byte by byte.
    mutating func next() throws(ImportError) -> (line: Int, fields: [String])? {
        let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        while true {
            if position >= buffer.count && !atEnd { fill() }
            if position >= buffer.count { return nil }
            let startLine = line
            var fields: [String] = []
            fields.reserveCapacity(expectedFields)
            var endOfRecord = false
            while !endOfRecord {
                if position >= buffer.count && !atEnd { fill() }
                if position < buffer.count && buffer[position] == quote {
                    position += 1
                    fields.append(try quotedField(startLine: startLine))
                } else {
                    // Scan to the next delimiter or line end, reading more when the buffer runs out mid-field.
                    var end = position
                    while true {
                        while end < buffer.count {
                            let b = buffer[end]
                            if b == delimiter || b == lf || b == cr { break }
                            end += 1
                        }
                        if end < buffer.count || atEnd { break }
                        let offset = end - position
                        fill()
                        end = position + offset
                    }
                    fields.append(buffer.withUnsafeBufferPointer {
                        String(decoding: UnsafeBufferPointer(rebasing: $0[position..<end]), as: UTF8.self)
                    })
                    position = end
                }
                // After a field: a delimiter (another field follows), a line end, or the end of the file.
                if position >= buffer.count && !atEnd { fill() }
                if position >= buffer.count {
                    endOfRecord = true
                } else if buffer[position] == delimiter {
                    position += 1
                } else if buffer[position] == lf || buffer[position] == cr {
                    if buffer[position] == cr {
                        position += 1
                        if position >= buffer.count && !atEnd { fill() }
                        if position < buffer.count && buffer[position] == lf { position += 1 }
                    } else {
                        position += 1
                    }
                    line += 1
                    endOfRecord = true
                } else {
                    throw ImportError(file: file, location: "line \(line)", message: "has text after a closing quote; a quoted field must end at a delimiter")
                }
            }
            if fields.count == 1 && fields[0].isEmpty { continue } // blank line
            expectedFields = max(expectedFields, fields.count)
            return (startLine, fields)
        }
    }

    private var expectedFields = 8

    /// The rest of a quoted field after its opening quote: `""` stands for a quote, line breaks are kept.
    private mutating func quotedField(startLine: Int) throws(ImportError) -> String {
        let quote = UInt8(ascii: "\"")
        var field: [UInt8] = []
        while true {
            if position >= buffer.count && !atEnd { fill() }
            guard position < buffer.count else {
                throw ImportError(file: file, location: "line \(startLine)", message: "a quoted field is never closed (the file ends inside quotes; truncated?)")
            }
            let byte = buffer[position]
            position += 1
            if byte == quote {
                if position >= buffer.count && !atEnd { fill() }
                if position < buffer.count && buffer[position] == quote {
                    field.append(quote)
                    position += 1
                } else {
                    return String(decoding: field, as: UTF8.self)
                }
            } else {
                if byte == UInt8(ascii: "\n") { line += 1 }
                field.append(byte)
            }
        }
    }
}
