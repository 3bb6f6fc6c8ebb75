import Foundation
import Testing
@testable import SynthScanCore

/// A role on a column that the schema policy leaves out is reported, never silently lost.
@Suite struct SchemaRoleTests {
    @Test func roleOnADroppedColumnIsReported() throws {
        let folder = try TestFiles.Folder("roles")
        defer { folder.remove() }
        var configuration = ScanConfiguration()
        configuration.inputs.train = try folder.write("train.csv", "a,b,race\n1,x,A\n2,y,B\n")
        configuration.inputs.synthetic = try folder.write("synthetic.csv", "a,b\n1,x\n3,z\n")
        configuration.schemaPolicy.missingColumn = .warning
        configuration.roles.protected = ["race"]
        let data = try DatasetLoader.load(configuration)
        #expect(data.schema.index(of: "race") == nil)
        let notice = try #require(data.notifications.first { $0.code == "role-column-dropped" })
        #expect(notice.message.contains("roles.protected names column 'race'"))
        #expect(notice.level == .warning)
    }
}
