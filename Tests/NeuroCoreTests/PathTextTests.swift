import Foundation
import NeuroCore
import Testing

@Suite("Path arithmetic without Foundation's one-character trap")
struct PathTextTests {
    @Test("agrees with NSString.deletingLastPathComponent where that does not trap", arguments: [
        "/a/b", "/a/b/", "/a", "/", "a/b", "a/b/c.nc", "ab", "ab/", "./x.nc", "../data/file.edf", "/tmp/dir//file", "worm1.csv",
    ])
    func agreesWithFoundation(path: String) {
        #expect(PathText.directory(of: path) == (path as NSString).deletingLastPathComponent)
    }

    @Test("one-character relative paths, which trap in Foundation", arguments: [("a", ""), ("a/", ""), ("a//", ""), ("o", ""), ("d/o", "d"), ("/o", "/")])
    func oneCharacter(path: String, directory: String) {
        #expect(PathText.directory(of: path) == directory)
    }
}
