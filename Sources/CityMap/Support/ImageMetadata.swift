/// Photos without their metadata: EXIF (with GPS position and camera serial), XMP, IPTC, comments and text chunks
/// are removed from JPEG, PNG and WebP files, everything needed to show the picture is kept byte for byte. The
/// browser already re-encodes photos; this is the server's own guarantee, whatever a client sends.
///
/// The formats are told by their signatures, never by a name or a media type. Runs in O(n) over the bytes.
public enum ImageMetadata {
    public enum Format: String, Sendable {
        case jpeg, png, webp

        public var mediaType: String { "image/\(rawValue)" }
        public var fileExtension: String { self == .jpeg ? "jpg" : rawValue }
    }

    public struct Unreadable: CityMapError {
        public let reason: String
        public var kind: ErrorKind { .invalid }
        public var parameter: String? { "photo" }
        public var value: String? { nil }
        public func message(naming: (String) -> String) -> String { "\(naming("photo")) \(reason)" }
    }

    /// The image's format and its bytes without metadata.
    public static func stripped(_ bytes: [UInt8]) throws(Unreadable) -> (format: Format, bytes: [UInt8]) {
        if bytes.count >= 3, bytes[0] == 0xFF, bytes[1] == 0xD8, bytes[2] == 0xFF { return (.jpeg, try jpeg(bytes)) }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return (.png, try png(bytes)) }
        if bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) { return (.webp, try webp(bytes)) }
        throw Unreadable(reason: "is not a JPEG, PNG or WebP image")
    }

    /// JPEG: drops APP1–APP15 (EXIF, XMP, IPTC/Photoshop, MPF) except an ICC profile (APP2) and Adobe's colour
    /// information (APP14), and comments (COM). From the start of scan on, the data is copied as it is.
    static func jpeg(_ b: [UInt8]) throws(Unreadable) -> [UInt8] {
        var out: [UInt8] = [0xFF, 0xD8]
        var i = 2
        while i < b.count {
            guard b[i] == 0xFF else { throw Unreadable(reason: "is a damaged JPEG (no marker at byte \(i))") }
            var marker = b[i + 1 < b.count ? i + 1 : i]
            var at = i + 1
            while marker == 0xFF && at + 1 < b.count { at += 1; marker = b[at] } // fill bytes
            if marker == 0xD9 { out += [0xFF, 0xD9]; return out }
            if (0xD0...0xD7).contains(marker) || marker == 0x01 { out += [0xFF, marker]; i = at + 1; continue }
            guard at + 2 < b.count else { throw Unreadable(reason: "is a truncated JPEG") }
            let length = Int(b[at + 1]) << 8 | Int(b[at + 2])
            let end = at + 1 + length
            guard length >= 2, end <= b.count else { throw Unreadable(reason: "is a damaged JPEG (a segment runs past the end)") }
            let payload = b[(at + 3)..<end]
            let keep: Bool
            switch marker {
            case 0xE2: keep = payload.starts(with: Array("ICC_PROFILE\0".utf8))
            case 0xEE: keep = payload.starts(with: Array("Adobe".utf8))
            case 0xE1...0xEF, 0xFE: keep = false
            default: keep = true
            }
            if keep { out += [0xFF, marker]; out += b[(at + 1)..<end] }
            if marker == 0xDA { out += b[end...]; return out } // start of scan: entropy-coded data to the end
            i = end
        }
        throw Unreadable(reason: "is a truncated JPEG (no image data)")
    }

    /// PNG: keeps the critical chunks and those that only describe how to show the pixels; text (tEXt, zTXt,
    /// iTXt), EXIF (eXIf), time (tIME) and every other chunk are dropped.
    static func png(_ b: [UInt8]) throws(Unreadable) -> [UInt8] {
        let kept: Set<String> = ["IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM", "sRGB", "iCCP", "sBIT", "bKGD", "pHYs", "acTL", "fcTL", "fdAT"]
        var out = Array(b[0..<8])
        var i = 8
        while i + 12 <= b.count {
            let length = Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3])
            let type = String(decoding: b[(i + 4)..<(i + 8)], as: UTF8.self)
            let end = i + 12 + length
            guard length >= 0, end <= b.count else { throw Unreadable(reason: "is a damaged PNG (a chunk runs past the end)") }
            if kept.contains(type) { out += b[i..<end] }
            if type == "IEND" { return out }
            i = end
        }
        throw Unreadable(reason: "is a truncated PNG (no IEND chunk)")
    }

    /// WebP: drops the EXIF and XMP chunks, clears their flags in VP8X, and writes the RIFF size anew.
    static func webp(_ b: [UInt8]) throws(Unreadable) -> [UInt8] {
        var out = Array(b[0..<12])
        var i = 12
        while i + 8 <= b.count {
            let fourCC = String(decoding: b[i..<(i + 4)], as: UTF8.self)
            let size = Int(b[i + 4]) | Int(b[i + 5]) << 8 | Int(b[i + 6]) << 16 | Int(b[i + 7]) << 24
            let end = i + 8 + size + (size & 1)
            guard end <= b.count || (end == b.count + 1 && size & 1 == 1) else {
                throw Unreadable(reason: "is a damaged WebP (a chunk runs past the end)")
            }
            if fourCC != "EXIF" && fourCC != "XMP " {
                var chunk = Array(b[i..<min(end, b.count)])
                if fourCC == "VP8X" && chunk.count > 8 { chunk[8] &= ~UInt8(0x0C) } // the EXIF (8) and XMP (4) flags
                out += chunk
            }
            i = end
        }
        let size = UInt32(out.count - 8)
        out[4] = UInt8(size & 0xFF); out[5] = UInt8(size >> 8 & 0xFF); out[6] = UInt8(size >> 16 & 0xFF); out[7] = UInt8(size >> 24)
        guard out.count > 12 else { throw Unreadable(reason: "is a WebP without an image") }
        return out
    }
}
