/// Names of coordinate reference systems as files and people write them, reduced to PROJ's "EPSG:NNNN".
public enum CRSName {
    /// "urn:ogc:def:crs:EPSG::25832", "EPSG:25832", "epsg:25832", "25832" → "EPSG:25832"; the OGC's CRS84
    /// (longitude, latitude on WGS84) → "EPSG:4326". nil when it names no EPSG code.
    public static func epsg(_ name: String) -> String? {
        let text = name.trimmed
        if text.hasSuffix("CRS84") || text.hasSuffix("crs84") { return "EPSG:4326" }
        let digits = text.reversed().prefix { $0.isNumber }
        guard !digits.isEmpty, digits.count <= 6 else { return nil }
        let rest = text.dropLast(digits.count).lowercased()
        guard rest.isEmpty || rest.hasSuffix("epsg:") || rest.hasSuffix("epsg::") || rest.hasSuffix("epsg:0:") else { return nil }
        return "EPSG:" + String(digits.reversed())
    }
}
