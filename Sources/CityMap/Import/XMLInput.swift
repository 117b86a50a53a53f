import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// What went wrong in an XML document, said in words with its line and column: the parser itself gives only
/// "NSXMLParserErrorDomain error N".
enum XMLInput {
    static func problem(_ parser: XMLParser, file: String, what: String) -> ImportError {
        let code = (parser.parserError as NSError?)?.code ?? 0
        return ImportError(file: file, location: "line \(parser.lineNumber), column \(parser.columnNumber)",
                           message: "is not well-formed \(what): \(describe(code))")
    }

    static func describe(_ code: Int) -> String {
        switch XMLParser.ErrorCode(rawValue: code) {
        case .emptyDocumentError?: return "the document is empty"
        case .prematureDocumentEndError?: return "the document ends early (truncated?)"
        case .invalidCharacterError?, .invalidCharacterRefError?, .invalidCharacterInEntityError?: return "a character XML does not allow"
        case .tagNameMismatchError?: return "an end tag does not match its start tag"
        case .gtRequiredError?: return "a tag is not closed with '>'"
        case .ltRequiredError?, .ltSlashRequiredError?: return "a tag is missing its '<'"
        case .notWellBalancedError?: return "the elements are not nested properly"
        case .extraContentError?: return "there is content after the root element"
        case .undeclaredEntityError?, .entityNotFinishedError?, .entityRefAtEOFError?, .entityRefInPrologError?:
            return "an entity (&…;) that is not declared or not finished"
        case .attributeNotStartedError?, .attributeNotFinishedError?, .attributeHasNoValueError?, .attributeRedefinedError?,
             .lessThanSymbolInAttributeError?: return "a malformed attribute"
        case .namespaceDeclarationError?: return "a malformed namespace declaration"
        case .nameRequiredError?: return "a name is missing where XML needs one"
        case .encodingNotSupportedError?, .unknownEncodingError?: return "an encoding that cannot be read (use UTF-8)"
        case .commentNotFinishedError?, .commentContainsDoubleHyphenError?: return "a malformed comment"
        case .cdataNotFinishedError?: return "an unfinished CDATA section"
        case .xmlDeclNotStartedError?, .xmlDeclNotFinishedError?: return "a malformed XML declaration"
        case .delegateAbortedParseError?: return "the reader stopped"
        default: return "XML error \(code)"
        }
    }
}
