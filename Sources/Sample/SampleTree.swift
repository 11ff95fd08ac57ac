import Foundation
import VeilDICOM

/// Writes a synthetic TCIA-style tree, `SAMPLE-CT/<PatientID>/<StudyDate>-<Study>/<N>-<Series>/1-<NNN>.dcm`,
/// of CT Image Storage instances with fake but realistic identifying attributes, so that
/// de-identification has real work to do. The same options and seed give identical files.
package struct SampleTree: Sendable {
    package var patients = 2
    package var studiesPerPatient = 1
    package var seriesPerStudy = 2
    package var slicesPerSeries = 8
    package var seed: UInt64 = 1

    package init() {}

    /// Writes the tree under `directory` and returns the paths written, in order.
    @discardableResult
    package func write(to directory: String, progress: (String) -> Void = { _ in }) throws -> [String] {
        var written: [String] = []
        for patientIndex in 0..<patients {
            var rng = SeededRandom(seed: seed, stream: UInt64(patientIndex))
            let patient = FakePatient(index: patientIndex, using: &rng)
            let anatomy = SyntheticCT.Anatomy.random(using: &rng)
            for studyIndex in 0..<studiesPerPatient {
                let study = FakeStudy(patient: patient, index: studyIndex, seed: seed, using: &rng)
                for seriesIndex in 0..<seriesPerStudy {
                    let series = FakeSeries(study: study, index: seriesIndex, seed: seed)
                    let folder = [directory, "SAMPLE-CT", patient.id,
                                  "\(study.date)-\(study.folderName)", "\(series.number)-\(series.folderName)"]
                        .joined(separator: "/")
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                    for slice in 0..<slicesPerSeries {
                        var sliceRNG = SeededRandom(seed: seed, stream: UInt64(patientIndex), UInt64(studyIndex),
                                                    UInt64(seriesIndex), UInt64(slice))
                        let level = slicesPerSeries == 1 ? 0.5 : Double(slice) / Double(slicesPerSeries - 1)
                        let pixels = SyntheticCT(level: level, anatomy: anatomy).render(using: &sliceRNG)
                        let dataSet = series.instance(slice: slice, of: slicesPerSeries, seed: seed)
                        let path = folder + "/1-" + String(format: "%03d", slice + 1) + ".dcm"
                        try DicomWriter.write(dataSet: dataSet, pixelData: littleEndianBytes(pixels), to: path)
                        written.append(path)
                        progress(path)
                    }
                }
            }
        }
        return written
    }

    private func littleEndianBytes(_ values: [Int16]) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(values.count * 2)
        for value in values {
            let word = UInt16(bitPattern: value)
            bytes.append(UInt8(word & 0xFF))
            bytes.append(UInt8(word >> 8))
        }
        return bytes
    }
}

// MARK: - Fake people and studies

private let givenNames = ["JANE", "JOHN", "MARIA", "AHMED", "YUKI", "OLGA", "PIERRE", "AMARA", "LIAM", "SOFIA"]
private let familyNames = ["DOE", "SMITH", "GARCIA", "KHAN", "TANAKA", "IVANOVA", "MARTIN", "OKAFOR", "MURPHY", "ROSSI"]
private let hospitals = [("Springfield General Hospital", "12 Elm Street, Springfield"),
                         ("St. Mary's Medical Centre", "1 Abbey Road, Riverton"),
                         ("Lakeside University Clinic", "400 Shore Drive, Lakeside")]
private let physicians = ["HOUSE^GREGORY^^DR", "GREY^MEREDITH^^DR", "ROSS^DOUG^^DR", "QUINN^MICHAELA^^DR"]

struct FakePatient {
    let id: String
    let name: String
    let birthDate: String
    let sex: String
    let telephone: String
    let address: String

    init(index: Int, using rng: inout SeededRandom) {
        id = "PAT" + String(format: "%05d", 10_000 + Int(rng.next() % 80_000))
        name = rng.pick(familyNames) + "^" + rng.pick(givenNames)
        birthDate = String(format: "19%02d%02d%02d", 30 + Int(rng.next() % 65), 1 + Int(rng.next() % 12), 1 + Int(rng.next() % 28))
        sex = rng.next() % 2 == 0 ? "F" : "M"
        telephone = "5628" + String(format: "%04d", Int(rng.next() % 10_000))
        address = "\(1 + rng.next() % 200) Main Street, Springfield"
    }
}

