import Foundation

/// Reading a whole JSON document with errors a person can act on: empty, binary, truncated or not JSON.
enum JSONInput {
    static func read(_ url: URL, expecting what: String) throws(ImportError) -> Any {
        let data = try TextInput.data(url, expecting: what)
        do {
            return try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw ImportError(file: url.path, message: "is not valid JSON (truncated or malformed); expected \(what)")
        }
    }
}

/// Checks that a file holds text at all before a reader looks at it.
enum TextInput {
    static func data(_ url: URL, expecting what: String) throws(ImportError) -> Data {
        let data: Data
        do { data = try Data(contentsOf: url, options: .mappedIfSafe) } catch {
            throw ImportError(file: url.path, message: "cannot be read (\(error.localizedDescription))")
        }
        try check(data.prefix(4096), file: url.path, expecting: what)
        try checkAll(data, file: url.path)
        return data
    }

    /// The whole document is UTF-8 text without NUL bytes; the error names the line of the first flaw.
    static func checkAll(_ data: Data, file: String) throws(ImportError) {
        let flaw: (UTF8Check.Flaw, Int)? = data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard let flaw = UTF8Check.firstFlaw(bytes) else { return nil }
            switch flaw {
            case .invalid(let at), .nul(let at), .incomplete(let at): return (flaw, UTF8Check.line(of: at, in: bytes))
            }
        }
        guard let (kind, line) = flaw else { return }
        switch kind {
        case .invalid(let at): throw ImportError(file: file, location: "line \(line)", message: "is not UTF-8 text (offset \(at)); save the file as UTF-8")
        case .nul(let at): throw ImportError(file: file, location: "line \(line)", message: "holds a NUL byte (offset \(at)): binary data, not text")
        case .incomplete: throw ImportError(file: file, location: "line \(line)", message: "ends inside a character: the last bytes are not UTF-8 text")
        }
    }

    /// Empty files and binary data (NUL bytes or bytes that are not UTF-8) are refused by name.
    static func check(_ head: Data, file: String, expecting what: String) throws(ImportError) {
        if head.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw ImportError(file: file, message: "is empty; expected \(what)")
        }
        if let nul = head.firstIndex(of: 0) {
            throw ImportError(file: file, message: "is binary data, not text (a NUL byte at offset \(nul - head.startIndex)); expected \(what)")
        }
        // Allow a multi-byte character cut at the end of the sample.
        var sample = Array(head)
        for _ in 0..<4 where String(validating: sample, as: UTF8.self) == nil && !sample.isEmpty {
            sample.removeLast()
        }
        if String(validating: sample, as: UTF8.self) == nil {
            throw ImportError(file: file, message: "is not UTF-8 text (binary data?); expected \(what)")
        }
    }
}
