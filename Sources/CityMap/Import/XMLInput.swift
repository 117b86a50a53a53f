import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// What went wrong in an XML document, said in words with its line and column: the parser itself gives only
/// "NSXMLParserErrorDomain error N".
enum XMLInput {
    /// Parses `data` with `delegate`, refusing a document the parser flagged: FoundationXML reports some errors
    /// (a document cut off before its end tags) with `parse()` still returning true.
    static func parse(_ data: Data, delegate: some XMLParserDelegate & XMLErrorLocating, file: String, what: String) throws(ImportError) {
        let parser = XMLParser(data: givingEveryProcessingInstructionData(data))
        parser.delegate = delegate
        let parsed = parser.parse()
        guard !parsed || parser.parserError != nil else { return }
        let code = delegate.errorCode ?? (parser.parserError as NSError?)?.code ?? 0
        // After a failure the parser's own position is the end of the data; the delegate kept where it failed.
        let (line, column) = delegate.errorLocation ?? (parser.lineNumber, parser.columnNumber)
        throw ImportError(file: file, location: "line \(line), column \(column)", message: "is not well-formed \(what): \(describe(code))")
    }

    /// FoundationXML on Linux crashes (strlen of a null pointer) on a processing instruction without data, such as
    /// `<?x?>`: libxml2 hands it no data at all, and FoundationXML reads it as a string. Found by tools/fuzz.
    /// A space after the target (`<?x ?>`) makes the data empty instead, which XML reads as the same instruction.
    /// Every `<?name?>` gets the space, in comments and CDATA too: libxml2 goes on parsing after some malformed
    /// comments, so no guess about where one ends is safe. (Text in CDATA that reads `<?name?>` gains a space.)
    static func givingEveryProcessingInstructionData(_ data: Data) -> Data {
        let question = UInt8(ascii: "?"), gt = UInt8(ascii: ">")
        var insertAt: [Int] = []
        data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var i = 0
            while i + 1 < bytes.count {
                guard bytes[i] == UInt8(ascii: "<"), bytes[i + 1] == question else { i += 1; continue }
                var k = i + 2
                // The target runs to white space, to "?>", or to the next "<".
                while k < bytes.count, bytes[k] != 0x20, bytes[k] != 0x09, bytes[k] != 0x0A, bytes[k] != 0x0D,
                      bytes[k] != UInt8(ascii: "<"), !(bytes[k] == question && k + 1 < bytes.count && bytes[k + 1] == gt) { k += 1 }
                if k > i + 2, k + 1 < bytes.count, bytes[k] == question, bytes[k + 1] == gt { insertAt.append(k) }
                i = max(k, i + 2)
            }
        }
        guard !insertAt.isEmpty else { return data }
        var out = Data(capacity: data.count + insertAt.count)
        var last = data.startIndex
        for at in insertAt {
            out.append(data[last..<(data.startIndex + at)])
            out.append(0x20)
            last = data.startIndex + at
        }
        out.append(data[last...])
        return out
    }

    /// The parser's error codes are libxml2's (`xmlParserErrors`); FoundationXML's `ErrorCode` enum numbers them
    /// differently on Linux, so the numbers are matched here.
    static func describe(_ code: Int) -> String {
        switch code {
        case 4: return "the document is empty"
        case 5: return "the document ends before its elements are closed, or has content after its root element"
        case 6, 7, 8, 9, 10: return "a character XML does not allow"
        case 26, 27, 28, 29, 30: return "an entity (&…;) that is not declared or not finished"
        case 31, 32, 6000...6004: return "an encoding that cannot be read (use UTF-8)"
        case 38: return "a '<' inside an attribute value"
        case 39, 40, 41: return "a malformed attribute"
        case 42: return "an attribute given twice in one element"
        case 45: return "a comment that is not finished"
        case 56, 57: return "a malformed XML declaration"
        case 63: return "an unfinished CDATA section"
        case 68: return "a name is missing where XML needs one"
        case 73: return "a tag is not closed with '>'"
        case 74: return "an end tag is malformed"
        case 76: return "an end tag does not match its start tag"
        case 77: return "an element is not finished"
        case 85: return "the elements are not nested properly"
        case 86: return "there is content after the root element"
        case 111: return "the document is too deeply nested or too large"
        case 201, 202, 203: return "a namespace prefix (x: in <x:name>) that no xmlns:x declares"
        default: return "XML error \(code) (libxml2)"
        }
    }
}

/// A parser delegate that keeps where and why the parser first failed, and stops it there.
protocol XMLErrorLocating: AnyObject {
    var errorLocation: (line: Int, column: Int)? { get set }
    var errorCode: Int? { get set }
}

extension XMLErrorLocating {
    /// Records the first error. FoundationXML leaks about 100 bytes for every error libxml2 reports (measured: 200
    /// undeclared namespace prefixes leaked 19 KB a parse, which took the GPX fuzz target past 3 GB), and a
    /// document with any error is refused anyway, so the parse stops at the next element (`stopAfterError`).
    /// Never from here: aborting inside the error callback makes libxml2 read a freed context (found by tools/fuzz).
    func note(_ parser: XMLParser, _ error: Error) {
        guard errorCode == nil else { return }
        errorLocation = errorLocation ?? (parser.lineNumber, parser.columnNumber)
        errorCode = (error as NSError).code
    }

    /// Called first in the element callbacks: aborts the parse once an error was noted.
    func stopAfterError(_ parser: XMLParser) -> Bool {
        guard errorCode != nil else { return false }
        parser.abortParsing()
        return true
    }
}
