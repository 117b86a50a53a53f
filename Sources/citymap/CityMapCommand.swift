import ArgumentParser
import CityMap

/// The `citymap` command line: it parses, calls the CityMap library and prints. No domain logic lives here.
struct CityMapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "citymap",
        abstract: "Log, place and look up city-centre concerns (Düsseldorf Innenstadt West and Ost) in a SpatiaLite database.",
        discussion: """
            The database is citymap.sqlite in the current folder unless --db or CITYMAP_DB names another.
            Start with `citymap init`, then log spots with `citymap log`.
            """,
        version: "0.1.0",
        subcommands: [Init.self, Log.self, Show.self, List.self, Status.self, Note.self, Reopen.self, Edit.self, Assign.self, Redact.self, Import.self, Export.self, Walks.self, Summary.self, Overdue.self, Hotspots.self, Areas.self, Vacancy.self, Square.self, Serve.self, Tokens.self, Demo.self]
    )
}

/// The program's entry: a command that always writes reports starts opening SpatiaLite before its arguments are
/// parsed, then ArgumentParser runs the command.
@main
enum Entry {
    /// Every run of these writes reports, and a write needs SpatiaLite (its triggers keep the geometry's
    /// constraints and the R*Tree).
    static let writers: Set<String> = ["log", "status", "note", "reopen", "edit", "assign", "import"]

    static func main() async {
        let arguments = CommandLine.arguments.dropFirst()
        // Opening SpatiaLite and PROJ (42 million instructions, callgrind) and a connection cache go on while
        // ArgumentParser parses (24 million, mostly the Swift runtime's protocol-conformance lookups): a
        // `citymap log` on 1,000,000 reports 1-3.5 ms sooner in three runs taking turns (BENCHMARKS.md). Not for
        // help, which would wait at exit for the loader to finish.
        if let command = arguments.first, writers.contains(command),
           !arguments.contains(where: { ["-h", "--help", "help"].contains($0) }) {
            Store.startOpeningSpatiaLite()
        }
        await CityMapCommand.main()
    }
}
