import Foundation
import Testing
import VeilTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `--shard I/N`, `--shard-plan N` and `manifest merge`, and the Kubernetes Indexed Job's command
/// run as the Job would run it (Kubernetes itself cannot run here).
@Suite(.serialized) struct ShardCommandTests {
    @Test func shardNeedsASharedSecretAndAValidIndex() throws {
        let workspace = try Workspace(slices: 1)
        let unshared = try workspace.protect("out", "--shard", "0/2")
        #expect(unshared.status == 64)
        #expect(unshared.stderr.contains("--shard needs a site secret shared by every shard"), "\(unshared.stderr)")
        #expect(!FileManager.default.fileExists(atPath: workspace.root + "/out"))
        for bad in ["2/2", "-1/2", "0/0", "1", "a/b"] {
            #expect(try workspace.protect("out", "--shard", bad).status == 64, "--shard \(bad)")
        }
        #expect(try workspace.protect("out", "--shard-by", "study-uid").status == 64, "--shard-by alone")
        #expect(try workspace.protect("out", "--shard", "0/2", "--send", "dicom://A@127.0.0.1:1").status == 64, "send after the merge")
    }

    @Test func shardPlanCountsEveryInputOnceAndWritesNothing() throws {
        let workspace = try Workspace(slices: 3)
        for key in ["folder", "study-uid"] {
            let plan = try workspace.protect("plan", "--shard-plan", "3", "--shard-by", key)
            #expect(plan.status == 0, "\(plan.stderr)")
            let total = try #require(plan.stdout.split(separator: "\n").first { $0.hasPrefix("total") }).split(separator: " ")
            #expect(total[2] == "6", "3 slices, notes.txt, truncated.dcm, links/up: \(plan.stdout)")
            #expect(plan.stdout.split(separator: "\n").filter { Int($0.split(separator: " ").first ?? "") != nil }.count == 3)
        }
        #expect(!FileManager.default.fileExists(atPath: workspace.root + "/plan"))
    }

    @Test func mergeRefusesMissingUnfinishedMismatchedOrLockedShards() throws {
        let workspace = try Workspace(slices: 2)
        try Data(repeating: 7, count: 32).write(to: URL(fileURLWithPath: workspace.root + "/secret"))
        let shard = { (index: String, extra: [String]) in
            try Command.run(["protect", "in", "--out", "out", "--cert", "keys/certificate.pem", "--site-secret", "secret",
                             "--jobs", "2", "--shard", index] + extra, in: workspace.root)
        }
        let merge = { (extra: [String]) in try Command.run(["manifest", "merge", "out"] + extra, in: workspace.root) }
        #expect([0, 2].contains(try shard("0/2", []).status))

        var refused = try merge([])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("shard 1/2 is missing"), "\(refused.stderr)")

