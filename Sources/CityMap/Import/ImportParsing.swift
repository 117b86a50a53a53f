import Foundation

/// One batch of checked records and what the checking found, handed from the parsing thread to the writing one.
struct ImportChunk {
    var batch: [NewReport] = []
    var locations: [String] = []
    var problems: [RecordProblem] = []
    var unmapped: [String: Int] = [:]
    var outsideKept: [String] = []
    var outsideSkipped: [String] = []
    var outside: [Coordinate] = []
    var inside = 0
    /// Records read so far in the file, and bytes.
    var records = 0
    var bytesRead: UInt64 = 0
}

/// The parsing side of an import: reads the records, reprojects, checks them against the taxonomy and the extent, and
/// hands them over in batches. Runs on its own thread; everything it touches is its own until `done` is signalled.
final class ImportParsing: @unchecked Sendable {
    private var reader: any RecordReader
    private let reprojection: Projector?
    private let sourceCRS: String?
    private let taxonomy: Taxonomy
    private let options: ImportOptions
    private let format: ImportFormat
    private let handOver: HandOver<ImportChunk>
    /// Why parsing stopped early: the reader's error, or its `problem`.
    private(set) var error: (any Error)?
    let done = DispatchSemaphore(value: 0)

    init(reader: any RecordReader, reprojection: Projector?, sourceCRS: String?, taxonomy: Taxonomy, options: ImportOptions,
         format: ImportFormat, handOver: HandOver<ImportChunk>) {
        self.reader = reader
        self.reprojection = reprojection
        self.sourceCRS = sourceCRS
        self.taxonomy = taxonomy
        self.options = options
        self.format = format
        self.handOver = handOver
    }

    func run() {
        defer {
            handOver.finish()
            done.signal()
        }
        do {
            let categories = CategoryCache()
            var chunk = ImportChunk()
            var records = 0
            while let next = try reader.next() {
                records += 1
                var raw: RawReport
                switch next {
                case .failure(let problem): chunk.problems.append(problem); continue
                case .success(let r): raw = r
                }
                if let reprojection, let sourceCRS, let x = raw.lon, let y = raw.lat {
                    var xs = [x], ys = [y]
                    do { try reprojection.transform(&xs, &ys) } catch {
                        chunk.problems.append(RecordProblem(location: raw.location, field: "position",
                                                            message: "\(x), \(y) cannot be transformed from \(sourceCRS) to WGS84 (\(error))"))
                        continue
                    }
                    raw.lon = xs[0]
                    raw.lat = ys[0]
                }
                switch ReportValidation.validate(raw, taxonomy: taxonomy, options: options, format: format, categories: categories) {
                case .failure(let problem): chunk.problems.append(problem)
                case .success(.unmapped(let name)): chunk.unmapped[name, default: 0] += 1
                case .success(.outside(let report, let note)):
                    switch options.outside {
                    case .keep:
                        chunk.outsideKept.append("\(raw.location): \(note)")
                        chunk.batch.append(report)
                        chunk.locations.append(raw.location)
                    case .skip: chunk.outsideSkipped.append("\(raw.location): \(note)")
                    case .fail:
                        chunk.outside.append(report.position)
                        chunk.problems.append(RecordProblem(location: raw.location, field: "lat/lon",
                                                            message: "\(note); import it with --outside keep, or leave it out with --outside skip"))
                    }
                case .success(.valid(let report)):
                    chunk.inside += 1
                    chunk.batch.append(report)
                    chunk.locations.append(raw.location)
                }
                if chunk.batch.count >= options.batchSize {
                    chunk.records = records
                    chunk.bytesRead = reader.bytesRead
                    guard handOver.put(chunk) else { return }
                    chunk = ImportChunk()
                    chunk.batch.reserveCapacity(options.batchSize)
                }
            }
            chunk.records = records
            chunk.bytesRead = reader.bytesRead
            if let problem = reader.problem { error = problem }
            _ = handOver.put(chunk)
        } catch {
            self.error = error
        }
    }
}
