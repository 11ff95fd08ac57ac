import Foundation
import VeilCrypto
import VeilDICOM

/// One part of a batch split over several machines (`--shard I/N`): the inputs whose key hashes to
/// `index` (first 8 bytes of SHA-256 of the key, big endian, mod `count`). The key is the study:
/// its folder, or its Study Instance UID for trees not laid out by study. The same key always
/// lands in the same shard, whatever else the tree holds, so a growing tree keeps its partition.
package struct Shard: Sendable, Equatable, CustomStringConvertible {
    package enum Key: String, Sendable, CaseIterable {
        /// The folder holding the series folder (`…/study/series/file`), from the walk root.
        case folder
        /// The Study Instance UID (read from every file); inputs without one go by their folder.
        case studyUID = "study-uid"
    }

    package let index: Int
    package let count: Int
    package let key: Key

    package init(index: Int, count: Int, key: Key = .folder) {
        precondition(count >= 1 && (0..<count).contains(index), "a shard is I/N with 0 ≤ I < N")
        self.index = index
        self.count = count
        self.key = key
    }

    package var description: String { "\(index)/\(count)" }

    /// The state folder's name for this shard, under `.dcmveil/shards/`.
    package var folderName: String { "\(index)-of-\(count)" }

    /// Which of `count` shards a key belongs to.
    package static func index(of key: String, count: Int) -> Int {
        let digest = SHA256.hash(Array(key.utf8))
        let prefix = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return Int(prefix % UInt64(count))
    }

    /// The study folder of a path relative to the walk root: the path without its file name and,
    /// when it has two folders or more, without the series folder; a file at the top is its own key.
    package static func folderKey(_ relativePath: String) -> String {
        var folders = relativePath.split(separator: "/", omittingEmptySubsequences: true).dropLast()
        if folders.count >= 2 { folders = folders.dropLast() }
        return folders.isEmpty ? relativePath : folders.joined(separator: "/")
    }

    /// The key of a parsed file: its Study Instance UID when this shard goes by UID and it has one.
    func key(of input: InputFile, file: DicomFile?) -> String {
        if key == .studyUID, let uid = file?.dataSet.string(.studyInstanceUID)?.trimmingCharacters(in: [" ", "\0"]), !uid.isEmpty {
            return "uid:" + uid
        }
        return Self.folderKey(input.relativePath)
    }

    /// Whether this shard handles `input`, decided from its path alone (nil: the file must be read).
    func ownsByPath(_ input: InputFile) -> Bool? {
        key == .folder || input.unusable != nil ? owns(Self.folderKey(input.relativePath)) : nil
    }

    func owns(_ key: String) -> Bool { Self.index(of: key, count: count) == index }

    /// Whether this shard keeps the record of an input no longer found (by its folder, so that
    /// exactly one shard does). `inputs`: the run's command-line inputs, to find the walk root.
    func ownsRecord(of path: String, inputs: [String]) -> Bool {
        owns(Self.folderKey(Self.relativePath(of: path, inputs: inputs) ?? path))
    }

    /// `path` relative to the command-line input it was found under, as `Walker` made it.
    static func relativePath(of path: String, inputs: [String]) -> String? {
        for root in inputs {
            if path == root { return root.split(separator: "/").last.map(String.init) ?? root }
            let prefix = root.hasSuffix("/") ? root : root + "/"
            if path.hasPrefix(prefix) { return String(path.dropFirst(prefix.count)) }
        }
        return nil
    }
}
