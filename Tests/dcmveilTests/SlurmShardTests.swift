import Foundation
import Testing
import VeilTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The shipped Slurm job files on a real single-node Slurm cluster: a job array of 4 shards and its
/// merge job give a single run's manifest; a shard killed mid-run blocks the merge until it is
/// rerun, and the rerun redoes only what the killed one had not journaled.
@Suite(.serialized, .enabled(if: SlurmCluster.isInstalled, "slurm-wlm and munge are not installed (scripts/setup installs them)"))
struct SlurmShardTests {
    @Test func aJobArrayOfFourShardsMergesLikeASingleRunAndAKilledShardIsRerun() throws {
        let tree = try ShardTree(patients: 4, studies: 2, slices: 3)
        let single = try tree.protect("single")
        #expect(single.status == 0, "\(single.stderr)")
        let planned = try tree.plannedFiles(4)
        let victim = try #require(planned.indices.max { planned[$0] < planned[$1] })
        try #require(planned[victim] >= 6, "the largest shard must be long enough to be killed mid-run: \(planned)")

        let cluster: SlurmCluster
        do {
            cluster = try SlurmCluster()
        } catch {
            print("SlurmShardTests skipped: Slurm's daemons cannot start here: \(error)")
            try Test.cancel("Slurm's daemons cannot start here")
        }
        defer { cluster.stop() }
        let environment = ["DCMVEIL": Command.binary.path, "DCMVEIL_CPUS": "1"]
        let arguments = ["protect", "in", "--out", "sharded", "--cert", "keys/certificate.pem", "--site-secret", ShardTree.secret]

        let submitted = try cluster.run(deployFolder + "/slurm/submit", ["4", "4"] + arguments, in: tree.root, environment: environment)
        try #require(submitted.status == 0, "\(submitted.stderr)")
        let ids = submitted.stdout.split(whereSeparator: \.isWhitespace).map(String.init)
        try #require(ids.count == 2, "\(submitted.stdout)")
        let (array, merge) = (ids[0], ids[1])

        // Kill the largest shard once it has journaled some of its files (SIGKILL: no handler runs).
        let journal = tree.root + "/sharded/.dcmveil/shards/\(victim)-of-4/journal.jsonl"
        var journaled = 0
        let deadline = Date().addingTimeInterval(90)
        while Date() < deadline, journaled == 0 {
            journaled = (try? String(contentsOfFile: journal, encoding: .utf8))?.split(separator: "\n").count ?? 0
            if journaled == 0 { usleep(20_000) }
        }
        // Its lock names it (scancel would send SIGTERM first, which dcmveil answers by finishing cleanly).
        let holder = try tree.read("sharded/.dcmveil/shards/\(victim)-of-4/lock")
        let pid = try #require(Int32(holder.replacingOccurrences(of: "pid ", with: "")), "\(holder)")
        #expect(kill(pid, SIGKILL) == 0)
        let states = try cluster.wait(for: array)
        #expect(states.count == 4, "\(states)")
        #expect(states.filter { $0.task != "\(victim)" }.allSatisfy { $0.state == "COMPLETED" }, "\(states)")
        #expect(states.first { $0.task == "\(victim)" }?.state != "COMPLETED", "killed mid-run: \(states)")
        #expect(journaled >= 1 && journaled < planned[victim], "journaled \(journaled) of \(planned[victim])")
        #expect(try cluster.wait(for: merge).first?.state == "CANCELLED", "afterok can no longer be satisfied")
        let refused = try Command.run("manifest", "merge", "sharded", in: tree.root)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("shard \(victim)/4 did not finish"), "\(refused.stderr)")

        // Rerun the one shard (an array of one) and merge after it, as README says.
        let rerun = try cluster.run("sbatch", ["--parsable", "--array=\(victim)", "--cpus-per-task=1", deployFolder + "/slurm/shard.sbatch"] + arguments,
                                    in: tree.root, environment: environment.merging(["DCMVEIL_SHARDS": "4"]) { $1 })
        try #require(rerun.status == 0, "\(rerun.stderr)")
        let rerunID = rerun.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let merged = try cluster.run("sbatch", ["--parsable", "--dependency=afterok:\(rerunID)", deployFolder + "/slurm/merge.sbatch", "sharded"],
                                     in: tree.root, environment: environment.merging(["DCMVEIL_SHARDS": "4"]) { $1 })
        try #require(merged.status == 0, "\(merged.stderr)")
        let mergeStates = try cluster.wait(for: merged.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(mergeStates.map(\.state) == ["COMPLETED"] && mergeStates.map(\.exitCode) == ["0:0"], "\(mergeStates)")

        #expect(comparable(try tree.read("sharded/manifest.jsonl")) == comparable(try tree.read("single/manifest.jsonl")))
        let verified = try Command.run("verify", "sharded", "--key", "keys/private-key.pem", in: tree.root)
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        let victimRun = try tree.runRecord("sharded/.dcmveil/shards/\(victim)-of-4/run.json")
        #expect((victimRun["unchanged"] as? Int ?? 0) >= journaled, "the journaled files were not redone: \(victimRun)")
        #expect(try tree.runRecord("sharded/run.json")["inputs"] as? Int == 25)
    }
}
