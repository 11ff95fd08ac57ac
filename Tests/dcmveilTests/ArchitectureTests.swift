import Foundation
import Testing
import VeilTestSupport

/// The layering the folder layout shows, held by a test rather than a comment: Package.swift's
/// dependency graph points only down the layers, every `import` in a target names a dependency that
/// target declares (SwiftPM would let transitive modules through), and C modules are imported
/// `internal` (so no C type can appear in an API).
@Suite struct ArchitectureTests {
    struct Target {
        var name: String
        var path: String
        var dependencies: Set<String>
        var isTest: Bool
    }

    /// Layers by folder, bottom first; a target may depend only on lower layers.
    static let layers: [(folder: String, rank: Int)] = [
        ("Sources/FileSystem", 0), ("Sources/Benchmarks/CMallocCounter", 1), ("Sources/Interop", 1), ("Sources/Core", 1),
        ("Sources/DICOM", 2), ("Sources/Pipeline", 3), ("Sources/Sample", 3), ("Sources/Stego", 3),
        ("Sources/Batch", 4), ("Sources/Evaluate", 4), ("Sources/Net", 5),
        ("Sources/CLI", 6), ("Sources/Tools", 7), ("Sources/Benchmarks", 7), ("Fuzz", 7), ("Tests", 8),
    ]
    static let systemModules: Set<String> = ["Foundation", "FoundationNetworking", "Glibc", "Darwin", "Dispatch",
                                             "Synchronization", "Testing", "XCTest"]

    /// The package's targets as SwiftPM reads the manifest (a scratch path of its own, so it never
    /// waits for the lock of the `swift test` that runs this).
    static let targets: [Target] = {
        let scratch = NSTemporaryDirectory() + "dcmveil-dump-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        guard let (status, json) = try? run("swift", ["package", "--package-path", packageRoot, "--scratch-path", scratch, "dump-package"]),
              status == 0, let root = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              let targets = root["targets"] as? [[String: Any]] else { return [] }
        return targets.map { target in
            let dependencies = (target["dependencies"] as? [[String: Any]] ?? []).compactMap { dependency in
                dependency.values.compactMap { ($0 as? [Any])?.first as? String }.first
            }
            let type = target["type"] as? String ?? ""
            let name = target["name"] as? String ?? ""
            return Target(name: name, path: target["path"] as? String ?? "Sources/\(name)",
                          dependencies: Set(dependencies), isTest: type == "test")
        }
    }()

    static func rank(_ target: Target) -> Int? {
        layers.first { target.path.hasPrefix($0.folder) }?.rank
    }

    /// Swift files of a target with their import lines ("internal import X" → ("internal", "X")).
    static func imports(of target: Target) -> [(file: String, access: String, module: String)] {
        let root = packageRoot + "/" + target.path
        let files = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
        return files.flatMap { file -> [(String, String, String)] in
            let text = (try? String(contentsOfFile: root + "/" + file, encoding: .utf8)) ?? ""
            // Swift imports start their line; indented ones are other languages in string literals.
            return text.split(separator: "\n").compactMap { line in
                guard line.first?.isWhitespace == false else { return nil }
                let words = line.split(separator: " ").map(String.init).filter { !$0.hasPrefix("@") }
                guard let index = words.firstIndex(of: "import"), index + 1 < words.count,
                      words[..<index].allSatisfy({ ["internal", "private", "fileprivate", "public", "package"].contains($0) })
                else { return nil }
                return ("\(target.path)/\(file)", words[..<index].first ?? "", words[index + 1])
            }
        }
    }

    /// Targets without Swift sources: the C and C++ shims.
    static let cModules: Set<String> = Set(targets.filter { target in
        let files = FileManager.default.enumerator(atPath: packageRoot + "/" + target.path)?.compactMap { $0 as? String } ?? []
        return !files.contains { $0.hasSuffix(".swift") }
    }.map(\.name))

    @Test func theManifestIsRead() {
        #expect(Self.targets.count > 20)
        #expect(Self.cModules.isSuperset(of: ["CDCMTK", "COpenSSL", "CQR"]))
    }

    @Test func dependenciesPointDownTheLayers() {
        let byName = Dictionary(uniqueKeysWithValues: Self.targets.map { ($0.name, $0) })
        for target in Self.targets {
            guard let rank = Self.rank(target) else { Issue.record("\(target.name): \(target.path) is in no layer"); continue }
            if target.path == "Sources/Core" { #expect(target.dependencies.isEmpty, "Core is pure Swift: it depends on nothing") }
            for dependency in target.dependencies {
                guard let other = byName[dependency], let otherRank = Self.rank(other) else { continue }  // a package product
                #expect(otherRank < rank || (Self.cModules.contains(dependency) && otherRank <= rank) || target.isTest,
                        "\(target.name) (\(target.path)) depends on \(dependency) (\(other.path))")
            }
        }
    }

    @Test func importsNameOnlyDeclaredDependencies() {
        let ours = Set(Self.targets.map(\.name))
        for target in Self.targets {
            for (file, _, module) in Self.imports(of: target) where ours.contains(module) || !Self.systemModules.contains(module) {
                #expect(target.dependencies.contains(module),
                        "\(file) imports \(module), which \(target.name) does not declare")
            }
        }
    }

    @Test func cModulesAreImportedInternally() {
        let cModules = Self.cModules
        for target in Self.targets {
            for (file, access, module) in Self.imports(of: target) where cModules.contains(module) {
                #expect(["internal", "private", "fileprivate"].contains(access), "\(file): `\(access) import \(module)` should be internal")
            }
        }
    }
}
