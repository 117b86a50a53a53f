import Foundation

/// Writes a file under a temporary name in the same folder and renames it when complete, so a failed or
/// interrupted export never leaves half a file.
///
/// It never writes over what it must not: a file in `protecting` (the database and its journals, the inputs of the
/// same command), nor anything that is not a regular file (a device, a folder). Partial files left by processes
/// that died are removed first.
public enum AtomicFile {
    @discardableResult
    public static func write<T>(to url: URL, mode: mode_t = 0o644, protecting: [OutputTarget.Protected] = [],
                                _ body: (ByteSink) throws -> T) throws -> T {
        let folder = url.deletingLastPathComponent()
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw OutputError.cannotWrite(url.path, reason: "the folder \(folder.path) does not exist")
        }
        try OutputTarget.check(url, protecting: protecting)
        removeStalePartials(of: url)
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).partial")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, mode)
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

    /// `.NAME.PID.partial` files beside `url` whose process is gone (killed mid-export) are removed.
    static func removeStalePartials(of url: URL) {
        let folder = url.deletingLastPathComponent()
        let prefix = ".\(url.lastPathComponent)."
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".partial") {
            let middle = name.dropFirst(prefix.count).dropLast(".partial".count)
            guard let pid = pid_t(middle), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(folder.appendingPathComponent(name).path) }
        }
    }
}

/// Where a command's output goes: a file (written aside and renamed) or standard output.
public enum OutputTarget: Sendable {
    case file(URL)
    case standardOutput

    /// A file an output must never replace, and what it is, for the message.
    public struct Protected: Sendable {
        public let path: String
        public let role: String

        public init(_ path: String, role: String) {
            self.path = path
            self.role = role
        }

        /// An input of the same command.
        public static func input(_ path: String) -> Protected { Protected(path, role: "an input of this command") }
    }

    /// `-` is standard output, anything else a file path.
    public init(path: String) {
        self = path == "-" ? .standardOutput : .file(URL(fileURLWithPath: path))
    }

    @discardableResult
    public func write<T>(mode: mode_t = 0o644, protecting: [Protected] = [], _ body: (ByteSink) throws -> T) throws -> T {
        switch self {
        case .file(let url):
            return try AtomicFile.write(to: url, mode: mode, protecting: protecting, body)
        case .standardOutput:
            let sink = ByteSink.standardOutput()
            let result = try body(sink)
            try sink.flush()
            return result
        }
    }
}

extension OutputTarget {
    /// Refuses an output path that names a protected file (compared after resolving links and `..`) or something
    /// other than a regular file.
    public static func check(_ url: URL, protecting: [Protected]) throws {
        let target = url.resolvingSymlinksInPath().standardizedFileURL.path
        for protected in protecting where URL(fileURLWithPath: protected.path).resolvingSymlinksInPath().standardizedFileURL.path == target {
            throw OutputError.wouldReplace(url.path, role: protected.role)
        }
        var info = stat()
        if stat(url.path, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG {
            throw OutputError.notRegularFile(url.path)
        }
    }
}
