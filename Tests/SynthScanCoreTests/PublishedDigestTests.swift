import Foundation
import Testing
@testable import SynthScanCore

/// Digests printed in reports are salted by the real data: stable for the same data in any row
/// order, different for other data, and never the plain (guessable) digest.
@Suite struct PublishedDigestTests {
    func context(train: String, holdout: String? = nil) throws -> (ScanContext, TestFiles.Folder) {
        let folder = try TestFiles.Folder("published")
        var configuration = ScanConfiguration()
        configuration.inputs.train = try folder.write("train.csv", train)
        configuration.inputs.synthetic = try folder.write("synthetic.csv", "id,age\nS1,40\n")
        if let holdout { configuration.inputs.holdout = try folder.write("holdout.csv", holdout) }
        return (ScanContext(data: try DatasetLoader.load(configuration), configuration: configuration), folder)
    }

    @Test func saltedDigestsAreStableUnderRowOrderAndDependOnTheRealData() throws {
        let plain = RecordDigest(high: 0x0123_4567_89ab_cdef, low: 0xfedc_ba98_7654_3210)
        let (a, fa) = try context(train: "id,age\nR1,34\nR2,71\nR3,50\n")
        let (b, fb) = try context(train: "id,age\nR3,50\nR1,34\nR2,71\n")
        let (c, fc) = try context(train: "id,age\nR1,34\nR2,71\nR3,51\n")
        let (d, fd) = try context(train: "id,age\nR1,34\nR2,71\nR3,50\n", holdout: "id,age\nH1,20\n")
        defer { fa.remove(); fb.remove(); fc.remove(); fd.remove() }
        #expect(a.published(plain) == b.published(plain), "row order of the real data does not matter")
        #expect(a.published(plain) != c.published(plain), "other real data, other salt")
        #expect(a.published(plain) != d.published(plain), "the holdout table is part of the salt")
        #expect(a.published(plain) != plain)
        #expect(a.published(plain) == a.published(plain))
    }
}
