import NeuroCore
/// Path arithmetic on plain strings, where Foundation's cannot be trusted.
///
/// `NSString.deletingLastPathComponent` in the Foundation this toolchain ships traps (`Illegal
/// instruction`) on a one-character relative path such as `o` or `a/`, so an output named `-o o`, or a
/// path read from a damaged file, crashed the tool. Every directory-of-a-path computation goes through
/// ``directory(of:)`` instead.
public enum PathText {
    /// The path without its last component, as `NSString.deletingLastPathComponent` defines it:
    /// `/a/b` → `/a`, `/a` → `/`, `a/b/` → `a`, `a` → `""`, `/` → `/`.
    public static func directory(of path: String) -> String {
        var p = Substring(path)
        while p.count > 1 && p.hasSuffix("/") { p = p.dropLast() }
        guard let slash = p.lastIndex(of: "/") else { return "" }
        var directory = p[..<slash]
        while directory.count > 1 && directory.hasSuffix("/") { directory = directory.dropLast() }
        return directory.isEmpty ? "/" : String(directory)
    }
}
