import Foundation

/// A streaming RFC 4180 reader: quoted fields may hold delimiters, quotes ("") and line breaks.
/// Reads the file in 1 MiB chunks, so memory stays flat whatever the file's size. A UTF-8 BOM is skipped and
/// the delimiter (`;`, `,` or tab) is detected from the header line.
struct CSVReader {
    let file: String
    private var input: ChunkedFile
    private(set) var delimiter: UInt8 = UInt8(ascii: ",")
    /// The 1-based line on which the next record starts.
    private(set) var line = 1

    init(url: URL) throws(ImportError) {
        file = url.path
        input = try ChunkedFile(url: url, expecting: "a CSV file with a header line")
        if input.buffer.starts(with: [0xEF, 0xBB, 0xBF]) { input.position = 3 }
        delimiter = detectDelimiter()
    }

    /// The byte offset reached, for progress.
    var bytesRead: UInt64 { input.bytesRead }
    /// Why reading stopped before the end (see `ChunkedFile.problem`).
    var problem: ImportError? { input.problem }

    /// Counts candidate delimiters outside quotes on the first line.
    private func detectDelimiter() -> UInt8 {
        var counts: [UInt8: Int] = [UInt8(ascii: ","): 0, UInt8(ascii: ";"): 0, UInt8(ascii: "\t"): 0]
        var quoted = false
        for byte in input.buffer[input.position...] {
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
            if input.position >= input.buffer.count && !input.atEnd { input.fill() }
            if input.position >= input.buffer.count { return nil }
            let startLine = line
            var fields: [String] = []
            fields.reserveCapacity(expectedFields)
            var endOfRecord = false
            while !endOfRecord {
                if input.position >= input.buffer.count && !input.atEnd { input.fill() }
                if input.position < input.buffer.count && input.buffer[input.position] == quote {
                    input.position += 1
                    fields.append(try quotedField(startLine: startLine))
                } else {
                    // Scan to the next delimiter or line end, reading more when the input.buffer runs out mid-field.
                    var end = input.position
                    while true {
                        while end < input.buffer.count {
                            let b = input.buffer[end]
                            if b == delimiter || b == lf || b == cr { break }
                            end += 1
                        }
                        if end < input.buffer.count || input.atEnd { break }
                        let offset = end - input.position
                        input.fill()
                        end = input.position + offset
                    }
                    fields.append(input.buffer.withUnsafeBufferPointer {
                        String(decoding: UnsafeBufferPointer(rebasing: $0[input.position..<end]), as: UTF8.self)
                    })
                    input.position = end
                }
                // After a field: a delimiter (another field follows), a line end, or the end of the file.
                if input.position >= input.buffer.count && !input.atEnd { input.fill() }
                if input.position >= input.buffer.count {
                    endOfRecord = true
                } else if input.buffer[input.position] == delimiter {
                    input.position += 1
                } else if input.buffer[input.position] == lf || input.buffer[input.position] == cr {
                    if input.buffer[input.position] == cr {
                        input.position += 1
                        if input.position >= input.buffer.count && !input.atEnd { input.fill() }
                        if input.position < input.buffer.count && input.buffer[input.position] == lf { input.position += 1 }
                    } else {
                        input.position += 1
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
            if input.position >= input.buffer.count && !input.atEnd { input.fill() }
            guard input.position < input.buffer.count else {
                throw ImportError(file: file, location: "line \(startLine)", message: "a quoted field is never closed (the file ends inside quotes; truncated?)")
            }
            let byte = input.buffer[input.position]
            input.position += 1
            if byte == quote {
                if input.position >= input.buffer.count && !input.atEnd { input.fill() }
                if input.position < input.buffer.count && input.buffer[input.position] == quote {
                    field.append(quote)
                    input.position += 1
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
