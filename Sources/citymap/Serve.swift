import ArgumentParser
import CityMap
import CityMapServer
import Foundation

extension AccessRole: ExpressibleByArgument {}

extension CityMapCommand {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "serve", 
            abstract: "Serve the database to the team: Open311 GeoReport v2 for citizens' apps, the staff API for phones and the office.",
            discussion: """
                Open311 lives at /open311/v2/ (discovery, services, requests, tokens; JSON and XML), the staff API at /api/
                (described by /api/openapi.json), with bearer tokens from `citymap tokens add`. Writes one line per request to
                stderr: method, path, status, milliseconds. While serving, the file runs in WAL mode so readers never wait for
                a writer; SIGINT or SIGTERM lets requests in flight finish, checkpoints, and leaves one complete .sqlite file.
                Phones need HTTPS for geolocation: give --tls-cert and --tls-key, or run behind a reverse proxy (README).
                Examples:
                  citymap serve --db citymap.sqlite --port 8080
                  citymap serve --host 0.0.0.0 --port 8443 --tls-cert cert.pem --tls-key key.pem --citizen-key "$KEY"
                """)

        @OptionGroup var database: DatabaseOptions

        @Option(help: "The address to listen on: 127.0.0.1 (this machine only, the default) or 0.0.0.0 (every interface).")
        var host = "127.0.0.1"

        @Option(help: "The port to listen on; 0 picks a free one (printed on stderr).")
        var port = 8080

        @Option(help: ArgumentHelp("A PEM certificate (chain) for HTTPS, with --tls-key.", valueName: "file"))
        var tlsCert: String?

        @Option(help: ArgumentHelp("The PEM private key for --tls-cert.", valueName: "file"))
        var tlsKey: String?

        @Option(help: ArgumentHelp("A key citizens' apps may post Open311 requests with (default: $CITYMAP_CITIZEN_KEY), besides any access token. The citizens' page uses it; without one, the page cannot post.",
                                   valueName: "key"))
        var citizenKey: String?

        @Option(help: ArgumentHelp("The pages' map tiles: a URL template with {z}/{x}/{y}, or none (the outlines alone). Default: OpenStreetMap's.",
                                   valueName: "url"))
        var tiles: String = ServerOptions.openStreetMapTiles

        @Option(help: "The attribution the tile server asks for.")
        var tilesAttribution = "© OpenStreetMap contributors"

        func validate() throws {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535 (got \(port))") }
            if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
            if tiles != "none" && !(tiles.contains("{z}") && tiles.contains("{x}") && tiles.contains("{y}") && tiles.hasPrefix("https://")) {
                throw ValidationError("--tiles must be an https:// URL template with {z}, {x} and {y}, or none")
            }
        }

        func run() async throws {
            var options = ServerOptions(database: database.path)
            options.host = host
            options.port = port
            options.tlsCertificate = tlsCert
            options.tlsKey = tlsKey
            options.tiles = tiles == "none" ? nil : tiles
            options.tilesAttribution = tilesAttribution
            options.citizenKey = citizenKey ?? ProcessInfo.processInfo.environment["CITYMAP_CITIZEN_KEY"].flatMap { $0.isEmpty ? nil : $0 }
            try await CityMapServer.run(options) { line in
                let bytes = Array((line + "\n").utf8)
                bytes.withUnsafeBytes { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
            }
        }
    }

    struct Tokens: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "tokens", 
            abstract: "Make, list and revoke the access tokens of `citymap serve`.",
            discussion: """
                Roles: field (log reports, add notes, upload walks, read), office (also change status, assign and edit),
                admin (also manage tokens and areas). Only a token's SHA-256 hash is stored; the token is printed once.
                """,
            subcommands: [AddToken.self, ListTokens.self, RevokeToken.self], defaultSubcommand: ListTokens.self)
    }

    struct AddToken: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Make a token and print it, alone on stdout, once.",
            discussion: "Example: citymap tokens add \"Team West phone\" --role field")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "A name for whoever holds it, e.g. \"Team West phone\".")
        var name: String

        @Option(help: "field, office or admin.")
        var role: AccessRole

        func run() throws {
            let store = try database.open()
            print(try store.addToken(name: name, role: role))
        }
    }

    struct ListTokens: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the tokens (names and roles, never the tokens).")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption

        func run() throws {
            let tokens = try database.open().tokens()
            if output.format == .json {
                emit(try JSONText.string(tokens))
                return
            }
            emit(TableWriter(columns: ["name", "role", "created", "revoked"], rows: tokens.map { t in
                [.text(t.name), .text(t.role.rawValue), .text(Timestamp.short(t.createdAt)), .text(t.revokedAt.map { Timestamp.short($0) })]
            }).render(output.format))
        }
    }

    struct RevokeToken: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a token: from now on it opens nothing.")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The token's name, as `citymap tokens list` shows it.")
        var name: String

        func run() throws {
            try database.open().revokeToken(name: name)
            print("Revoked the token '\(name)'.")
        }
    }
}
