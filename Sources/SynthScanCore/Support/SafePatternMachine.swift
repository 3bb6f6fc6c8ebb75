// The compiled program and Pike VM of SafePattern (split from SafePattern.swift).

extension SafePattern {
    // MARK: - Program

    /// One VM instruction.
    struct Instruction: Sendable {
        /// What the instruction does.
        enum Operation: UInt8, Sendable {
            /// Consume one byte in `set`, then continue at `x`.
            case byte
            /// Continue at both `x` and `y`.
            case split
            /// Continue at `x` if at the start of the text.
            case assertStart
            /// Continue at `x` if at the end of the text.
            case assertEnd
            /// The pattern has matched.
            case match
        }

        /// What the instruction does.
        var operation: Operation
        /// The continuation (`byte`, asserts) or first branch (`split`).
        var x: Int32
        /// The second branch (`split` only).
        var y: Int32
        /// The bytes a `byte` instruction accepts.
        var set: ByteSet
    }

    /// Compiles a tree to a program, back to front: each node is compiled knowing where to continue.
    struct Compiler {
        /// Instructions emitted so far.
        var instructions: [Instruction] = []
        /// The outermost repetition being expanded (for the size error), if any.
        var outerRepetition: (offset: Int, text: String)?

        /// Compiles `tree` (entry, instructions) or fails if the program would be too large.
        static func compile(_ tree: PatternNode) throws(SafePatternError) -> Program {
            var compiler = Compiler()
            let match = try compiler.emit(Instruction(operation: .match, x: 0, y: 0, set: ByteSet()))
            let start = try compiler.compile(tree, next: match)
            return Program(instructions: compiler.instructions, start: start,
                           anchoredAtStart: tree.isAnchoredAtStart, firstBytes: compiler.firstBytes(from: start))
        }

        /// Appends an instruction, enforcing the size limit.
        mutating func emit(_ instruction: Instruction) throws(SafePatternError) -> Int32 {
            if instructions.count >= SafePattern.maxInstructionCount {
                if let outer = outerRepetition {
                    throw SafePatternError(offset: outer.offset, message: "pattern too large: repeating '\(outer.text)' needs more than \(SafePattern.maxInstructionCount) instructions")
                }
                throw SafePatternError(offset: 0, message: "pattern too large: it needs more than \(SafePattern.maxInstructionCount) instructions")
            }
            instructions.append(instruction)
            return Int32(instructions.count - 1)
        }

        /// A byte instruction.
        mutating func byte(_ set: ByteSet, _ next: Int32) throws(SafePatternError) -> Int32 {
            try emit(Instruction(operation: .byte, x: next, y: 0, set: set))
        }

        /// A split instruction.
        mutating func split(_ a: Int32, _ b: Int32) throws(SafePatternError) -> Int32 {
            try emit(Instruction(operation: .split, x: a, y: b, set: ByteSet()))
        }

        /// Compiles `node` to continue at `next`; returns its entry.
        mutating func compile(_ node: PatternNode, next: Int32) throws(SafePatternError) -> Int32 {
            switch node {
            case .empty:
                return next
            case .textStart:
                return try emit(Instruction(operation: .assertStart, x: next, y: 0, set: ByteSet()))
            case .textEnd:
                return try emit(Instruction(operation: .assertEnd, x: next, y: 0, set: ByteSet()))
            case .bytes(let bytes):
                var entry = next
                for b in bytes.reversed() { entry = try byte(.range(b, b), entry) }
                return entry
            case .scalar(let set):
                return try compileScalar(set, next: next)
            case .concat(let parts):
                var entry = next
                for part in parts.reversed() { entry = try compile(part, next: entry) }
                return entry
            case .alternate(let branches):
                var entry = try compile(branches[branches.count - 1], next: next)
                for branch in branches.dropLast().reversed() {
                    entry = try split(try compile(branch, next: next), entry)
                }
                return entry
            case .repetition(let sub, let min, let max, let offset, let text):
                let isOuter = outerRepetition == nil
                if isOuter { outerRepetition = (offset, text) }
                defer { if isOuter { outerRepetition = nil } }
                var entry: Int32
                if let max {
                    // Optional copies, innermost first: each may stop and continue at `next`.
                    entry = next
                    for _ in 0..<(max - min) {
                        entry = try split(try compile(sub, next: entry), next)
                    }
                    for _ in 0..<min { entry = try compile(sub, next: entry) }
                } else {
                    // loop: split(body, next); body continues at loop. `x+` enters at the body.
                    let loop = try split(0, next)
                    let body = try compile(sub, next: loop)
                    instructions[Int(loop)].x = body
                    entry = min == 0 ? loop : body
                    for _ in 0..<Swift.max(0, min - 1) { entry = try compile(sub, next: entry) }
                }
                return entry
            }
        }

