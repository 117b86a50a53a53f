import Foundation

/// Reading and writing instants. Stored as UTC text (`2026-11-27T09:15:00Z`, sortable, readable by QGIS);
/// shown and parsed in Europe/Berlin unless a zone is given.
public enum Timestamp {
    /// The last instant citymap writes (2200-01-01): later "times" are input errors, and far later ones would
    /// overflow the arithmetic of dates.
    public static let latest = Date(timeIntervalSince1970: 7_258_118_400)

    /// The city's time zone: every local time without an offset is read in it.
    public static let berlin = TimeZone(identifier: "Europe/Berlin")!

    /// Parses ISO 8601 as people and devices write it:
    /// `2026-11-27`, `2026-11-27T10:15`, `2026-11-27 10:15:30`, `2026-11-27T10:15:30.5+01:00`, `…Z`, `…+0100`.
    /// Without an offset the time is local to `zone`. Returns nil for anything else, including impossible dates.
    public static func parse(_ text: String, zone: TimeZone = berlin) -> Date? {
        var text = text.trimmed
        return text.withUTF8 { parse(bytes: $0, zone: zone) }
    }

    /// `parse` on the bytes of a trimmed text, read by position: imports parse two or three times per row, and the
    /// same steps through a Substring's UTF-8 view (count, prefix, dropFirst) cost 12,000 instructions a time.
    static func parse(bytes: UnsafeBufferPointer<UInt8>, zone: TimeZone) -> Date? {
        var i = 0
        let end = bytes.count
        func digits(_ n: Int) -> Int? {
            guard end - i >= n else { return nil }
            var v = 0
            for j in i..<(i + n) {
                let b = bytes[j]
                guard b >= 48, b <= 57 else { return nil }
                v = v * 10 + Int(b - 48)
            }
            i += n
            return v
        }
        func peek() -> UInt8? { i < end ? bytes[i] : nil }
        func take(_ c: UInt8) -> Bool {
            guard i < end, bytes[i] == c else { return false }
            i += 1
            return true
        }
        // '-' (ISO 8601), or '/' as GDAL writes dates ("2026/11/27 11:02:00+01": QGIS and ogr2ogr CSV), the same twice.
        guard let year = digits(4), let separator = peek(), separator == 45 || separator == 47, take(separator),
              let month = digits(2), take(separator), let day = digits(2) else { return nil }
        var hour = 0, minute = 0, second = 0.0
        if take(84) || take(32) || take(116) { // 'T', ' ', 't'
            guard let h = digits(2), take(58), let m = digits(2) else { return nil }
            hour = h; minute = m
            if take(58) {
                guard let sec = digits(2) else { return nil }
                second = Double(sec)
                if take(46) || take(44) {
                    var scale = 0.1
                    var any = false
                    while let b = peek(), b >= 48, b <= 57 {
                        second += Double(b - 48) * scale
                        scale /= 10
                        i += 1
                        any = true
                    }
                    guard any else { return nil }
                }
            }
        }
        var offset: Int?
        if take(90) || take(122) { // 'Z', 'z'
            offset = 0
        } else if let sign = peek(), sign == 43 || sign == 45 { // '+', '-'
            i += 1
            guard let oh = digits(2) else { return nil }
            _ = take(58)
            let om = i == end ? 0 : (digits(2) ?? -1)
            guard om >= 0, oh <= 18, om < 60 else { return nil }
            offset = (oh * 3600 + om * 60) * (sign == 43 ? 1 : -1)
        }
        guard i == end, (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
              hour < 24, minute < 60, second < 61 else { return nil }
        let localSeconds = Double(daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60) + second
        if let offset {
            return Date(timeIntervalSince1970: localSeconds - Double(offset))
        }
        // Local wall time: find the offset in force at that instant (two passes settle DST edges).
        var guess = Date(timeIntervalSince1970: localSeconds - Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: localSeconds))))
        guess = Date(timeIntervalSince1970: localSeconds - Double(zone.secondsFromGMT(for: guess)))
        return guess
    }

    /// `2026-11-27T09:15:00Z`: the stored form.
    public static func utc(_ date: Date) -> String {
        format(date, offsetSeconds: 0)
    }

    /// `2026-11-27T10:15:00+01:00`: the form shown to people and written to exports.
    public static func local(_ date: Date, zone: TimeZone = berlin) -> String {
        format(date, offsetSeconds: offset(date, zone: zone))
    }

    /// The zone's offset at `date`; Europe/Berlin's from the transition table, others from Foundation.
    static func offset(_ date: Date, zone: TimeZone = berlin) -> Int {
        let seconds = min(max(date.timeIntervalSince1970.rounded(.down), -62_167_219_200), 253_402_300_799)
        return zone.identifier == berlin.identifier ? BerlinOffsets.offset(at: Int(seconds)) : zone.secondsFromGMT(for: date)
    }

    /// The stored form `YYYY-MM-DDTHH:MM:SSZ` read straight from bytes (the hot path of listings); anything else
    /// goes through `parse`.
    public static func parseStored(_ bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        func number(_ from: Int, _ count: Int) -> Int? {
            var v = 0
            for i in from..<(from + count) {
                let b = bytes[i]
                guard b >= 48, b <= 57 else { return nil }
                v = v * 10 + Int(b - 48)
            }
            return v
        }
        guard bytes.count == 20, bytes[19] == UInt8(ascii: "Z"), bytes[4] == 45, bytes[7] == 45, bytes[10] == 84,
              let y = number(0, 4), let mo = number(5, 2), let d = number(8, 2), let h = number(11, 2), let mi = number(14, 2),
              let s = number(17, 2), (1...12).contains(mo), (1...daysIn(month: mo, year: y)).contains(d), h < 24, mi < 60, s < 61 else {
            return parse(String(decoding: bytes, as: UTF8.self), zone: TimeZone(identifier: "UTC")!)
        }
        return Date(timeIntervalSince1970: Double(daysFromCivil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s))
    }

    /// `2026-11-27 10:15` in Europe/Berlin: the short form of tables.
    public static func short(_ date: Date, zone: TimeZone = berlin) -> String {
        String(local(date, zone: zone).prefix(16)).replacingOccurrences(of: "T", with: " ")
    }

    /// Writes the digits into one small buffer: this runs once per row on imports and exports.
    static func format(_ date: Date, offsetSeconds: Int) -> String {
        // Years 0000-9999 only: beyond them the form has no digits, and far beyond the arithmetic overflows.
        let seconds = min(max(date.timeIntervalSince1970.rounded(.down), -62_167_219_200), 253_402_300_799)
        return String(unsafeUninitializedCapacity: 25) { write(seconds: Int(seconds), offsetSeconds: offsetSeconds, into: $0) }
    }

    /// Appends the local form (`2026-11-27T10:15:00+01:00`, Europe/Berlin) of a time in the stored form
    /// `YYYY-MM-DDTHH:MM:SSZ`, read from its bytes; false, with nothing appended, for bytes in any other form.
    /// Exports write one per row: no Date and no String is made.
    static func appendLocal(stored bytes: UnsafeBufferPointer<UInt8>, to out: inout some ByteAppending) -> Bool {
        guard bytes.count == 20, bytes[19] == UInt8(ascii: "Z"), bytes[4] == 45, bytes[7] == 45, bytes[10] == 84,
              bytes[13] == 58, bytes[16] == 58 else { return false }
        func number(_ from: Int, _ count: Int) -> Int {
            var v = 0
            for i in from..<(from + count) {
                let b = bytes[i]
                guard b >= 48, b <= 57 else { return -1 }
                v = v * 10 + Int(b - 48)
            }
            return v
        }
        let y = number(0, 4), mo = number(5, 2), d = number(8, 2), h = number(11, 2), mi = number(14, 2), sec = number(17, 2)
        guard y >= 0, (1...12).contains(mo), d >= 1, d <= daysIn(month: mo, year: y), (0..<24).contains(h),
              (0..<60).contains(mi), (0..<61).contains(sec) else { return false }
        let seconds = daysFromCivil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec
        let offset = BerlinOffsets.offset(at: seconds)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 25) { buffer in
            let length: Int
            let hours = offset / 3600
            if offset > 0, offset % 3600 == 0, h + hours < 24, sec < 60 {
                // The same day a whole number of hours ahead, as Berlin's +01:00 and +02:00 mostly are: the date, the
                // minutes and the seconds are the stored bytes (the calendar below cost 1,600 instructions a row).
                let local = h + hours
                for i in 0..<11 { buffer[i] = bytes[i] }
                buffer[11] = UInt8(48 + local / 10); buffer[12] = UInt8(48 + local % 10)
                for i in 13..<19 { buffer[i] = bytes[i] }
                buffer[19] = 43; buffer[20] = UInt8(48 + hours / 10); buffer[21] = UInt8(48 + hours % 10)
                buffer[22] = 58; buffer[23] = 48; buffer[24] = 48
                length = 25
            } else {
                length = write(seconds: seconds, offsetSeconds: offset, into: buffer)
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<length]))
            return true
        }
    }

    /// `YYYY-MM-DDTHH:MM:SS` and `Z` or `±HH:MM` into `buffer` (25 bytes at least); returns the length written.
    private static func write(seconds: Int, offsetSeconds: Int, into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let total = seconds + offsetSeconds
        let days = total >= 0 ? total / 86_400 : (total - 86_399) / 86_400
        let secs = total - days * 86_400
        let (y, m, d) = civilFromDays(days)
        let length = offsetSeconds == 0 ? 20 : 25
        func put(_ value: Int, _ width: Int, at start: Int) {
            var v = value
            for i in stride(from: start + width - 1, through: start, by: -1) {
                buffer[i] = UInt8(48 + v % 10)
                v /= 10
            }
        }
        put(y, 4, at: 0); buffer[4] = 45; put(m, 2, at: 5); buffer[7] = 45; put(d, 2, at: 8)
        buffer[10] = 84; put(secs / 3600, 2, at: 11); buffer[13] = 58; put(secs / 60 % 60, 2, at: 14)
        buffer[16] = 58; put(secs % 60, 2, at: 17)
        if offsetSeconds == 0 {
            buffer[19] = 90
        } else {
            let a = abs(offsetSeconds)
            buffer[19] = offsetSeconds < 0 ? 45 : 43
            put(a / 3600, 2, at: 20); buffer[22] = 58; put(a / 60 % 60, 2, at: 23)
        }
        return length
    }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant, "chrono-compatible low-level date algorithms").
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp + (mp < 10 ? 3 : -9)
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

