import Foundation
import Testing

/// The folders of `Sources/CityMap` are the architecture (STYLE.md): each may use only the folders below it, so that
/// no cycle can form (Storage ⇄ Import, Import → Export, Hotspots → Summaries were ones). Read off the source text:
/// a folder uses another when it names a type declared there.
@Suite("Layers of the core")
struct LayeringTests {
    /// Lowest first. A folder may use those before it in the list, never those after.
    static let order = ["Support", "Geometry", "Projection", "Domain", "Import", "Hotspots", "Export", "Summaries", "Storage"]

    static let core = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/CityMap")

    @Test func everyFolderIsInTheOrder() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.core.path).filter { !$0.hasPrefix(".") }
        #expect(Set(folders) == Set(Self.order))
    }

    @Test func noFolderUsesOneAboveIt() throws {
        var declared: [String: String] = [:]
        var sources: [String: [(file: String, text: String)]] = [:]
        let declaration = try Regex(#"(?m)^(?:public |final |private |fileprivate |internal )*(?:final )?(?:struct|enum|class|protocol|typealias) +([A-Za-z0-9_]+)"#)
        for folder in Self.order {
            let url = Self.core.appendingPathComponent(folder)
            for file in try FileManager.default.contentsOfDirectory(atPath: url.path) where file.hasSuffix(".swift") {
                let text = try String(contentsOf: url.appendingPathComponent(file), encoding: .utf8)
                let code = text.split(separator: "\n").map { line in line.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? "" }
                    .joined(separator: "\n")
                sources[folder, default: []].append((file, code))
                for match in code.matches(of: declaration) { declared[String(match.output[1].substring ?? "")] = folder }
            }
        }
        #expect(declared.count > 100, "the scan found the core's types")
        var violations: [String] = []
        for (folder, files) in sources {
            let rank = Self.order.firstIndex(of: folder)!
            for (name, home) in declared where Self.order.firstIndex(of: home)! > rank {
                let word = try Regex("\\b\(name)\\b")
                for (file, code) in files where code.contains(word) {
                    violations.append("\(folder)/\(file) uses \(name) from \(home)")
                }
            }
        }
        #expect(violations.isEmpty, "\(violations.sorted().joined(separator: "\n"))")
    }
}
