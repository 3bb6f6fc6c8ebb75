import Foundation
import Testing

/// deploy/ (issue 7): the Kubernetes manifests and the Slurm scripts call the shard and merge
/// commands that `ShardMergeTests` exercises, and running them as the cluster would (the
/// batch system's variables set, in a data folder) gives the unsharded scan's reports.
@Suite(.serialized) struct DeployTests {
    static var deploy: URL { CLIRunner.repositoryRoot.appendingPathComponent("deploy") }

    static func text(_ path: String) throws -> String {
        try String(contentsOf: deploy.appendingPathComponent(path), encoding: .utf8)
    }

    /// The JSON flow sequence after `args:` in a manifest (the manifests write args on one line).
    static func args(in manifest: String) throws -> [String] {
        let lines = manifest.split(separator: "\n").filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("args:") }
        try #require(lines.count == 1, "one args: line")
        let flow = lines[0].drop { $0 != "[" }
        return try #require(try JSONSerialization.jsonObject(with: Data(flow.utf8)) as? [String])
    }

    /// The integer value of `key:` (first occurrence).
    static func integer(_ key: String, in manifest: String) -> Int? {
        manifest.firstMatch(of: try! Regex("(?m)^\\s*\(key):\\s*([0-9]+)\\s*$")).flatMap { Int($0.output[1].substring ?? "") }
    }

    /// The words of the line that runs `"$SYNTHSCAN" <command>` in a Slurm script, quotes removed.
    static func synthscanCall(in script: String) throws -> [String] {
        let lines = script.split(separator: "\n").filter { $0.hasPrefix("\"$SYNTHSCAN\" ") }
        try #require(lines.count == 1, "one synthscan call")
        return lines[0].split(separator: " ").dropFirst().map { $0.replacingOccurrences(of: "\"", with: "") }
    }

    @Test func kubernetesJobsRunTheTestedCommandsAndGiveTheUnshardedReports() throws {
        let shards = try Self.text("kubernetes/synthscan-shards.yaml"), merge = try Self.text("kubernetes/synthscan-merge.yaml")
        #expect(shards.contains("completionMode: Indexed"))
        let n = try #require(Self.integer("completions", in: shards))
        #expect(Self.integer("parallelism", in: shards).map { $0 >= 1 && $0 <= n } == true)
        let shardArgs = try Self.args(in: shards)
        // The shard command of the CLI test, the shard from the Indexed Job's index.
        for index in 0..<n {
            let expected = ShardMergeTests.shardArguments(index + 1, of: n, file: "shard-\(index).partial")
            let actual = shardArgs.map { $0 == "auto/\(n)" ? "\(index + 1)/\(n)" : $0.replacingOccurrences(of: "$(JOB_COMPLETION_INDEX)", with: "\(index)") }
            #expect(actual == expected, "--shard auto/\(n) with completions: \(n)")
        }
        #expect(try Self.args(in: merge) == ShardMergeTests.mergeArguments)
        for manifest in [shards, merge] {
            #expect(manifest.contains("workingDir: /data") && manifest.contains("mountPath: /data"))
            #expect(manifest.contains("claimName: synthscan-data") && manifest.contains("restartPolicy: Never"))
        }

        // Run them as the pods would: JOB_COMPLETION_INDEX set, $(JOB_COMPLETION_INDEX) expanded.
        let folder = try ShardMergeTests.workspace()
        for index in 0..<n {
            let args = shardArgs.map { $0.replacingOccurrences(of: "$(JOB_COMPLETION_INDEX)", with: "\(index)") }
            let run = try CLIRunner.run(args, in: folder.url, environment: ["JOB_COMPLETION_INDEX": "\(index)"])
            #expect(run.status == 0, "index \(index): \(run.stderr)")
            #expect(run.stderr.hasPrefix("synthscan: shard \(index + 1)/\(n): "))
        }
        let run = try CLIRunner.run(try Self.args(in: merge), in: folder.url)
        #expect(run.status == 1, "stderr: \(run.stderr)")
        ShardMergeTests.expectSameReports(try ShardMergeTests.read(folder.url.appendingPathComponent("reports")),
                                          try ShardMergeTests.unsharded(), "Kubernetes, \(n) shards")
    }

    @Test func slurmScriptsRunTheTestedCommandsAndGiveTheUnshardedReports() throws {
        let shards = try Self.text("slurm/synthscan-shards.sbatch"), merge = try Self.text("slurm/synthscan-merge.sbatch")
        let submit = try Self.text("slurm/submit.sh")
        #expect(shards.contains("#SBATCH --array=0-"))
        #expect(submit.contains(#"--array="0-$((shards - 1))""#) && submit.contains(#"--dependency="afterok:$array""#))
        // N comes from the array (SLURM_ARRAY_TASK_COUNT), the file name from the task id.
        let shardCall = try Self.synthscanCall(in: shards)
        let n = 4
        for task in 0..<n {
            let expected = ShardMergeTests.shardArguments(task + 1, of: n, file: "shard-\(task).partial")
            let actual = shardCall.map { $0 == "auto" ? "\(task + 1)/\(n)" : $0.replacingOccurrences(of: "${SLURM_ARRAY_TASK_ID}", with: "\(task)") }
            #expect(actual == expected)
        }
        #expect(try Self.synthscanCall(in: merge) == ShardMergeTests.mergeArguments)

        let bash = URL(fileURLWithPath: "/bin/bash")
        for script in ["slurm/synthscan-shards.sbatch", "slurm/synthscan-merge.sbatch", "slurm/submit.sh", "kubernetes/run.sh"] {
            let check = try CLIRunner.run(bash, ["-n", Self.deploy.appendingPathComponent(script).path])
            #expect(check.status == 0, "bash -n \(script): \(check.stderr)")
        }
        // Run the scripts as Slurm would: a task per shard, then the merge, in the data folder.
        let folder = try ShardMergeTests.workspace()
        let environment = ["SYNTHSCAN": CLIRunner.executable.path, "SYNTHSCAN_DATA": folder.url.path]
        for task in 0..<n {
            let run = try CLIRunner.run(bash, [Self.deploy.appendingPathComponent("slurm/synthscan-shards.sbatch").path],
                                        environment: environment.merging(["SLURM_ARRAY_TASK_ID": "\(task)", "SLURM_ARRAY_TASK_MIN": "0",
                                                                          "SLURM_ARRAY_TASK_COUNT": "\(n)", "SLURM_ARRAY_TASK_STEP": "1"]) { $1 })
            #expect(run.status == 0, "task \(task): \(run.stderr)")
        }
        let run = try CLIRunner.run(bash, [Self.deploy.appendingPathComponent("slurm/synthscan-merge.sbatch").path], environment: environment)
        #expect(run.status == 1, "stderr: \(run.stderr)")
        ShardMergeTests.expectSameReports(try ShardMergeTests.read(folder.url.appendingPathComponent("reports")),
                                          try ShardMergeTests.unsharded(), "Slurm, \(n) shards")
    }
}
