import Foundation
@testable import CityMap

/// Reads one fuzzer input as the import would: the reader for its format, every record, and the validation of
/// each against the shipped taxonomy. Errors are the expected outcome of most inputs; a crash, a trap or a
/// memory error (AddressSanitizer) is a finding.
public enum FuzzReaders {
    public enum Reader: Sendable {
        case reports(ImportFormat)
        case boundary
        case time
    }

    /// Inputs go to a file: the readers read files (streamed), as they do in an import. /dev/shm keeps it in memory.
    nonisolated(unsafe) static let file: URL = {
        let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        return URL(fileURLWithPath: folder).appendingPathComponent("citymap-fuzz-\(getpid())")
    }()

    nonisolated(unsafe) static let taxonomy: Taxonomy = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("GeoData/taxonomy.json")
        guard let taxonomy = try? Taxonomy(contentsOf: url) else { fatalError("cannot read \(url.path)") }
        return taxonomy
    }()

    public static func run(_ reader: Reader, _ data: UnsafeRawPointer, _ count: Int) -> CInt {
        let bytes = UnsafeRawBufferPointer(start: data, count: count)
        switch reader {
        case .time:
            let text = String(decoding: bytes, as: UTF8.self)
            _ = Timestamp.parse(text)
            _ = Timestamp.parseEnd(text)
            _ = try? FieldValue.time(text, field: "time", location: "fuzz")
            bytes.withMemoryRebound(to: UInt8.self) { _ = Timestamp.parseStored($0) }
            if let date = Timestamp.parse(text) { _ = Timestamp.utc(date); _ = Timestamp.local(date) }
        case .boundary:
            guard write(bytes) else { return 0 }
            if let areas = try? BoundaryFile.read(file) {
                for area in areas { _ = area.name }
            }
        case .reports(let format):
            guard write(bytes) else { return 0 }
            guard var reader = try? ReportFile.open(file, format: format, statuses: [:]).reader else { return 0 }
            let options = ImportOptions()
            // A cache per input, as per import: one shared by every input grew with each random category name until
            // the GPX target passed libFuzzer's 3 GB limit after 875,000 executions (a harness artifact, no leak).
            let categories = CategoryCache()
            while let next = try? reader.next() {
                if case .success(let raw) = next {
                    _ = ReportValidation.validate(raw, taxonomy: taxonomy, options: options, format: format, categories: categories)
                }
            }
            _ = reader.problem
        }
        return 0
    }

    private static func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let fd = open(file.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return bytes.isEmpty || Glibc.write(fd, bytes.baseAddress, bytes.count) == bytes.count
    }
}

@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(_ argc: UnsafeMutablePointer<CInt>,
                       _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                       _ callback: @convention(c) (UnsafeRawPointer, Int) -> CInt) -> CInt

/// SwiftPM links an executable with `main` as an alias of `<Target>_main`, which `-parse-as-library` never emits;
/// each target defines that symbol and hands over to libFuzzer's driver here.
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                     _ callback: @convention(c) (UnsafeRawPointer, Int) -> CInt) -> CInt {
    var argc = argc
    var argv = argv
    return runDriver(&argc, &argv, callback)
}
