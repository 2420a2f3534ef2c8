import ArgumentParser
import Foundation
import NeuroCore
import NeuroFTag
import NeuroGLMHMM
import NeuroHomogenize
import NeuroHMM
import NeuroNTF
import NeuroPipeline
import NeuroTagging
import NeuroTensor

/// The options every analysis command (ntf, glmhmm, ftag) shares, with the same names, defaults and
/// meaning: the output file, the report directory and quiet.
struct OutputOptions: ParsableArguments {
    @Option(name: [.short, .customLong("output")], help: "Output NetCDF file.")
    var output: String

    @Option(help: "Also write an HTML + Markdown report with SVG figures into this directory.")
    var report: String?

    @Flag(name: .shortAndLong, help: "No progress bar or summary.")
    var quiet = false

    /// Runs `analysis` with a progress bar (library errors become messages naming the flags), then
    /// writes the output and the report page `name` and prints the summary unless quiet.
    func run<R: AnalysisResult>(input: String, inputs: [String], name: String, recordTiming: Bool,
                                _ analysis: (TerminalProgress) throws -> R) throws {
        let progress = TerminalProgress(enabled: !quiet && isatty(STDERR_FILENO) != 0)
        let result: R
        do { result = try analysis(progress) } catch {
            progress.finish()
            throw commandError(error, input: input)
        }
        let context = RunContext(commandLine: commandLineText(), inputs: inputs, recordTiming: recordTiming)
        let summary = try Pipeline.finish(result, output: output, report: report, name: name, context: context)
        if !quiet { print(summary) }
    }
}

/// Numbers and ranges (`1-5`, `2,4,6`) of an option's value.
func integerList(_ text: String, option: String, hint: String = "") throws -> [Int] {
    var out: [Int] = []
    for part in text.split(separator: ",") {
        let bounds = part.split(separator: "-").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        if bounds.count == 1, let r = bounds[0] { out.append(r) }
        else if bounds.count == 2, let a = bounds[0], let b = bounds[1], a <= b { out += Array(a...b) }
        else { throw ValidationError("\(option): cannot read '\(part)'\(hint)") }
    }
    return out
}

/// A library error as the command line reports it: errors of the data are prefixed with the input,
/// and errors about a setting name the flag that sets it (libraries name values, never flags).
func commandError(_ error: any Error, input: String) -> any Error {
    switch error {
    // homogenize
    case HomogenizeError.resamplerNotApplicable(let file, let name, let modality):
        let applicable = OutputGrid.resamplers(for: modality).map(\.rawValue).joined(separator: ", ")
        return CommandFailure("\(file): --resampler \(name) does not apply to \(modality == .calcium ? "calcium-imaging" : "EEG/MEG") recordings (use \(applicable))")
    case let error as RecordingError where error.problem.isNaNRun:
        return CommandFailure("\(error); use --nan-policy drop to mark such channels as not recorded")
    case let error as RecordingError where error.problem.isNonPositiveBaseline:
        return CommandFailure("\(error); use --normalize zscore or none")
    // ntf
    case TensorError.nonFinite(let index):
        return CommandFailure("\(input): NaN or infinite value at \(index) outside the mask (mark missing entries in a mask, or use --missing-nan)")
    case let TensorError.negativeEntry(index, value):
        return CommandFailure("\(input): negative entry \(value) at \(index), but every mode is non-negative (use --solver als or --signed-modes)")
    case let error as TensorError:
        return CommandFailure("\(input): \(error)")
    case NTFError.tensorKindNeeded(let path):
        return CommandFailure("\(path) is a homogenized file: choose --tensor trials or --tensor connectome")
    case NTFError.needsHomogenized(.connectome):
        return CommandFailure("--tensor connectome needs a homogenized calcium file (neurotool homogenize)")
    case NTFError.needsHomogenized(.trials):
        return CommandFailure("--tensor trials needs a homogenized file (neurotool homogenize)")
    case let NTFError.startRankMismatch(path, rank, ranks):
        return CommandFailure("\(path): starting factors have rank \(rank), but --rank/--ranks asks for \(ranks)")
    case let NTFError.selectedRankNotFitted(rank, ranks):
        return CommandFailure("\(input): --select-rank \(rank) is not among the fitted ranks \(ranks)")
    // ftag
    case FTagError.tooFewHarmonics:
        return CommandFailure("\(input): --harmonics must be at least 1")
    case FTagError.tooFewBins(let tag, _):
        return CommandFailure("\(input): not enough frequency bins around \(tag) Hz for the noise estimate (DC and other tags excluded): use longer epochs or fewer --neighbors")
    case let error as FTagError:
        return CommandFailure("\(input): \(error)")
    case FTagInputError.rateNeeded(let path):
        return CommandFailure("\(path): rate: an array needs its sampling rate: give --rate HZ")
    case FTagInputError.arrayHasTrials(let path):
        return CommandFailure("\(path): epoch: the array already has trials; drop --epoch window:")
    case FTagInputError.arrayHasNoEvents(let path):
        return CommandFailure("\(path): epoch: an array has no events; use --epoch window:SECONDS or give trials as a third dimension")
    case FTagRunError.unreadableEpoch:
        return ValidationError("--epoch must be events:LABEL or window:SECONDS")
    case FTagRunError.unreadableBand:
        return ValidationError("--rsa-band must be LOW-HIGH in Hz")
    case FTagRunError.tooFewConditions:
        return ValidationError("--conditions needs at least two event labels")
    // glmhmm
    case let error as GLMHMMError:
        return CommandFailure("\(input): \(error)")
    case GLMHMMRunError.unreadableStates(let part):
        return ValidationError("--states: cannot read '\(part)'")
    case GLMHMMRunError.unknownPrior(let p):
        return ValidationError("--prior must be none, gaussian or onehot (got '\(p)')")
    case GLMHMMRunError.binWidthNeeded(let path):
        return CommandFailure("\(path): bin width: a spike-time table needs --bin-width SECONDS")
    case GLMHMMRunError.noSharedNeurons(let path):
        return CommandFailure("\(path): channels: no labelled channel is recorded in every recording; choose recordings that share neurons with --recordings")
    case GLMHMMRunError.covariatesWithTestFile:
        return CommandFailure("--covariates with --test: give held-out covariates by holding out with --test-fraction instead")
    default:
        return error
    }
}
