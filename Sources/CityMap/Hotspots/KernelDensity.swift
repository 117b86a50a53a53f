import Foundation

/// Kernel density estimation with the semantics of QGIS's "Heatmap (kernel density estimation)" algorithm
/// (`QgsKernelDensityEstimation`, output "scaled"), so that its numbers compare with a QGIS heatmap of the same points:
/// pixels aligned to EPSG:25832 over the points' extent grown by the radius; each point adds the kernel value of
/// its distance to every pixel centre within the radius. Kernels (Wand & Jones 1995, p. 175, as QGIS writes them),
/// with u = d / r:
/// - quartic (default): 116 / (5π r²) · 15/16 · (1 − u²)². QGIS's constant is 7.25 times the one that makes the
///   kernel integrate to 1 (16 / (5π r²)); citymap keeps QGIS's value so maps agree, and says so in the output.
/// - triangular: 3 / (π r²) · (1 − u); uniform: 1 / (π r²); triweight: 4 / (π r²) · (1 − u²)³;
///   epanechnikov: 2 / (π r²) · (1 − u²).
/// Values are per m² from the kernels; the result is given per km² (× 10⁶).
///
/// Complexity: O(n · (r / pixel)²). Returns densities row-major from the south-west pixel.
public enum KernelDensity {
    public enum Kernel: String, CaseIterable, Sendable {
        case quartic, triangular, uniform, triweight, epanechnikov

        /// A kernel by name, in any case.
        public init(parsing text: String) throws(HotspotError) {
            guard let kernel = Kernel(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
                throw .unknownKernel(text, known: Kernel.allCases.map(\.rawValue))
            }
            self = kernel
        }

        /// The kernel value per m² at distance `d` from a point, for bandwidth `r` (QGIS "scaled" output).
        public func value(distance d: Double, radius r: Double) -> Double {
            guard d <= r else { return 0 }
            let u = d / r
            switch self {
            case .quartic: return 116 / (5 * .pi * r * r) * (15.0 / 16.0) * pow(1 - u * u, 2)
            case .triangular: return 3 / (.pi * r * r) * (1 - u)
            case .uniform: return 2 / (.pi * r) * (0.5 / r)
            case .triweight: return 128 / (35 * .pi * r * r) * (35.0 / 32.0) * pow(1 - u * u, 3)
            case .epanechnikov: return 8 / (3 * .pi * r * r) * 0.75 * (1 - u * u)
            }
        }
    }

    public struct Grid: Sendable {
        /// South-west corner of the south-west pixel, EPSG:25832.
        public let originX: Double
        public let originY: Double
        public let pixel: Double
        public let columns: Int
        public let rows: Int
        /// Density per km², row-major from the south-west.
        public let density: [Double]

        public func center(column: Int, row: Int) -> ProjectedPoint {
            ProjectedPoint(x: originX + (Double(column) + 0.5) * pixel, y: originY + (Double(row) + 0.5) * pixel)
        }
    }

    static func estimate(_ points: [ProjectedPoint], radius: Double, pixel: Double, kernel: Kernel) -> Grid {
        let minX = points.map(\.x).min()! - radius, maxX = points.map(\.x).max()! + radius
        let minY = points.map(\.y).min()! - radius, maxY = points.map(\.y).max()! + radius
        let x0 = (minX / pixel).rounded(.down) * pixel, y0 = (minY / pixel).rounded(.down) * pixel
        let columns = Int(((maxX - x0) / pixel).rounded(.up)), rows = Int(((maxY - y0) / pixel).rounded(.up))
        var density = [Double](repeating: 0, count: columns * rows)
        let reach = Int((radius / pixel).rounded(.up))
        for p in points {
            let pc = Int(((p.x - x0) / pixel).rounded(.down)), pr = Int(((p.y - y0) / pixel).rounded(.down))
            for r in max(0, pr - reach)...min(rows - 1, pr + reach) {
                let cy = y0 + (Double(r) + 0.5) * pixel
                for c in max(0, pc - reach)...min(columns - 1, pc + reach) {
                    let cx = x0 + (Double(c) + 0.5) * pixel
                    let d = ((cx - p.x) * (cx - p.x) + (cy - p.y) * (cy - p.y)).squareRoot()
                    if d <= radius { density[r * columns + c] += kernel.value(distance: d, radius: radius) * 1_000_000 }
                }
            }
        }
        return Grid(originX: x0, originY: y0, pixel: pixel, columns: columns, rows: rows, density: density)
    }
}
