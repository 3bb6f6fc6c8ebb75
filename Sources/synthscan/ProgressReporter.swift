import Foundation
import SynthScanCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Scan progress on standard error, one line overwritten in place: loading, then
/// `[12/28] privacy/distance-to-closest-record … 3.1 s`, with a rough ETA. Names, counts and times
/// only (never a data value), never on standard output.
///
/// Only on a terminal: off when standard error is not a TTY, with `--quiet`, or when `NO_PROGRESS`
/// or `CI` is set to anything non-empty, or TERM is `dumb`. Reports and exit codes are unchanged.
final class ProgressReporter: @unchecked Sendable {
    private let lock = NSLock()
    private let scanStart = DispatchTime.now().uptimeNanoseconds
    private var phase = ""
    private var phaseStart = DispatchTime.now().uptimeNanoseconds
    private var finishedRules = 0
    private var totalRules = 0
    private var ruleSeconds = 0.0
    private var pass: NeighbourPassProgress?
    /// Rules started and not yet finished, by index, with their line and start time: rules without
    /// nearest-record passes run two at a time, and the line shows the most recently started one.
    private var running: [Int: (text: String, start: UInt64)] = [:]
    private var timer: DispatchSourceTimer?

    /// Whether progress should be shown for this process.
    static func isEnabled(quiet: Bool, environment: [String: String] = ProcessInfo.processInfo.environment,
                          stderrIsTerminal: Bool = isatty(STDERR_FILENO) == 1) -> Bool {
        if quiet || !stderrIsTerminal { return false }
        for name in ["NO_PROGRESS", "CI"] { if let v = environment[name], !v.isEmpty { return false } }
        if environment["TERM"] == "dumb" { return false }
        return true
    }

    init() {
        // Re-draws the current line twice a second so a long rule shows its running time.
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        timer.schedule(deadline: .now() + 0.5, repeating: 0.5)
        timer.setEventHandler { [weak self] in self?.redraw() }
        timer.resume()
        self.timer = timer
        ProgressReporter.installInterruptHandler()
    }

    /// The engine's observer.
    func observe(_ event: ScanEvent) {
        lock.lock()
        defer { lock.unlock() }
        switch event {
        case .loadStarted:
            start("loading tables")
        case .tableLoaded(let role, let rows, _, let seconds):
            let rate = seconds > 0 ? " (\(Self.count(Int(Double(rows) / seconds))) rows/s)" : ""
            start("loaded \(role.rawValue): \(Self.count(rows)) rows in \(String(format: "%.1f", seconds)) s\(rate)")
        case .ruleStarted(let index, let count, let id):
            totalRules = count
            pass = nil
            start("[\(index)/\(count)] \(id)")
            running[index] = (phase, phaseStart)
        case .ruleFinished(let index, _, _, let seconds):
            finishedRules += 1
            ruleSeconds += seconds
            pass = nil
            running[index] = nil
            // The rule on the line finished while another still runs: show that one, with its own time.
            if let other = running.values.max(by: { $0.start < $1.start }), other.text != phase {
                phase = other.text
                phaseStart = other.start
                draw()
            }
        case .neighbourPass(let progress):
            pass = progress.done < progress.total ? progress : nil
        }
    }

    /// Stops the ticker and clears the progress line.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        timer?.cancel()
        timer = nil
        Self.emit("\r\u{1B}[K")
    }

    private func start(_ text: String) {
        phase = text
        phaseStart = DispatchTime.now().uptimeNanoseconds
        draw()
    }

    private func redraw() {
        lock.lock()
        defer { lock.unlock() }
        if timer != nil { draw() }
    }

    /// Draws the current phase with its running time and, once a rule has finished, a rough ETA
    /// (mean time per finished rule × rules left: rules differ a lot, hence "~").
    private func draw() {
        let now = DispatchTime.now().uptimeNanoseconds
        var line = phase + String(format: " … %.1f s", Double(now - phaseStart) / 1e9)
        if let pass {
            line += " · " + Self.passText(pass)
        } else if finishedRules > 0, totalRules > finishedRules {
            let eta = ruleSeconds / Double(finishedRules) * Double(totalRules - finishedRules)
            line += String(format: "  (elapsed %.0f s, ETA ~%.0f s)", Double(now - scanStart) / 1e9, eta)
        }
        Self.emit("\r\u{1B}[K" + line)
    }

    /// A running nearest-record pass: `nearest records synthetic→train 45% of 100,000, ETA 12 s`
    /// (the rate so far, the pass's own ETA: the passes dominate long scans).
    static func passText(_ pass: NeighbourPassProgress) -> String {
        let share = pass.total > 0 ? Double(pass.done) / Double(pass.total) : 0
        var text = "nearest records \(pass.pass) \(Int((share * 100).rounded(.down)))% of \(count(pass.total))"
        if pass.done > 0, pass.seconds > 0.5 {
            text += String(format: ", ETA %.0f s", pass.seconds / Double(pass.done) * Double(pass.total - pass.done))
        }
        return text
    }

    private static func emit(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    private static func count(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }

    /// Ctrl-C during a progress-showing scan: clear the progress line and exit with 130 (128 + SIGINT)
    /// at once. Only async-signal-safe calls (`write`, `_exit`). Nothing is half-written: reports are
    /// written after the scan, each to a temporary file renamed into place.
    private static func installInterruptHandler() {
        signal(SIGINT) { _ in
            let text: StaticString = "\r\u{1B}[Kinterrupted\n"
            _ = write(STDERR_FILENO, text.utf8Start, text.utf8CodeUnitCount)
            _exit(130)
        }
    }
}