        /// One scalar from `set`: a byte test for the ASCII part, plus, when non-ASCII scalars are
        /// members, the well-formed UTF-8 multi-byte sequences of RFC 3629 §4.
        mutating func compileScalar(_ set: ScalarClass, next: Int32) throws(SafePatternError) -> Int32 {
            guard set.nonASCII else { return try byte(set.ascii, next) }
            let tail = ByteSet.range(0x80, 0xBF)
            let tail1 = try byte(tail, next)
            let tail2 = try byte(tail, tail1)
            let tail3 = try byte(tail, tail2)
            var entries: [Int32] = []
            if !set.ascii.isEmpty { entries.append(try byte(set.ascii, next)) }
            entries.append(try byte(.range(0xC2, 0xDF), tail1))
            entries.append(try byte(.range(0xE0, 0xE0), try byte(.range(0xA0, 0xBF), tail1)))
            entries.append(try byte(ByteSet.range(0xE1, 0xEC).union(.range(0xEE, 0xEF)), tail2))
            entries.append(try byte(.range(0xED, 0xED), try byte(.range(0x80, 0x9F), tail1)))
            entries.append(try byte(.range(0xF0, 0xF0), try byte(.range(0x90, 0xBF), tail2)))
            entries.append(try byte(.range(0xF1, 0xF3), tail3))
            entries.append(try byte(.range(0xF4, 0xF4), try byte(.range(0x80, 0x8F), tail2)))
            var entry = entries[entries.count - 1]
            for e in entries.dropLast().reversed() { entry = try split(e, entry) }
            return entry
        }

        /// Bytes that can be consumed first from `start` (assertions are followed, conservatively).
        func firstBytes(from start: Int32) -> ByteSet {
            var seen = [Bool](repeating: false, count: instructions.count)
            var stack = [start]
            var set = ByteSet()
            while let pc = stack.popLast() {
                if seen[Int(pc)] { continue }
                seen[Int(pc)] = true
                let inst = instructions[Int(pc)]
                switch inst.operation {
                case .byte: set = set.union(inst.set)
                case .split: stack.append(inst.x); stack.append(inst.y)
                case .assertStart, .assertEnd: stack.append(inst.x)
                case .match: break
                }
            }
            return set
        }
    }

    /// A compiled pattern and its simulation.
    struct Program: Sendable {
        /// The instructions; index 0 is `match`.
        let instructions: [Instruction]
        /// Entry point.
        let start: Int32
        /// Whether every match starts at offset 0 (then only one thread set is ever started).
        let anchoredAtStart: Bool
        /// Bytes a match can begin with; used to skip ahead while no thread is alive.
        let firstBytes: ByteSet

