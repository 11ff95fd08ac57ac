import Foundation
import Testing
@testable import VeilPipeline
import VeilCrypto
import VeilDICOM
import VeilSample

/// Swift Testing has a `Tag` of its own; in these tests it is always the DICOM one.
typealias Tag = VeilDICOM.Tag

/// One key pair for the whole suite (RSA key generation is the slow part).
let testKeys: (key: PrivateKey, certificate: Certificate) = {
    let key = try! PrivateKey.generateRSA()
    return (key, try! Certificate.selfSigned(key: key, commonName: "dcmveil test recipient"))
}()

let otherKey: PrivateKey = try! PrivateKey.generateRSA()

func makeProtector(_ configuration: ProtectionConfiguration = ProtectionConfiguration()) -> InstanceProtector {
    InstanceProtector(recipient: testKeys.certificate, configuration: configuration,
                      siteSecret: Array("test site secret".utf8))
}

func write(_ bytes: [UInt8], to path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

/// A few synthetic CT slices with fake identifying attributes, written once per test run.
let sampleTreeFiles: [String] = {
    let directory = NSTemporaryDirectory() + "dcmveil-pipeline-sample-" + UUID().uuidString
    var tree = SampleTree()
    tree.patients = 1
    tree.seriesPerStudy = 1
    tree.slicesPerSeries = 2
    return try! tree.write(to: directory)
}()