struct FakeStudy {
    let patient: FakePatient
    let uid: String
    let date: String
    let time: String
    let accession: String
    let hospital: (name: String, address: String)
    let referringPhysician: String
    let folderName = "CT CHEST WITH CONTRAST"

    init(patient: FakePatient, index: Int, seed: UInt64, using rng: inout SeededRandom) {
        self.patient = patient
        uid = sampleUID(seed, "study", patient.id, index)
        date = String(format: "20%02d%02d%02d", 18 + Int(rng.next() % 7), 1 + Int(rng.next() % 12), 1 + Int(rng.next() % 28))
        time = String(format: "%02d%02d%02d", 7 + Int(rng.next() % 11), Int(rng.next() % 60), Int(rng.next() % 60))
        accession = "ACC" + String(format: "%07d", Int(rng.next() % 10_000_000))
        hospital = rng.pick(hospitals)
        referringPhysician = rng.pick(physicians)
    }
}

struct FakeSeries {
    let study: FakeStudy
    let number: Int
    let uid: String
    let frameOfReferenceUID: String
    let description: String
    let kernel: String

    var folderName: String { description }

    init(study: FakeStudy, index: Int, seed: UInt64) {
        self.study = study
        number = index + 1
        uid = sampleUID(seed, "series", study.uid, index)
        frameOfReferenceUID = sampleUID(seed, "for", study.uid, 0)
        description = index % 2 == 0 ? "AXIAL 5MM SOFT TISSUE" : "AXIAL 5MM LUNG"
        kernel = index % 2 == 0 ? "STANDARD" : "LUNG"
    }

    /// One slice's attributes, module by module (as PS3.3 groups them for the CT Image IOD).
    func instance(slice: Int, of count: Int, seed: UInt64) -> DataSet {
        var ds = DataSet()
        addSOPCommonAndStudy(to: &ds, slice: slice, seed: seed)
        addPatient(to: &ds)
        addSeriesAndEquipment(to: &ds)
        addImage(to: &ds, slice: slice)
        addRequestAndPrivateBlock(to: &ds)
        return ds
    }