extension Timestamp {
    /// For an upper bound: a date alone (`2026-11-30`) means the end of that day, i.e. the next local midnight;
    /// anything else parses as `parse` does.
    public static func parseEnd(_ text: String, zone: TimeZone = berlin) -> Date? {
        let trimmed = text.trimmed
        guard trimmed.count == 10, parse(trimmed, zone: zone) != nil else { return parse(trimmed, zone: zone) }
        // "2026-11-30" or GDAL's "2026/11/30" (parse accepts both; a fuzzed "2026/03/31" once trapped here).
        let parts = trimmed.split(whereSeparator: { $0 == "-" || $0 == "/" }).compactMap { Int($0) }
        guard parts.count == 3 else { return parse(trimmed, zone: zone) }
        let (y, m, d) = civilFromDays(daysFromCivil(parts[0], parts[1], parts[2]) + 1)
        return parse("\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))", zone: zone)
    }
}

extension Timestamp {
    /// True when an ISO 8601 text ends in `Z` or a `±hh:mm` offset.
    public static func hasOffset(_ text: String) -> Bool {
        let t = text.trimmed
        if t.hasSuffix("Z") || t.hasSuffix("z") { return true }
        guard let tIndex = t.firstIndex(where: { $0 == "T" || $0 == " " }) else { return false }
        return t[tIndex...].contains { $0 == "+" || $0 == "-" }
    }
}
