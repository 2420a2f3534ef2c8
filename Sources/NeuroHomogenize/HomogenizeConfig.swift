import Foundation
import NeuroCore
import NeuroIO

/// Everything a homogenization run needs besides provenance: the inputs (from the command line and a
/// manifest), the output, the title and the options.
public struct HomogenizeConfig: Sendable {
    /// The recordings' files, in order, each with its reader, options and lab.
    public var inputs: [HomogenizationInput]
    /// The common-format file to write.
    public var output: String
    /// The dataset's title.
    public var title: String
    /// Files read besides the recordings (the manifest, a channel list): checksummed into provenance.
    public var otherInputs: [String]
    /// The options.
    public var options: HomogenizeOptions

    /// A run over `arguments` (each `PATH[:key=value…]`) and the sources of `manifest`, reading every
    /// input with `reader` when given (else recognised per file) and `readerOptions` (a manifest's own
    /// settings take precedence). The title is `title`, else the manifest's name, else the output's stem.
    /// `channelList` is the file the channel order came from, if any. Throws when the manifest cannot be
    /// read.
    public init(arguments: [String], manifest: String? = nil, reader: String? = nil,
                readerOptions: ReaderOptions = ReaderOptions(), output: String, title: String? = nil,
                channelList: String? = nil, options: HomogenizeOptions) throws {
        var inputs: [HomogenizationInput] = []
        var name = title ?? ((output as NSString).lastPathComponent as NSString).deletingPathExtension
        var others: [String] = []
        if let manifest {
            let m = try Manifest.load(manifest)
            inputs += m.inputs
            if title == nil { name = m.name }
            others.append(manifest)
        }
        if let channelList { others.append(channelList) }
        inputs += arguments.map(HomogenizationInput.parse)
        self.inputs = inputs.map { input in
            var input = input
            input.reader = input.reader ?? reader
            input.options = readerOptions.merging(input.options)
            return input
        }
        self.output = output
        self.title = name
        self.otherInputs = others
        self.options = options
    }
}
