import ArgumentParser

/// The `citymap` command line: it parses, calls the CityMap library and prints. No domain logic lives here.
@main
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
