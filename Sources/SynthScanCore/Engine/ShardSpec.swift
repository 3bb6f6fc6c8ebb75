/// `--shard` as users write it: `K/N` (1-based K), `auto/N`, or `auto`.
///
/// `auto` takes the shard from the batch system's environment, checked in this order:
///
/// - `JOB_COMPLETION_INDEX` (Kubernetes Indexed Job, 0-based): shard index + 1. Kubernetes does
///   not expose the completion count, so N must be given: `auto/N`.
/// - `SLURM_ARRAY_TASK_ID` (Slurm job array): shard index = task id − `SLURM_ARRAY_TASK_MIN`
///   (0 when unset); N = the `/N` given, else `SLURM_ARRAY_TASK_COUNT`. Arrays must be
///   contiguous (`--array=0-7` or `1-8`; a step other than 1 is an error).
///
/// With both `/N` and `SLURM_ARRAY_TASK_COUNT`, they must agree.
public enum ShardSpec {
    /// The shard `text` names, given the process environment.
    public static func parse(_ text: String, environment: [String: String]) throws(ShardSpecError) -> ShardSlice {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 1 || parts.count == 2, !parts[0].isEmpty else { throw .malformed(text) }
        var count: Int?
        if parts.count == 2 {
            guard let n = Int(parts[1]), n >= 1 else { throw .malformed(text) }
            count = n
        }
        if parts[0] != "auto" {
            guard let k = Int(parts[0]), let n = count else { throw .malformed(text) }
            guard let slice = ShardSlice(index: k - 1, count: n) else { throw .outOfRange(shard: k, count: n, source: "--shard \(text)") }
            return slice
        }
        if let value = environment["JOB_COMPLETION_INDEX"], !value.isEmpty {
            guard let index = Int(value) else { throw .badVariable(name: "JOB_COMPLETION_INDEX", value: value) }
            guard let n = count else { throw .countNeeded(variable: "JOB_COMPLETION_INDEX") }
            guard let slice = ShardSlice(index: index, count: n) else {
                throw .outOfRange(shard: index + 1, count: n, source: "JOB_COMPLETION_INDEX=\(value) (0-based)")
            }
            return slice
        }
        if let value = environment["SLURM_ARRAY_TASK_ID"], !value.isEmpty {
            guard let id = Int(value) else { throw .badVariable(name: "SLURM_ARRAY_TASK_ID", value: value) }
            if let step = environment["SLURM_ARRAY_TASK_STEP"], !step.isEmpty, step != "1" {
                throw .steppedArray(step: step)
            }
            var minimum = 0
            if let text = environment["SLURM_ARRAY_TASK_MIN"], !text.isEmpty {
                guard let m = Int(text) else { throw .badVariable(name: "SLURM_ARRAY_TASK_MIN", value: text) }
                minimum = m
            }
            if let text = environment["SLURM_ARRAY_TASK_COUNT"], !text.isEmpty {
                guard let n = Int(text), n >= 1 else { throw .badVariable(name: "SLURM_ARRAY_TASK_COUNT", value: text) }
                if let given = count, given != n { throw .countMismatch(given: given, environment: n) }
                count = n
            }
            guard let n = count else { throw .countNeeded(variable: "SLURM_ARRAY_TASK_ID") }
            guard let slice = ShardSlice(index: id - minimum, count: n) else {
                throw .outOfRange(shard: id - minimum + 1, count: n, source: "SLURM_ARRAY_TASK_ID=\(value) − SLURM_ARRAY_TASK_MIN=\(minimum)")
            }
            return slice
        }
        throw .noEnvironment
    }
}

/// A `--shard` value that names no shard.
public enum ShardSpecError: Error, Equatable, CustomStringConvertible {
    /// Not `K/N`, `auto/N` or `auto`.
    case malformed(String)
    /// K outside `1...N`.
    case outOfRange(shard: Int, count: Int, source: String)
    /// `auto` without a batch-system variable.
    case noEnvironment
    /// A variable that is not a whole number.
    case badVariable(name: String, value: String)
    /// `auto` with an index variable but no count.
    case countNeeded(variable: String)
    /// `/N` and `SLURM_ARRAY_TASK_COUNT` disagree.
    case countMismatch(given: Int, environment: Int)
    /// A Slurm array with a step.
    case steppedArray(step: String)

    public var description: String {
        switch self {
        case .malformed(let t): "error: --shard expects K/N (1-based, e.g. 2/8), auto/N or auto; got '\(t)'"
        case .outOfRange(let k, let n, let source): "error: shard \(k) of \(n) does not exist (from \(source)): K must be 1..\(n)"
        case .noEnvironment: "error: --shard auto reads JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or SLURM_ARRAY_TASK_ID (Slurm job array), and neither is set; give --shard K/N"
        case .badVariable(let name, let value): "error: \(name)='\(value)' is not a whole number"
        case .countNeeded(let v): "error: \(v) gives the shard but not the number of shards: write --shard auto/N"
        case .countMismatch(let given, let env): "error: --shard auto/\(given) but SLURM_ARRAY_TASK_COUNT=\(env): the array and N must agree"
        case .steppedArray(let step): "error: SLURM_ARRAY_TASK_STEP=\(step): --shard auto needs a contiguous array (e.g. --array=0-7)"
        }
    }
}
