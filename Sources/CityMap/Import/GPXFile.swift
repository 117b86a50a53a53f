import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A track read from a GPX file: one walk of a team through the quarter.
struct RawWalk {
    let location: String
    let name: String
    let points: [Coordinate]
    let times: [Date]
}

/// GPX 1.1 (as GPS and notes apps export it). Waypoints become reports: `name`, `desc`/`cmt`, `time`, `type`
/// (the category; else the name when it is a category), and `hdop` as the accuracy in metres. Tracks become walks.
struct GPXFile {
    let reports: [Result<RawReport, RecordProblem>]
    let walks: [RawWalk]

    init(url: URL) throws(ImportError) {
        let data = try TextInput.data(url, expecting: "a GPX 1.1 file")
        let delegate = Delegate()
        do {
            try XMLInput.parse(data, delegate: delegate, file: url.path, what: "GPX")
        } catch {
            if let failure = delegate.failure { throw ImportError(file: url.path, message: "is not valid GPX (\(failure))") }
            throw error
        }
        guard delegate.sawGPX else {
            throw ImportError(file: url.path, field: "gpx", message: "has no <gpx> root element; expected a GPX 1.1 file")
        }
        reports = delegate.reports
        walks = delegate.walks
    }

    private final class Delegate: NSObject, XMLParserDelegate, XMLErrorLocating {
        var errorLocation: (line: Int, column: Int)?

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
            if errorLocation == nil { errorLocation = (parser.lineNumber, parser.columnNumber) }
        }

        var reports: [Result<RawReport, RecordProblem>] = []
        var walks: [RawWalk] = []
        var failure: String?
        var sawGPX = false

        private var text = ""
        private var waypoint: RawReport?
        private var waypointProblem: RecordProblem?
        private var waypointCount = 0
        private var wptName: String?
        private var trackName: String?
        private var trackLine = 0
        private var trackCount = 0
        private var inTrack = false
        private var points: [Coordinate] = []
        private var times: [Date] = []
        private var trackPointTime: Date?
        private var trackPoint: Coordinate?

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            text = ""
            switch name {
            case "gpx": sawGPX = true
            case "wpt":
                waypointCount += 1
                var raw = RawReport(location: "waypoint \(waypointCount) (line \(parser.lineNumber))")
                raw.source = nil
                do {
                    raw.lat = try FieldValue.number(attributes["lat"] ?? "", field: "wpt@lat", location: raw.location)
                    raw.lon = try FieldValue.number(attributes["lon"] ?? "", field: "wpt@lon", location: raw.location)
                } catch {
                    waypointProblem = error
                }
                waypoint = raw
                wptName = nil
            case "trk":
                inTrack = true
                trackCount += 1
                trackLine = parser.lineNumber
                trackName = nil
                points = []
                times = []
            case "trkpt":
                trackPointTime = nil
                if let lat = attributes["lat"].flatMap(Double.init), let lon = attributes["lon"].flatMap(Double.init),
                   let c = try? Coordinate(lon: lon, lat: lat) {
                    trackPoint = c
                } else {
                    failure = "track \(trackCount), line \(parser.lineNumber): a trkpt has no valid lat/lon"
                    parser.abortParsing()
                }
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

        /// Text in `<![CDATA[…]]>` (common for descriptions) is text too.
        func parser(_ parser: XMLParser, foundCDATA block: Data) { text += String(decoding: block, as: UTF8.self) }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if var raw = waypoint {
                do {
                    switch name {
                    case "name": wptName = value
                    case "desc": raw.description = value
                    case "cmt": if raw.description.isEmpty { raw.description = value }
                    case "type": raw.category = FieldValue.nonEmpty(value)
                    case "time": raw.observedAt = try FieldValue.time(value, field: "time", location: raw.location)
                    case "hdop": raw.accuracy = Meters(try FieldValue.number(value, field: "hdop", location: raw.location))
                    case "wpt":
                        // The type names the category; without one, the name must.
                        if raw.category == nil { raw.category = wptName } else if raw.description.isEmpty, let wptName { raw.description = wptName }
                        reports.append(waypointProblem.map { .failure($0) } ?? .success(raw))
                        waypoint = nil
                        waypointProblem = nil
                        return
                    default: break
                    }
                } catch {
                    if waypointProblem == nil { waypointProblem = error }
                }
                waypoint = raw
                return
            }
            guard inTrack else { return }
            switch name {
            case "name": if trackName == nil { trackName = value }
            case "time": trackPointTime = Timestamp.parse(value)
            case "trkpt":
                if let trackPoint {
                    points.append(trackPoint)
                    if let trackPointTime { times.append(trackPointTime) }
                }
                trackPoint = nil
            case "trk":
                walks.append(RawWalk(location: "track \(trackCount) (line \(trackLine))", name: trackName ?? "track \(trackCount)",
                                     points: points, times: times))
                inTrack = false
            default: break
            }
        }
    }
}
