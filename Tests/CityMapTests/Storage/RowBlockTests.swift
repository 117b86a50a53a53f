import Foundation
import GRDB
import Testing
@testable import CityMap

@Suite("Rows copied out of SQLite for another thread")
struct RowBlockTests {
    /// Each kind of column keeps its value and its NULL; the block grows past its first guess of row sizes.
    @Test func valuesAndNullsSurviveTheCopy() throws {
        let t = try TestStore()
        try t.store.read { db in
            let statement = try db.makeStatement(sql: """
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
                SELECT i, CASE WHEN i % 3 = 0 THEN NULL ELSE i * 0.5 END, CASE WHEN i % 5 = 0 THEN NULL ELSE printf('%.*c', i % 700, 'x') END,
                       CASE WHEN i % 2 = 0 THEN x'0102ff' END, CASE WHEN i % 7 = 0 THEN NULL ELSE i END, 42
                FROM n
                """)
            let reader = RowReader(handle: statement.sqliteStatement)
            let block = RowBlock(kinds: [.integer, .real, .text, .blob, .integer, .text], firstIndex: 10, rows: 4)
            while try reader.step(connection: db.sqliteConnection) { block.append(reader.handle) }
            try #require(block.count == 3000)
            #expect(block.firstIndex == 10)
            for index in 0..<3000 {
                let i = index + 1, row = block.row(index)
                #expect(row.int64(0) == Int64(i))
                #expect(row.isNull(1) == (i % 3 == 0))
                if i % 3 != 0 { #expect(row.double(1) == Double(i) * 0.5) }
                let text = row.text(2).map { String(decoding: $0, as: UTF8.self) }
                #expect(text == (i % 5 == 0 ? nil : String(repeating: "x", count: i % 700)), "row \(i)")
                #expect(row.text(3).map(Array.init) == (i % 2 == 0 ? [1, 2, 255] : nil))
                #expect(row.isNull(4) == (i % 7 == 0) && (i % 7 == 0 || row.int64(4) == Int64(i)))
                #expect(row.text(5).map { String(decoding: $0, as: UTF8.self) } == "42", "a number read as text")
            }
        }
    }
}
