import CityMapFuzzing

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafeRawPointer, _ count: Int) -> CInt { FuzzReaders.run(.reports(.geojsonseq), data, count) }

@_cdecl("FuzzGeoJSONSeq_main")
func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt { fuzzMain(argc, argv, fuzz) }
