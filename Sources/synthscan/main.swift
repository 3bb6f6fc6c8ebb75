import ArgumentParser
import Foundation
import SynthScanCore

// Parses the command line and maps every error to the documented exit codes
// (ArgumentParser's own usage errors would otherwise exit with 64).
do {
    var command = try SynthScanCommand.parseAsRoot()
    try command.run()
} catch let exit as ExitCode {
    Foundation.exit(exit.rawValue)
} catch let error as UserFacingError {
    FileHandle.standardError.write(Data((error.description + "\n").utf8))
    Foundation.exit(ExitStatus.usageOrInput)
} catch {
    let code = SynthScanCommand.exitCode(for: error)
    if code == .success {
        SynthScanCommand.exit(withError: error) // --help, --version
    }
    let message = SynthScanCommand.fullMessage(for: error)
    if error is CleanExit || message.isEmpty {
        SynthScanCommand.exit(withError: error)
    }
    let isUsage = code == .validationFailure || code.rawValue == 64
    FileHandle.standardError.write(Data((message + "\n").utf8))
    Foundation.exit(isUsage ? ExitStatus.usageOrInput : ExitStatus.internalError)
}