    private func addSOPCommonAndStudy(to ds: inout DataSet, slice: Int, seed: UInt64) {
        ds.put(0x0008, 0x0005, "CS", "ISO_IR 100")
        ds.put(0x0008, 0x0008, "CS", "ORIGINAL\\PRIMARY\\AXIAL")
        ds.put(0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.2")
        ds.put(0x0008, 0x0018, "UI", sampleUID(seed, "instance", uid, slice))
        for element: UInt16 in [0x0020, 0x0021, 0x0022] { ds.put(0x0008, element, "DA", study.date) }
        for element: UInt16 in [0x0030, 0x0031, 0x0032] { ds.put(0x0008, element, "TM", study.time) }
        ds.put(0x0008, 0x0050, "SH", study.accession)
        ds.put(0x0008, 0x0080, "LO", study.hospital.name)
        ds.put(0x0008, 0x0081, "ST", study.hospital.address)
        ds.put(0x0008, 0x0090, "PN", study.referringPhysician)
        ds.put(0x0008, 0x1030, "LO", study.folderName)
        ds.put(0x0008, 0x1040, "LO", "Radiology")
        ds.put(0x0008, 0x1050, "PN", "WILSON^JAMES^^DR")
        ds.put(0x0008, 0x1070, "PN", "TECH^ALEX")
        ds.put(0x0020, 0x000D, "UI", study.uid)
        ds.put(0x0020, 0x0010, "SH", "1")
    }

    private func addPatient(to ds: inout DataSet) {
        let patient = study.patient
        ds.put(0x0010, 0x0010, "PN", patient.name)
        ds.put(0x0010, 0x0020, "LO", patient.id)
        ds.put(0x0010, 0x0030, "DA", patient.birthDate)
        ds.put(0x0010, 0x0040, "CS", patient.sex)
        ds.put(0x0010, 0x1040, "LO", patient.address)
        ds.put(0x0010, 0x2154, "SH", patient.telephone)
    }

    private func addSeriesAndEquipment(to ds: inout DataSet) {
        ds.put(0x0008, 0x0060, "CS", "CT")
        ds.put(0x0008, 0x0070, "LO", "ACME Medical Systems")
        ds.put(0x0008, 0x1010, "SH", "CT-SCANNER-3")
        ds.put(0x0008, 0x103E, "LO", description)
        ds.put(0x0008, 0x1090, "LO", "Veilscan 64")
        ds.put(0x0018, 0x0015, "CS", "CHEST")
        ds.put(0x0018, 0x1000, "LO", "SN-40417")
        ds.put(0x0018, 0x1020, "LO", "VS 2.1.7")
        ds.put(0x0018, 0x5100, "CS", "HFS")
        ds.put(0x0020, 0x000E, "UI", uid)
        ds.put(0x0020, 0x0011, "IS", String(number))
        ds.put(0x0020, 0x0052, "UI", frameOfReferenceUID)
    }

    private func addImage(to ds: inout DataSet, slice: Int) {
        let position = -Double(slice) * 5.0
        ds.put(0x0018, 0x0050, "DS", "5")
        ds.put(0x0018, 0x0060, "DS", "120")
        ds.put(0x0018, 0x1210, "SH", kernel)
        ds.put(0x0020, 0x0013, "IS", String(slice + 1))
        ds.put(0x0020, 0x0032, "DS", "-250\\-250\\\(decimal(position))")
        ds.put(0x0020, 0x0037, "DS", "1\\0\\0\\0\\1\\0")
        ds.put(0x0020, 0x1041, "DS", decimal(position))
        ds.put(0x0028, 0x0002, "US", 1)
        ds.put(0x0028, 0x0004, "CS", "MONOCHROME2")
        ds.put(0x0028, 0x0010, "US", SyntheticCT.size)
        ds.put(0x0028, 0x0011, "US", SyntheticCT.size)
        ds.put(0x0028, 0x0030, "DS", "0.9765625\\0.9765625")
        ds.put(0x0028, 0x0100, "US", 16)
        ds.put(0x0028, 0x0101, "US", 12)
        ds.put(0x0028, 0x0102, "US", 11)
        ds.put(0x0028, 0x0103, "US", 1)
        ds.put(0x0028, 0x0120, "SS", Int(SyntheticCT.paddingValue))
        ds.put(0x0028, 0x1050, "DS", kernel == "LUNG" ? "-600" : "40")
        ds.put(0x0028, 0x1051, "DS", kernel == "LUNG" ? "1500" : "400")
        ds.put(0x0028, 0x1052, "DS", String(SyntheticCT.rescaleIntercept))
        ds.put(0x0028, 0x1053, "DS", "1")
        ds.put(0x0028, 0x1054, "LO", "HU")
    }

    /// A nested sequence with identifiers, so de-identification must recurse, and a private block
    /// carrying identifying text, as scanners write.
    private func addRequestAndPrivateBlock(to ds: inout DataSet) {
        var request = DataSet()
        request.put(0x0040, 0x1001, "SH", "RP" + study.accession.dropFirst(3))
        request.put(0x0040, 0x0009, "SH", "SPS" + study.accession.dropFirst(3))
        request.put(0x0032, 0x1032, "PN", study.referringPhysician)
        ds.set(DataElement(tag: Tag(0x0040, 0x0275), vr: VR(rawValue: "SQ"), value: .sequence([request])))
        ds.put(0x0009, 0x0010, "LO", "ACME SAMPLE 1.0")
        ds.put(0x0009, 0x1001, "LO", "scanned for \(study.patient.name) at \(study.hospital.name)")
    }

    private func decimal(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

/// A deterministic UID under the `2.25.` root (a UUID-derived integer), from the seed and a path.
func sampleUID(_ seed: UInt64, _ parts: Any...) -> String {
    var rng = SeededRandom(seed: seed, stream: fnv1a(parts.map { "\($0)" }.joined(separator: "/")))
    let high = rng.next() >> 1, low = rng.next()        // < 2^127, at most 39 decimal digits
    return "2.25." + String(UInt128(high) << 64 | UInt128(low))
}

private func fnv1a(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
    return hash
}

private extension DataSet {
    mutating func put(_ group: UInt16, _ element: UInt16, _ vr: String, _ value: String) {
        set(DataElement(tag: Tag(group, element), vr: VR(rawValue: vr), string: value))
    }

    /// Binary US / SS.
    mutating func put(_ group: UInt16, _ element: UInt16, _ vr: String, _ value: Int) {
        set(DataElement(tag: Tag(group, element), vr: VR(rawValue: vr), uint16s: [UInt16(truncatingIfNeeded: value)]))
    }
}
