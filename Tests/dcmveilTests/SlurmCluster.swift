import Foundation
import VeilTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A real single-node Slurm cluster (Debian's `slurm-wlm` and `munge`) on loopback, for one test:
/// munged (as the munge user, with its own key and socket), `slurmctld` and `slurmd` in the
/// foreground with a configuration in a temporary folder (`SLURM_CONF`), free ports, no accounting,
/// no cgroups. `stop()` (also run on deinit) ends every daemon by PID, SIGTERM then SIGKILL (a slurmd
/// whose controller is gone may ignore SIGTERM), and removes the folder.
final class SlurmCluster {
    static let programs = ["/usr/sbin/munged", "/usr/sbin/mungekey", "/usr/sbin/slurmctld", "/usr/sbin/slurmd",
                           "/usr/bin/sbatch", "/usr/bin/scontrol", "/usr/bin/scancel", "/usr/bin/sinfo", "/usr/bin/squeue", "/usr/bin/setpriv"]
    static var isInstalled: Bool { programs.allSatisfy { FileManager.default.isExecutableFile(atPath: $0) } }

    let folder: String
    /// Started with posix_spawn, not Foundation's Process: slurmctld closes the descriptors it
    /// inherits, which Process takes for the child's exit and then blocks its thread in waitpid.
    private var daemons: [Daemon] = []
    /// What every Slurm client the test runs needs in its environment.
    var environment: [String: String] { ["SLURM_CONF": folder + "/slurm.conf"] }

    struct StartFailure: Error, CustomStringConvertible {
        let description: String
    }

    /// Starts the cluster and waits (up to 30 s) until the node is idle; throws `StartFailure`,
    /// with the daemons' logs, when it cannot, after stopping what it started.
    init() throws {
        folder = NSTemporaryDirectory() + "dcmveil-slurm-" + UUID().uuidString
        do {
            guard getuid() == 0 else { throw StartFailure(description: "slurmd must run as root") }
            try startMunge()
            try writeConfiguration()
            try startDaemon("slurmctld", "/usr/sbin/slurmctld", ["-D", "-c", "-i", "-f", folder + "/slurm.conf"])
            try startDaemon("slurmd", "/usr/sbin/slurmd", ["-D", "-f", folder + "/slurm.conf"])
            try waitUntilIdle()
        } catch {
            let logs = ["munged.log", "slurmctld.log", "slurmd.log", "daemons.out"].map { name in
                "--- \(name)\n" + ((try? String(contentsOfFile: folder + "/" + name, encoding: .utf8))?.suffix(1500) ?? "")
            }
            stop()
            throw StartFailure(description: "\(error)\n" + logs.joined(separator: "\n"))
        }
    }

    deinit { stop() }

    /// Ends the daemons, last started first, and removes the folder.
    func stop() {
        if daemons.contains(where: { $0.name == "slurmctld" && $0.isRunning }) {
            // Jobs first: their processes are not slurmd's children and would outlive it.
            _ = try? run("scancel", ["--full", "--signal=KILL", "--user=\(getuid())"])
            _ = try? run("scancel", ["--user=\(getuid())"])
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline, let queue = try? run("squeue", ["-h", "-o", "%i"]), queue.status == 0, !queue.stdout.isEmpty {
                usleep(200_000)
            }
        }
        for daemon in daemons.reversed() where daemon.isRunning {
            kill(daemon.pid, SIGTERM)
            let deadline = Date().addingTimeInterval(5)
            while daemon.isRunning, Date() < deadline { usleep(50_000) }
            if daemon.isRunning { kill(daemon.pid, SIGKILL) }
            daemon.waitUntilExit()
        }
        daemons = []
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Runs a Slurm client (sbatch, scontrol, ...) against this cluster.
    func run(_ program: String, _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) throws -> ProcessResult {
        try runProgram(program, arguments, in: directory, environment: self.environment.merging(environment) { $1 })
    }

    /// A job's state (`COMPLETED`, `FAILED`, `CANCELLED`, `PENDING`, `RUNNING`...) and exit code,
    /// for each of its tasks (an array job has one per index).
    func states(of job: String) throws -> [(task: String, state: String, exitCode: String)] {
        let output = try run("scontrol", ["show", "job", "-o", job]).stdout
        return output.split(separator: "\n").compactMap { line in
            let fields = Dictionary(line.split(separator: " ").compactMap { field -> (String, String)? in
                let parts = field.split(separator: "=", maxSplits: 1)
                return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
            }, uniquingKeysWith: { first, _ in first })
            guard let state = fields["JobState"] else { return nil }
            return (fields["ArrayTaskId"] ?? fields["JobId"] ?? "?", state, fields["ExitCode"] ?? "?")
        }
    }

    /// Waits until no task of `job` is pending or running (at most `timeout` seconds).
    func wait(for job: String, timeout: TimeInterval = 90) throws -> [(task: String, state: String, exitCode: String)] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let states = try self.states(of: job)
            let active = states.contains { ["PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "REQUEUED"].contains($0.state) }
            if !states.isEmpty && !active || Date() > deadline { return states }
            usleep(200_000)
        }
    }

    // MARK: Starting

    private func startMunge() throws {
        // munged checks its folders: the key's private to the munge user, the socket's open to all.
        for (path, mode) in [(folder, 0o755), (folder + "/munge", 0o700), (folder + "/munge-socket", 0o755)] {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            chmod(path, mode_t(mode))
        }
        guard let user = getpwnam("munge") else { throw StartFailure(description: "there is no munge user") }
        let (uid, gid) = (user.pointee.pw_uid, user.pointee.pw_gid)
        chown(folder + "/munge", uid, gid)
        chown(folder + "/munge-socket", uid, gid)
        let asMunge = ["/usr/bin/setpriv", "--reuid=\(uid)", "--regid=\(gid)", "--clear-groups"]
        let key = try runProgram(asMunge[0], Array(asMunge.dropFirst()) + ["/usr/sbin/mungekey", "--create", "--keyfile=\(folder)/munge/munge.key"])
        guard key.status == 0 else { throw StartFailure(description: "mungekey: \(key.stderr)") }
        try startDaemon("munged", asMunge[0], Array(asMunge.dropFirst()) + [
            "/usr/sbin/munged", "--foreground", "--socket=\(socket)", "--key-file=\(folder)/munge/munge.key",
            "--pid-file=\(folder)/munge/munged.pid", "--log-file=\(folder)/munged.log", "--seed-file=\(folder)/munge/munged.seed",
        ])
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: socket) {
            guard Date() < deadline, daemons.last?.isRunning == true else { throw StartFailure(description: "munged did not start") }
            usleep(50_000)
        }
    }

    private var socket: String { folder + "/munge-socket/munge.socket" }

    private func writeConfiguration() throws {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "localhost"
        let (controllerPort, nodePort) = (try freePort(), try freePort())
        try FileManager.default.createDirectory(atPath: folder + "/state", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/spool", withIntermediateDirectories: true)
        let configuration = """
            ClusterName=dcmveiltest
            SlurmctldHost=\(host)(127.0.0.1)
            SlurmctldPort=\(controllerPort)
            SlurmdPort=\(nodePort)
            AuthType=auth/munge
            CredType=cred/munge
            AuthInfo=socket=\(socket)
            SlurmUser=root
            SlurmdUser=root
            StateSaveLocation=\(folder)/state
            SlurmdSpoolDir=\(folder)/spool
            SlurmctldPidFile=\(folder)/slurmctld.pid
            SlurmdPidFile=\(folder)/slurmd.pid
            SlurmctldLogFile=\(folder)/slurmctld.log
            SlurmdLogFile=\(folder)/slurmd.log
            ProctrackType=proctrack/linuxproc
            TaskPlugin=task/none
            SwitchType=switch/none
            MpiDefault=none
            SchedulerType=sched/backfill
            SelectType=select/cons_tres
            SelectTypeParameters=CR_CPU
            AccountingStorageType=accounting_storage/none
            JobAcctGatherType=jobacct_gather/none
            JobCompType=jobcomp/none
            ReturnToService=2
            MinJobAge=600
            KillWait=5
            NodeName=\(host) NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
            PartitionName=test Nodes=\(host) Default=YES MaxTime=INFINITE State=UP

            """
        try Data(configuration.utf8).write(to: URL(fileURLWithPath: folder + "/slurm.conf"))
    }

    private func startDaemon(_ name: String, _ executable: String, _ arguments: [String]) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, folder + "/daemons.out", O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let environment = ProcessInfo.processInfo.environment.merging(self.environment) { $1 }.map { "\($0)=\($1)" }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid = pid_t()
        let status = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard status == 0 else { throw StartFailure(description: "\(name): posix_spawn: \(String(cString: strerror(status)))") }
        daemons.append(Daemon(name: name, pid: pid))
    }

    private func waitUntilIdle() throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let dead = daemons.first(where: { !$0.isRunning }) {
                throw StartFailure(description: "\(dead.name) exited (wait status \(dead.waitStatus ?? -1))")
            }
            if let nodes = try? run("sinfo", ["-h", "-o", "%T"]), nodes.status == 0, nodes.stdout.contains("idle") { return }
            usleep(200_000)
        }
        throw StartFailure(description: "the node did not become idle within 30 s")
    }
}

/// A daemon the cluster started, by PID; reaped once it has exited.
private final class Daemon {
    let name: String
    let pid: pid_t
    private(set) var waitStatus: Int32?

    init(name: String, pid: pid_t) {
        self.name = name
        self.pid = pid
    }

    var isRunning: Bool {
        guard waitStatus == nil else { return false }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid || result < 0 { waitStatus = result < 0 ? -1 : status }
        return waitStatus == nil
    }

    func waitUntilExit() {
        guard waitStatus == nil else { return }
        var status: Int32 = 0
        waitStatus = waitpid(pid, &status, 0) == pid ? status : -1
    }
}
