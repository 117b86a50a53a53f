import Foundation

/// A CSV of projected points (`x`, `y` in metres, any metric CRS) for running citymap's algorithms on data from
/// elsewhere, e.g. the cross-checks against scikit-learn. Streamed through `CSVReader`; errors name line and column.
public enum ProjectedPointsFile {
    public static func read(_ url: URL) throws -> ContiguousArray<ProjectedPoint> {
        var reader = try CSVReader(url: url)
        guard let header = try reader.next() else { throw ImportError(file: url.path, message: "is empty; expected a CSV with x and y columns") }
        let names = header.fields.map { $0.trimmed.lowercased() }
        guard let xi = names.firstIndex(of: "x"), let yi = names.firstIndex(of: "y") else {
            throw ImportError(file: url.path, location: "line 1", field: "header", message: "needs columns x and y (metres); it has \(header.fields.joined(separator: ", "))")
        }
        var points = ContiguousArray<ProjectedPoint>()
        while let record = try reader.next() {
            guard record.fields.count == names.count else {
                throw ImportError(file: url.path, location: "line \(record.line)", message: "has \(record.fields.count) fields, the header has \(names.count)")
            }
            guard let x = Double(record.fields[xi]), x.isFinite else {
                throw ImportError(file: url.path, location: "line \(record.line)", field: "x", message: "'\(record.fields[xi])' is not a number")
            }
            guard let y = Double(record.fields[yi]), y.isFinite else {
                throw ImportError(file: url.path, location: "line \(record.line)", field: "y", message: "'\(record.fields[yi])' is not a number")
            }
            points.append(ProjectedPoint(x: x, y: y))
        }
        return points
    }
}
