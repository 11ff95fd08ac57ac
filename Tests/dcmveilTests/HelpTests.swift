import Foundation
import Testing
import VeilTestSupport

/// The help a user reads, as swift-argument-parser's example tests check theirs: every command
/// answers `help`, and the options shared through option groups appear wherever they belong.
@Suite struct HelpTests {
    static let commands = ["keygen", "protect", "restore", "verify", "inspect", "manifest", "manifest merge", "evaluate",
                           "stego", "stego hide", "stego reveal", "sample", "send", "fetch"]

    func help(_ command: String) throws -> String {
        let result = try Command.run(["help"] + command.split(separator: " ").map(String.init), in: NSTemporaryDirectory())
        #expect(result.status == 0, "dcmveil help \(command): \(result.stderr)")
        return result.stdout
    }

    @Test(arguments: commands)
    func everyCommandHasHelp(_ command: String) throws {
        let text = try help(command)
        #expect(text.contains("USAGE: dcmveil \(command)"), "\(text)")
        #expect(text.contains("OVERVIEW:"))
    }

    @Test(arguments: ["restore", "verify", "inspect", "evaluate", "stego reveal"])
    func everyKeyTakesAPassphrase(_ command: String) throws {
        let text = try help(command)
        #expect(text.contains("--key <key>"))
        #expect(text.contains("--passphrase-file <passphrase-file>"))
    }

    @Test(arguments: ["protect", "restore", "verify"])
    func jobsAreOfferedOnce(_ command: String) throws {
        let options = try #require(try help(command).components(separatedBy: "OPTIONS:").last)
        #expect(options.components(separatedBy: "--jobs <jobs>").count == 2, "listed once among the options")
    }

    @Test func restoreRequiresTheKeyAndVerifyDoesNot() throws {
        #expect(try help("restore").contains(" --key <key> "))
        #expect(try help("verify").contains("[--key <key>]"))
    }

    @Test func theVersionIsPrinted() throws {
        let result = try Command.run(["--version"], in: NSTemporaryDirectory())
        #expect(result.status == 0)
        #expect(result.stdout.split(separator: ".").count == 3)
    }
}
