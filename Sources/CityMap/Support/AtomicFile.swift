import Foundation

/// Writes a file under a temporary name in the same folder and renames it when complete, so a failed or
/// interrupted export never leaves half a file.
public enum AtomicFile {
    @discardableResult
    public static func write<T>(to url: URL, _ body: (ByteSink) throws -> T) throws -> T {
        let folder = url.deletingLastPathComponent()
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw OutputError.cannotWrite(url.path, reason: "the folder \(folder.path) does not exist")
        }
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).partial")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw OutputError.cannotWrite(url.path, reason: String(cString: strerror(errno))) }
        let result: T
        do {
            let sink = ByteSink(FileDescriptorOutput(descriptor: fd, name: url.path))
            result = try body(sink)
            try sink.flush()
            guard close(fd) == 0 else { throw OutputError.cannotWrite(url.path, reason: String(cString: strerror(errno))) }
        } catch {
            close(fd)
            unlink(temporary.path)
            throw error
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw OutputError.cannotWrite(url.path, reason: reason)
        }
        return result
    }
}

/// Where a command's output goes: a file (written aside and renamed) or standard output.
public enum OutputTarget: Sendable {
    case file(URL)
    case standardOutput

    /// `-` is standard output, anything else a file path.
    public init(path: String) {
        self = path == "-" ? .standardOutput : .file(URL(fileURLWithPath: path))
    }

    @discardableResult
    public func write<T>(_ body: (ByteSink) throws -> T) throws -> T {
        switch self {
        case .file(let url):
            return try AtomicFile.write(to: url, body)
        case .standardOutput:
            let sink = ByteSink.standardOutput()
            let result = try body(sink)
            try sink.flush()
            return result
        }
    }
}
