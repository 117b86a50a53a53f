import ArgumentParser
import CityMap
import Foundation

/// How the command line words the core's errors: every input the core names becomes the option a person typed
/// (`since` → `--since`), and a few errors get the command that helps next.
enum Wording {
    /// Core names whose option is not simply `--name` with dashes.
    private static let options: [String: String] = ["observed_at": "--at", "accuracy_m": "--accuracy", "lat": "--lat", "lon": "--lon"]

    static func option(_ name: String) -> String {
        options[name] ?? "--" + name.replacingOccurrences(of: "_", with: "-")
    }

    static func sentence(_ error: any CityMapError) -> String {
        var text = error.message(naming: option)
        switch error {
        case DomainError.unknownReport: text += "; `citymap list` shows the reports"
        case DomainError.unknownWalk: text += "; `citymap walks list` shows the walks"
        default: break
        }
        return text
    }
}

extension CityMapCommand {
    /// Runs the command; errors of the core are worded with this program's option names, on one line of stderr.
    static func main() async {
        var failure: Int32?
        var refusal: (any Error)?
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch let error as any CityMapError {
            FileHandle.standardError.write(Data("Error: \(Wording.sentence(error))\n".utf8))
            failure = error.kind == .busy ? 75 : 1 // 75: EX_TEMPFAIL, try again later
        } catch {
            refusal = error
        }
        // Not while the libraries may still be opening on another thread (`Store.startOpeningSpatiaLite`).
        Store.finishOpeningSpatiaLite()
        if let refusal { exit(withError: refusal) }
        if let failure { Foundation.exit(failure) }
    }
}