        #expect([0, 2].contains(try shard("1/2", ["--layout", "mirror"]).status))
        refused = try merge([])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("shard 1/2 was run with another layout than shard 0/2"), "\(refused.stderr)")

        // A duplicate of a running shard exits 75; so does a merge while any shard runs.
        let lock = open(workspace.root + "/out/.dcmveil/shards/1-of-2/lock", O_RDWR)
        #expect(flock(lock, LOCK_EX | LOCK_NB) == 0)
        #expect(try shard("1/2", []).status == 75)
        close(lock)
        let shared = open(workspace.root + "/out/.dcmveil/lock", O_RDONLY)
        #expect(flock(shared, LOCK_SH | LOCK_NB) == 0)
        #expect(try merge([]).status == 75)
        close(shared)

        #expect([0, 2].contains(try shard("1/2", []).status))
        let journal = workspace.root + "/out/.dcmveil/shards/0-of-2/journal.jsonl"
        _ = FileManager.default.createFile(atPath: journal, contents: Data())
        refused = try merge([])
        #expect(refused.stderr.contains("shard 0/2 did not finish"), "\(refused.stderr)")
        try FileManager.default.removeItem(atPath: journal)

        // An input in two fragments (its study UID changed between two shards' runs, say).
        let fragment = workspace.root + "/out/.dcmveil/shards/1-of-2/manifest.jsonl"
        let original = try Data(contentsOf: URL(fileURLWithPath: fragment))
        let stolen = try #require(try workspace.read("out/.dcmveil/shards/0-of-2/manifest.jsonl").split(separator: "\n").first)
        let lines = (String(decoding: original, as: UTF8.self).split(separator: "\n") + [stolen]).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        try Data(lines.joined(separator: "\n").appending("\n").utf8).write(to: URL(fileURLWithPath: fragment))
        refused = try merge([])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("is in the fragments of shards 0/2 and 1/2"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: workspace.root + "/out/manifest.jsonl"), "nothing written")
        try original.write(to: URL(fileURLWithPath: fragment))

        let merged = try merge([])
        #expect(merged.status == 2, "the truncated input failed, as in a single run: \(merged.stderr)")
        #expect(try Command.run("protect", "in", "--out", "single", "--cert", "keys/certificate.pem", "--site-secret", "secret",
                                in: workspace.root).status == 2)
        #expect(comparable(try workspace.read("out/manifest.jsonl")) == comparable(try workspace.read("single/manifest.jsonl")))
        #expect(try Command.run("verify", "out", "--key", "keys/private-key.pem", in: workspace.root).status == 0)

        #expect([0, 2].contains(try shard("0/3", []).status))
        refused = try merge([])
        #expect(refused.stderr.contains("fragments of 2 and 3 shards"), "\(refused.stderr)")
        refused = try merge(["--shards", "2"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("fragments of 3 shards are here besides those of 2"), "\(refused.stderr)")
    }

    @Test func shardsOfAnExistingOutputReuseItAndRestoreShardsMergeLikeOneRestore() throws {
        let tree = try ShardTree(patients: 2, studies: 1, slices: 2)
        #expect(try tree.protect("out").status == 0)
        let single = try tree.read("out/manifest.jsonl")
        // Sharding an output a single run made (or changing N) reuses every output.
        for index in 0..<3 {
            let result = try tree.protect("out", "--shard", "\(index)/3", "--shard-by", "study-uid")
            #expect(result.status == 0, "\(result.stderr)")
            let run = try tree.runRecord("out/.dcmveil/shards/\(index)-of-3/run.json")
            #expect(run["unchanged"] as? Int == run["inputs"] as? Int, "nothing redone in shard \(index)")
        }
        #expect(try Command.run("manifest", "merge", "out", in: tree.root).status == 0)
        #expect(try tree.read("out/manifest.jsonl") == single)
        let merged = try tree.runRecord("out/run.json")
        #expect(merged["inputs"] as? Int == 5 && merged["unchanged"] as? Int == 5)

        #expect(try Command.run("restore", "out", "--out", "back", "--key", "keys/private-key.pem", in: tree.root).status == 0)
        for index in ["0/2", "1/2"] {
            let result = try Command.run("restore", "out", "--out", "back-sharded", "--key", "keys/private-key.pem", "--shard", index, in: tree.root)
            #expect(result.status == 0, "\(result.stderr)")
        }
        #expect(try Command.run("manifest", "merge", "back-sharded", in: tree.root).status == 0)
        #expect(try tree.read("back-sharded/manifest.jsonl") == tree.read("back/manifest.jsonl"))
        #expect(try Command.run("verify", "back-sharded", in: tree.root).status == 0)
    }

    /// The Indexed Job's YAML is valid and says what the README says; its command, run once per
    /// completion index with `JOB_COMPLETION_INDEX` set, and then the merge Job's, give a single run's manifest.
    @Test func kubernetesIndexedJobCommandsMergeIntoASingleRunsManifest() throws {
        let jobs = try kubernetesJobs()
        let protect = try #require(jobs["protect"] as? [String: Any])
        let merge = try #require(jobs["merge"] as? [String: Any])
        #expect(protect["kind"] as? String == "Job" && protect["completionMode"] as? String == "Indexed")
        #expect(protect["restartPolicy"] as? String == "Never" && protect["backoffLimitPerIndex"] as? Int == 3)
        #expect(protect["failIndexOn"] as? [Int] == [64])
        let environment = try #require(protect["env"] as? [String: String])
        #expect(environment["SHARDS"] == (protect["completions"] as? Int).map(String.init), "SHARDS is N")
        #expect((merge["env"] as? [String: String])?["SHARDS"] == environment["SHARDS"])

        let tree = try ShardTree(patients: 2, studies: 2, slices: 1)
        #expect(try tree.protect("single").status == 0)
        let shards = 3
        let paths = ["INPUT": "in", "OUTPUT": "k8s", "CERT": "keys/certificate.pem", "SITE_SECRET": ShardTree.secret,
                     "SHARDS": "\(shards)", "JOBS": "1", "PATH": binaryPath]
        let script = try #require(protect["script"] as? String)
        for index in 0..<shards {
            let pod = try runProgram("sh", ["-c", script], in: tree.root,
                                     environment: environment.merging(paths) { $1 }.merging(["JOB_COMPLETION_INDEX": "\(index)"]) { $1 })
            #expect(pod.status == 0, "index \(index): \(pod.stderr)")
        }
        let merged = try runProgram("sh", ["-c", try #require(merge["script"] as? String)], in: tree.root, environment: paths)
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(comparable(try tree.read("k8s/manifest.jsonl")) == comparable(try tree.read("single/manifest.jsonl")))
        #expect(try Command.run("verify", "k8s", "--key", "keys/private-key.pem", in: tree.root).status == 0)
    }

    /// deploy/kubernetes/*.yaml read by PyYAML, with what the test checks picked out.
    private func kubernetesJobs() throws -> [String: Any] {
        let program = #"""
        import json, sys, yaml
        out = {}
        for name in ("protect", "merge"):
            with open(sys.argv[1] + "/" + name + "-job.yaml") as f:
                documents = list(yaml.safe_load_all(f))
            assert len(documents) == 1, name
            job = documents[0]
            assert job["apiVersion"] == "batch/v1", name
            spec = job["spec"]; pod = spec["template"]["spec"]; container = pod["containers"][0]
            assert container["command"] == ["/bin/sh", "-c"] and len(container["args"]) == 1, name
            mounts = {m["name"] for m in container.get("volumeMounts", [])}
            assert mounts <= {v["name"] for v in pod.get("volumes", [])}, name
            rules = spec.get("podFailurePolicy", {}).get("rules", [])
            out[name] = {
                "kind": job["kind"], "completionMode": spec.get("completionMode"), "completions": spec.get("completions"),
                "backoffLimitPerIndex": spec.get("backoffLimitPerIndex"), "restartPolicy": pod["restartPolicy"],
                "failIndexOn": [c for r in rules if r["action"] == "FailIndex" for c in r["onExitCodes"]["values"]],
                "script": container["args"][0], "env": {e["name"]: e["value"] for e in container["env"]},
            }
        print(json.dumps(out))
        """#
        let result = try runProgram("python3", ["-c", program, deployFolder + "/kubernetes"])
        try #require(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }
}
