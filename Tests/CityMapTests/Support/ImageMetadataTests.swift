import Foundation
import Testing
@testable import CityMap

@Suite("Photos without their metadata")
struct ImageMetadataTests {
    static func segment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
        [0xFF, marker, UInt8((payload.count + 2) >> 8), UInt8((payload.count + 2) & 0xFF)] + payload
    }

    /// A JPEG's structure with an EXIF block (GPS, camera serial), an XMP block, a comment and an ICC profile: the
    /// first three go, everything else stays byte for byte, and the entropy-coded data after SOS is copied whole.
    @Test func jpegLosesExifXmpAndCommentsAndKeepsTheRest() throws {
        let jfif = Self.segment(0xE0, Array("JFIF\0".utf8) + [1, 1, 0, 0, 1, 0, 1, 0, 0])
        let exif = Self.segment(0xE1, Array("Exif\0\0GPS 51.2275 6.7711 SERIAL-4711".utf8))
        let xmp = Self.segment(0xE1, Array("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>Erika</x:xmpmeta>".utf8))
        let icc = Self.segment(0xE2, Array("ICC_PROFILE\0\u{1}\u{1}profile".utf8))
        let comment = Self.segment(0xFE, Array("taken by Erika".utf8))
        let quantisation = Self.segment(0xDB, [0] + Array(repeating: 1, count: 64))
        let frame = Self.segment(0xC0, [8, 0, 16, 0, 16, 1, 1, 0x11, 0])
        let scan = Self.segment(0xDA, [1, 1, 0, 0, 63, 0]) + [0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD9]
        let input: [UInt8] = [0xFF, 0xD8] + jfif + exif + xmp + icc + comment + quantisation + frame + scan
        let (format, output) = try ImageMetadata.stripped(input)
        #expect(format == .jpeg)
        #expect(output == [0xFF, 0xD8] + jfif + icc + quantisation + frame + scan)
        let text = String(decoding: output, as: UTF8.self)
        #expect(!text.contains("SERIAL") && !text.contains("Erika") && !text.contains("Exif"))
    }

    @Test func pngLosesTextAndExifChunks() throws {
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let n = UInt32(data.count)
            return [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + Array(type.utf8) + data + [0, 0, 0, 0]
        }
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        let header = chunk("IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]), data = chunk("IDAT", [1, 2, 3]), end = chunk("IEND", [])
        let input = signature + header + chunk("tEXt", Array("Author\0Erika".utf8)) + chunk("eXIf", Array("GPS".utf8))
            + chunk("pHYs", [0, 0, 11, 19, 0, 0, 11, 19, 1]) + data + chunk("tIME", [7, 234, 11, 27, 10, 0, 0]) + end
        let (format, output) = try ImageMetadata.stripped(input)
        #expect(format == .png)
        #expect(output == signature + header + chunk("pHYs", [0, 0, 11, 19, 0, 0, 11, 19, 1]) + data + end)
    }

    @Test func webpLosesExifAndXmpAndItsFlags() throws {
        func chunk(_ fourCC: String, _ data: [UInt8]) -> [UInt8] {
            let n = UInt32(data.count)
            return Array(fourCC.utf8) + [UInt8(n & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 24)] + data + (data.count % 2 == 1 ? [0] : [])
        }
        let vp8x = chunk("VP8X", [0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        let body = vp8x + chunk("VP8 ", [1, 2, 3, 4]) + chunk("EXIF", Array("GPS 51".utf8)) + chunk("XMP ", Array("<x>Erika</x>".utf8))
        let size = UInt32(4 + body.count)
        let input = Array("RIFF".utf8) + [UInt8(size & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size >> 16), UInt8(size >> 24)] + Array("WEBP".utf8) + body
        let (format, output) = try ImageMetadata.stripped(input)
        #expect(format == .webp)
        #expect(!String(decoding: output, as: UTF8.self).contains("Erika") && !String(decoding: output, as: UTF8.self).contains("GPS"))
        #expect(output[20] & 0x0C == 0) // the VP8X flags for EXIF and XMP are cleared
        let riff = Int(output[4]) | Int(output[5]) << 8 | Int(output[6]) << 16 | Int(output[7]) << 24
        #expect(riff == output.count - 8)
    }

    @Test(arguments: [Array("GIF89a....".utf8), Array("%PDF-1.7".utf8), [UInt8](), [0xFF, 0xD8, 0xFF, 0xE1, 0x00]])
    func otherBytesAreRefused(bytes: [UInt8]) {
        #expect(throws: ImageMetadata.Unreadable.self) { try ImageMetadata.stripped(bytes) }
    }
}