        /// Simulates the NFA over `bytes`: `whole` requires the match to span all of them, otherwise
        /// a match may start and end anywhere. Time O(bytes × instructions); no allocation per byte
        /// (the two thread lists, the closure stack and the marks are allocated once per call).
        func run(_ bytes: UnsafeRawBufferPointer, whole: Bool) -> Bool {
            let count = instructions.count
            return instructions.withUnsafeBufferPointer { code in
                withUnsafeTemporaryAllocation(of: Int32.self, capacity: 3 * count) { lists in
                    withUnsafeTemporaryAllocation(of: Int.self, capacity: count) { marks in
                        marks.initialize(repeating: -1)
                        var vm = Machine(code: code.baseAddress!, marks: marks.baseAddress!,
                                         stack: lists.baseAddress! + 2 * count, end: bytes.count)
                        return vm.run(bytes, current: lists.baseAddress!, next: lists.baseAddress! + count,
                                      start: start, seedEverywhere: !whole && !anchoredAtStart,
                                      whole: whole, firstBytes: firstBytes)
                    }
                }
            }
        }
    }

    /// The Pike VM state for one call: thread lists are sets of `byte` instructions waiting for the
    /// next input byte; `marks[pc] == position` means pc was already added at this position.
    struct Machine {
        /// The program.
        let code: UnsafePointer<Instruction>
        /// Per instruction, the last position at which it was added to a thread list.
        let marks: UnsafeMutablePointer<Int>
        /// Work stack for epsilon closures (at most one entry per instruction).
        let stack: UnsafeMutablePointer<Int32>
        /// Input length.
        let end: Int

        /// Adds the epsilon closure of `pc` at `position` to `list`; returns whether `match` was reached.
        @inline(__always)
        mutating func addClosure(_ pc: Int32, at position: Int, to list: UnsafeMutablePointer<Int32>, count: inout Int) -> Bool {
            if marks[Int(pc)] == position { return false }
            marks[Int(pc)] = position
            var depth = 0
            stack[0] = pc
            depth = 1
            var matched = false
            while depth > 0 {
                depth -= 1
                let current = stack[depth]
                let inst = code[Int(current)]
                var follow: Int32 = -1, also: Int32 = -1
                switch inst.operation {
                case .byte:
                    list[count] = current
                    count += 1
                case .match:
                    matched = true
                case .split:
                    follow = inst.x
                    also = inst.y
                case .assertStart:
                    if position == 0 { follow = inst.x }
                case .assertEnd:
                    if position == end { follow = inst.x }
                }
                if also >= 0 && marks[Int(also)] != position {
                    marks[Int(also)] = position
                    stack[depth] = also
                    depth += 1
                }
                if follow >= 0 && marks[Int(follow)] != position {
                    marks[Int(follow)] = position
                    stack[depth] = follow
                    depth += 1
                }
            }
            return matched
        }

        /// The simulation loop.
        mutating func run(_ bytes: UnsafeRawBufferPointer, current: UnsafeMutablePointer<Int32>,
                          next: UnsafeMutablePointer<Int32>, start: Int32, seedEverywhere: Bool,
                          whole: Bool, firstBytes: ByteSet) -> Bool {
            var clist = current, nlist = next
            var ccount = 0
            var position = 0
            var matched = addClosure(start, at: 0, to: clist, count: &ccount)
            while true {
                if matched && (!whole || position == end) { return true }
                if position == end { return false }
                if ccount == 0 {
                    if !seedEverywhere { return false }
                    // Nothing alive: jump to the next byte that can begin a match (or the end).
                    var p = position + 1
                    while p < end && !firstBytes.contains(bytes[p]) { p += 1 }
                    position = p
                    matched = addClosure(start, at: position, to: clist, count: &ccount)
                    continue
                }
                let b = bytes[position]
                let following = position + 1
                var ncount = 0
                matched = false
                for k in 0..<ccount {
                    let inst = code[Int(clist[k])]
                    if inst.set.contains(b) && addClosure(inst.x, at: following, to: nlist, count: &ncount) {
                        matched = true
                        if !whole { return true }
                    }
                }
                if seedEverywhere && addClosure(start, at: following, to: nlist, count: &ncount) {
                    matched = true
                }
                swap(&clist, &nlist)
                ccount = ncount
                position = following
            }
        }
    }
}
