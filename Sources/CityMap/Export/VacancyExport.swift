import Foundation

/// The Leerstand register for a map: a point per unit, coloured by state (simplestyle `marker-color`, uMap's
/// `_umap_options`), titled by its address. Owners and notes are never part of it: the file may be published.
enum VacancyExport {
    static func items(_ units: [VacancyUnit]) -> [ShapeExport.Item] {
        units.map { u in
            var description = "\(u.state.rawValue) since \(Timestamp.short(u.stateSince)); \(u.floor == .ground ? "ground floor" : "upper floor")"
            if let area = u.area { description += ", \(area)" }
            if let use = u.lastUse { description += "; last use: \(use)" }
            return ShapeExport.Item(id: u.id, geometry: .point(u.position), properties: [
                ("title", .text(u.address)), ("description", .text(description)), ("address", .text(u.address)),
                ("street", .text(u.street)), ("floor", .text(u.floor.rawValue)), ("area_m2", u.area.map { .double($0.value, digits: 1) } ?? .text(nil)),
                ("last_use", .text(u.lastUse)), ("state", .text(u.state.rawValue)), ("vacant", .text(u.state.isVacant ? "yes" : "no")),
                ("state_since", .text(Timestamp.local(u.stateSince))), ("district", .text(u.district?.name)), ("square", .text(u.square?.name)),
                ("marker-color", .text(u.state.color)), ("marker-symbol", .text("shop")),
            ])
        }
    }
}
