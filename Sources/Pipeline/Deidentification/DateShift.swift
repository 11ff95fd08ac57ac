import Foundation
import VeilDICOM

/// The Retain Longitudinal Temporal Information with Modified Dates option: every date of a patient
/// moves back by the same number of days, so intervals (between studies, series, birth and scan)
/// are kept while the calendar dates are not. The offset is keyed: HMAC-SHA-256 of the original
/// patient identity under the site secret, so reruns and every output of the same operator agree,
/// and nobody without the secret can undo it from the header. The shift is in whole days, so times
/// of day (TM, and the time part of DT) stay as they were and remain consistent with the dates.
struct DateShift: Sendable, Equatable {
    /// Days added to every date (negative: dates move into the past).
    let days: Int

    /// The offset for the patient of `dataSet`: 1…3650 days back.
    init(patientOf dataSet: DataSet, keyedHash: ([UInt8]) -> [UInt8]) {
        // Patient ID with its issuer identifies a patient; without an ID, name and birth date do.
        let id = dataSet.string(.patientID) ?? ""
        let identity = id.isEmpty
            ? ["name", dataSet.string(.patientName) ?? "", dataSet.string(Tag(0x0010, 0x0030)) ?? ""]
            : ["id", id, dataSet.string(Tag(0x0010, 0x0021)) ?? ""]
        let digest = keyedHash(Array(("dcmveil date shift\0" + identity.joined(separator: "\0")).utf8))
        let value = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        days = -Int(1 + value % 3650)
    }

    init(days: Int) { self.days = days }

    /// A DA or DT element with every value moved; nil when a value is not a full date
    /// (YYYYMMDD…) we can move exactly — the caller then removes the value as the profile says.
    func shifted(_ element: DataElement) -> DataElement? {
        guard let text = element.string, !text.isEmpty else { return element }
        var values: [String] = []
        for value in text.split(separator: "\\", omittingEmptySubsequences: false) {
            let trimmed = value.trimmingTrailing { $0 == " " }
            if trimmed.isEmpty { values.append(""); continue }
            guard let moved = shift(trimmed) else { return nil }
            values.append(moved)
        }
        return DataElement(tag: element.tag, vr: element.vr, string: values.joined(separator: "\\"))
    }

    /// "YYYYMMDD" plus anything after it (the time and offset of a DT), with the date moved.
    func shift(_ value: String) -> String? {
        let digits = Array(value.utf8.prefix(8))
        guard digits.count == 8, digits.allSatisfy({ (0x30...0x39).contains($0) }),
              let year = Int(String(decoding: digits[0..<4], as: UTF8.self)),
              let month = Int(String(decoding: digits[4..<6], as: UTF8.self)),
              let day = Int(String(decoding: digits[6..<8], as: UTF8.self)),
              (1...12).contains(month), (1...Self.daysIn(month, year)).contains(day) else { return nil }
        let (y, m, d) = Self.civil(fromDays: Self.days(year, month, day) + days)
        guard (1...9999).contains(y) else { return nil }
        let date = String(format: "%04d%02d%02d", y, m, d)
        return date + String(decoding: value.utf8.dropFirst(8), as: UTF8.self)
    }

    private static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func days(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146097 + dayOfEra - 719468
    }

    static func civil(fromDays z: Int) -> (year: Int, month: Int, day: Int) {
        let z = z + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let dayOfEra = z - era * 146097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
