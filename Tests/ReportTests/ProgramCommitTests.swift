import Foundation
import XCTest
@testable import Report

/// run.json's `programCommit` is read from .git without running git; in a linked worktree
/// (`git worktree add`) `.git` is a file pointing at the worktree's git directory, whose
/// `commondir` holds the branch refs.
final class ProgramCommitTests: XCTestCase {
    func testHeadCommitOfALinkedWorktree() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("entropybook-git-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let sha = String(repeating: "ab", count: 20)
        let common = root.appendingPathComponent("main/.git")
        let linked = common.appendingPathComponent("worktrees/w")
        try FileManager.default.createDirectory(at: common.appendingPathComponent("refs/heads"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: linked, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("w"), withIntermediateDirectories: true)
        try (sha + "\n").write(to: common.appendingPathComponent("refs/heads/b"), atomically: true, encoding: .utf8)
        try "ref: refs/heads/b\n".write(to: linked.appendingPathComponent("HEAD"), atomically: true, encoding: .utf8)
        try "../..\n".write(to: linked.appendingPathComponent("commondir"), atomically: true, encoding: .utf8)
        try "gitdir: \(linked.path)\n".write(to: root.appendingPathComponent("w/.git"), atomically: true, encoding: .utf8)
        XCTAssertEqual(ProgramCommit.headCommit(root.appendingPathComponent("w")), sha)
        try "ref: refs/heads/b\n".write(to: common.appendingPathComponent("HEAD"), atomically: true, encoding: .utf8)
        XCTAssertEqual(ProgramCommit.headCommit(root.appendingPathComponent("main")), sha)
    }
}
