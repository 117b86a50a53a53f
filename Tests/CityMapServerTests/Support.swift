import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// A fresh folder under the system's temporary directory, removed when the value is released.
final class TemporaryFolder: @unchecked Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("citymap-server-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// The real `citymap` executable, built with the tests.
enum Executable {
    static let url: URL = {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [beside, beside.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("citymap")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/citymap")
    }()

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `citymap ARGS` to completion.
    @discardableResult
    static func run(_ arguments: [String], in folder: URL) throws -> Result {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }
}

/// A real `citymap serve` on a free loopback port, over a real SpatiaLite file in a temporary folder, with one
/// token per role. No mocks: requests go through the network stack and a real HTTP client.
final class Served: @unchecked Sendable {
    let folder: TemporaryFolder
    let db: String
    let process = Process()
    private(set) var base = URL(string: "http://127.0.0.1")!
    private(set) var field = "", office = "", admin = ""
    private let lock = NSLock()
    private var log = ""

    struct Answer {
        let status: Int
        let headers: [String: String]
        let body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: Any? { try? JSONSerialization.jsonObject(with: body) }
        var object: [String: Any] { json as? [String: Any] ?? [:] }
        func header(_ name: String) -> String? { headers.first { $0.key.lowercased() == name.lowercased() }?.value }
    }

    init(extraArguments: [String] = [], setUp: (String, URL) throws -> Void = { _, _ in }) throws {
        folder = try TemporaryFolder()
        db = folder.path("citymap.sqlite")
        try #require(Executable.run(["init", "--db", db], in: folder.url).status == 0)
        try setUp(db, folder.url)
        func token(_ name: String, _ role: String) throws -> String {
            let made = try Executable.run(["tokens", "add", name, "--role", role, "--db", db], in: folder.url)
            try #require(made.status == 0, "tokens add: \(made.stderr)")
            return made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        field = try token("Team West", "field")
        office = try token("Office", "office")
        admin = try token("Admin", "admin")
        process.executableURL = Executable.url
        process.arguments = ["serve", "--db", db, "--port", "0"] + extraArguments
        process.currentDirectoryURL = folder.url
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        let listening = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var address: String?
        err.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            let text = String(decoding: data, as: UTF8.self)
            self.lock.lock()
            self.log += text
            let all = self.log
            self.lock.unlock()
            if address == nil, let range = all.range(of: #"listening on https?://[0-9.]+:[0-9]+"#, options: .regularExpression) {
                address = String(all[range].dropFirst("listening on ".count))
                listening.signal()
            }
        }
        try process.run()
        guard listening.wait(timeout: .now() + 30) == .success, let address, let url = URL(string: address) else {
            process.terminate()
            throw ServedError.didNotStart(logText)
        }
        base = url
    }

    enum ServedError: Error { case didNotStart(String) }

    var logText: String {
        lock.lock()
        defer { lock.unlock() }
        return log
    }

    /// One request; `json` is sent as application/json, `form` as application/x-www-form-urlencoded.
    func request(_ method: String, _ path: String, token: String? = nil, json: Any? = nil, form: [String: String]? = nil,
                 body: Data? = nil, contentType: String? = nil) async throws -> Answer {
        var request = URLRequest(url: URL(string: path, relativeTo: base)!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        if let form {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            request.httpBody = Data(form.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
                .joined(separator: "&").utf8)
            request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        }
        if let body { request.httpBody = body }
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields { headers["\(key)"] = "\(value)" }
        return Answer(status: http.statusCode, headers: headers, body: data)
    }

    /// Stops the server with SIGTERM and waits for it; returns its exit status.
    @discardableResult
    func stop() -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        process.terminate()
        process.waitUntilExit()
        Thread.sleep(forTimeInterval: 0.1) // the last lines of the log
        return process.terminationStatus
    }

    func cli(_ arguments: [String]) throws -> Executable.Result {
        try Executable.run(arguments + ["--db", db], in: folder.url)
    }

    deinit { if process.isRunning { process.terminate(); process.waitUntilExit() } }
}

/// `../shared/data` beside the project; nil where it is absent (tests that need it are then skipped).
enum SharedData {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data")

    static func file(_ relative: String) -> URL? {
        let url = root.appendingPathComponent(relative)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }
}
