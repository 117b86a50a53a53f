/// A problem in an input file, always naming the file, the place in it (line or feature) and the field.
public struct ImportError: CityMapError {
    public let file: String
    /// "line 12", "feature 3", or nil when the problem concerns the whole file.
    public let location: String?
    public let field: String?
    public let message: String

    public init(file: String, location: String? = nil, field: String? = nil, message: String) {
        self.file = file
        self.location = location
        self.field = field
        self.message = message
    }

    public var kind: ErrorKind { .invalid }
    /// The field in the file, as the file names it.
    public var parameter: String? { field }
    public var value: String? { nil }

    public func message(naming: (String) -> String) -> String {
        var text = file
        if let location { text += ": \(location)" }
        if let field { text += ", field '\(field)'" }
        return text + ": " + message
    }
}
