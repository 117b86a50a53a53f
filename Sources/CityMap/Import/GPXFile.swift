import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A track read from a GPX file: one walk of a team through the quarter, a segment per stretch without a pause
/// (`trkseg`); or a route (`rte`), a planned walk of one segment.
struct RawWalk {
    let location: String
    let name: String
    let segments: [[Coordinate]]
    let times: [Date]
    var planned = false
}

/// GPX 1.0 and 1.1 (as GPS and notes apps export it). Waypoints become reports: `name`, `desc`/`cmt`, `time`, `type`
/// (the category; else the name), and `hdop` as the accuracy in metres; a waypoint without a time takes that of the
/// nearest timed track point. Tracks become walks, routes planned walks. Text may come as CDATA (OruxMaps, Locus).
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
        reports = Self.timed(delegate.reports, by: delegate.timedPoints)
        walks = delegate.walks
    }

    /// Waypoints without a time take the time of the nearest timed track point (phones often leave `<time>` out of
    /// waypoints set during a recorded walk). Distances on a local plane: enough to find the nearest.
    static func timed(_ reports: [Result<RawReport, RecordProblem>], by points: [(Coordinate, Date)]) -> [Result<RawReport, RecordProblem>] {
        guard !points.isEmpty else { return reports }
        return reports.map { result in
            guard case .success(var raw) = result, raw.observedAt == nil, let lat = raw.lat, let lon = raw.lon else { return result }
            let scale = cos(lat * .pi / 180)
            var best = Double.infinity
            for (point, time) in points {
                let dx = (point.lon - lon) * scale, dy = point.lat - lat
                let d = dx * dx + dy * dy
                if d < best { best = d; raw.observedAt = time }
            }
            return .success(raw)
        }
    }

    private final class Delegate: NSObject, XMLParserDelegate, XMLErrorLocating {
        var errorLocation: (line: Int, column: Int)?
        var errorCode: Int?

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) { note(parser, parseError) }

        var reports: [Result<RawReport, RecordProblem>] = []
        var walks: [RawWalk] = []
        /// Every track point with a time, for waypoints without one.
        var timedPoints: [(Coordinate, Date)] = []
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
        private var inRoute = false
        private var routeCount = 0
        private var segments: [[Coordinate]] = []
        private var points: [Coordinate] = []
        private var times: [Date] = []
        private var trackPointTime: Date?
        private var trackPoint: Coordinate?

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            if stopAfterError(parser) { return }
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
            case "trk", "rte":
                if name == "trk" { inTrack = true; trackCount += 1 } else { inRoute = true; routeCount += 1 }
                trackLine = parser.lineNumber
                trackName = nil
                segments = []
                points = []
                times = []
            case "trkseg":
                if !points.isEmpty { segments.append(points) }
                points = []
            case "trkpt", "rtept":
                trackPointTime = nil
                if let lat = attributes["lat"].flatMap(Double.init), let lon = attributes["lon"].flatMap(Double.init),
                   let c = try? Coordinate(lon: lon, lat: lat) {
                    trackPoint = c
                } else {
                    failure = name == "trkpt" ? "track \(trackCount), line \(parser.lineNumber): a trkpt has no valid lat/lon"
                        : "route \(routeCount), line \(parser.lineNumber): a rtept has no valid lat/lon"
                    parser.abortParsing()
                }
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

        /// Text in `<![CDATA[…]]>` (common for descriptions) is text too.
        func parser(_ parser: XMLParser, foundCDATA block: Data) { text += String(decoding: block, as: UTF8.self) }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if stopAfterError(parser) { return }
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
            guard inTrack || inRoute else { return }
            switch name {
            case "name": if trackName == nil, trackPoint == nil { trackName = value }
            case "time": trackPointTime = Timestamp.parse(value)
            case "trkpt", "rtept":
                if let trackPoint {
                    points.append(trackPoint)
                    if let trackPointTime {
                        times.append(trackPointTime)
                        timedPoints.append((trackPoint, trackPointTime))
                    }
                }
                trackPoint = nil
            case "trkseg":
                if !points.isEmpty { segments.append(points) }
                points = []
            case "trk", "rte":
                if !points.isEmpty { segments.append(points) }
                let planned = name == "rte"
                let number = planned ? routeCount : trackCount
                let kind = planned ? "route" : "track"
                walks.append(RawWalk(location: "\(kind) \(number) (line \(trackLine))", name: trackName ?? "\(kind) \(number)",
                                     segments: segments, times: planned ? [] : times, planned: planned))
                inTrack = false
                inRoute = false
            default: break
            }
        }
    }
}
