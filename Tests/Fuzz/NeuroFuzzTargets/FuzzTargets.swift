import Foundation
import NeuroCore
import NeuroFTag
import NeuroGLMHMM
import NeuroHMM
import NeuroHomogenize
import NeuroIO
import NeuroNTF
import NeuroStore
import NeuroTagging
import NeuroTensor

extension FuzzTarget {
    /// Every target: one per reader (and per file of the multi-file formats whose files are parsed
    /// apart), the homogenization pipeline on both kinds of recording, and the inputs `ntf`, `glmhmm`
    /// and `ftag` take. Seeds are committed fixtures, small ones where the format has them.
    public static let all: [FuzzTarget] = [
        FuzzTarget("edf", "EDF/EDF+ header, annotations and records", input: "fuzz.edf", seeds: [
            "Tests/Fixtures/eeg/roundtrip/mne_export.edf", "Tests/Fixtures/eeg/roundtrip/edfplus_discontinuous.edf",
            "Tests/Fixtures/eeg/roundtrip/pyedflib_halfsecond.edf", "Tests/Fixtures/eeg/roundtrip/pyedflib_mixed_rates.edf",
        ], body: reading("edf")),
        FuzzTarget("bdf", "BDF (24-bit) header and records", input: "fuzz.bdf",
                   seeds: ["Tests/Fixtures/eeg/roundtrip/pyedflib_24bit.bdf"], body: reading("edf")),
        FuzzTarget("brainvision-header", "BrainVision .vhdr (with fixed .vmrk and .eeg beside it)", input: "fuzz.vhdr",
                   companions: brainVisionSets.flatMap { ["\(roundtrip)/\($0).vmrk", "\(roundtrip)/\($0).eeg"] },
                   seeds: brainVisionSets.map { "\(roundtrip)/\($0).vhdr" }, body: reading("brainvision")),
        FuzzTarget("brainvision-markers", "BrainVision .vmrk (of a fixed .vhdr and .eeg)", input: "mne_export.vmrk",
                   open: "mne_export.vhdr", companions: ["\(roundtrip)/mne_export.vhdr", "\(roundtrip)/mne_export.eeg"],
                   seeds: ["\(roundtrip)/mne_export.vmrk"], body: reading("brainvision")),
        FuzzTarget("fif", "FIF tag tree, measurement info, data buffers, annotations", input: "fuzz_raw.fif", seeds: [
            "Tests/Fixtures/fif/meg_raw_short.fif", "Tests/Fixtures/fif/annot_raw.fif",
        ], body: reading("fif")),
        FuzzTarget("eeglab", "EEGLAB .set in MAT v5, samples embedded or in a fixed .fdt", input: "fuzz.set",
                   companions: ["Tests/Fixtures/eeglab/fdt_raw.fdt"], seeds: [
                       "Tests/Fixtures/eeglab/export_raw.set", "Tests/Fixtures/eeglab/fdt_raw.set",
                   ], body: reading("eeglab")),
        FuzzTarget("eeglab-v73", "EEGLAB .set in MAT v7.3 (HDF5)", input: "fuzz.set",
                   seeds: ["Tests/Fixtures/eeglab/v73_raw.set"], body: reading("eeglab")),
        FuzzTarget("matlab-v5", "MAT v5 through libmatio: cells, NeuroPAL and per-worm layouts", input: "fuzz.mat", seeds: [
            "Tests/Fixtures/matlab_v5/cells.mat", "Tests/Fixtures/matlab_v5/compressed.mat", "Tests/Fixtures/matlab_v5/generic.mat",
            "Tests/Fixtures/matlab_v5/single.mat", "Datasets/celegans/lin2023/worm2.mat",
        ], body: reading("matlab")),
        FuzzTarget("matlab-v73", "MAT v7.3 (HDF5): the Kato 2015 struct of per-worm cells", input: "WT_NoStim.mat",
                   seeds: ["Datasets/celegans/kato2015/WT_NoStim.mat"], body: reading("matlab")),
        FuzzTarget("nwb", "NWB imaging: RoiResponseSeries, ROI tables and labels", input: "fuzz.nwb",
                   seeds: ["Datasets/celegans/nejatbakhsh2020/worm2.nwb"], body: reading("nwb", ["labels": "ID_labels"])),
        FuzzTarget("nwb-ecephys", "NWB extracellular: ElectricalSeries and electrodes", input: "fuzz.nwb",
                   seeds: ["Tests/Fixtures/nwb_ecephys/ecephys.nwb"], body: reading("nwb-ecephys")),
        FuzzTarget("hdf5", "HDF5 datasets named by options (the Flavell layout)", input: "fuzz.h5",
                   seeds: ["Datasets/celegans/flavell2023/worm1.h5"], body: reading("hdf5", [
                       "data": "/trace_array", "time": "/timestamp_confocal", "labels": "/neuron_labels", "layout": "channel-time",
                   ])),
        FuzzTarget("netcdf", "NetCDF-4 traces (the Nichols layout)", input: "fuzz.nc",
                   seeds: ["Datasets/celegans/nichols2017/worms.nc"], body: reading("netcdf")),
        FuzzTarget("npy", "suite2p F.npy (with a fixed iscell.npy)", input: "F.npy",
                   companions: ["Datasets/suite2p_mouse/plane0/iscell.npy"],
                   seeds: ["Datasets/suite2p_mouse/plane0/F.npy"], body: reading("npy", ["rate": "30"])),
        // Text targets start from the first 40 rows of the demo files as well (Tests/Fuzz/seeds): parsing the
        // whole files takes a fuzz build 50 ms an input.
        FuzzTarget("triplet", "text triplets: the traces (*_gcamp.txt) of fixed labels and times", input: "0_gcamp.txt",
                   companions: ["\(shortTriplet)/0_labels.txt", "\(shortTriplet)/0_t.txt"],
                   seeds: ["\(shortTriplet)/0_gcamp.txt"], body: reading("triplet")),
        FuzzTarget("triplet-times", "text triplets: the times (*_t.txt) and labels of fixed traces", input: "0_t.txt",
                   open: "0_gcamp.txt", companions: ["\(shortTriplet)/0_labels.txt", "\(shortTriplet)/0_gcamp.txt"],
                   seeds: ["\(shortTriplet)/0_t.txt"], body: reading("triplet")),
        FuzzTarget("csv", "CSV: a time column and one column per neuron", input: "fuzz.csv",
                   seeds: ["Tests/Fuzz/seeds/worm1-head.csv"], body: reading("csv")),
        FuzzTarget("homogenize-edf", "the whole continuous pipeline (filters, resampling, writing) on an EDF", input: "fuzz.edf",
                   seeds: ["Tests/Fixtures/eeg/roundtrip/mne_export.edf", "Tests/Fixtures/eeg/roundtrip/pyedflib_mixed_rates.edf"],
                   body: homogenizing(continuous: true)),
        FuzzTarget("homogenize-csv", "the whole calcium pipeline (labels, gaps, resampling, writing) on a CSV", input: "fuzz.csv",
                   seeds: ["Tests/Fuzz/seeds/worm1-head.csv"], body: homogenizing(continuous: false)),
        FuzzTarget("analysis-npy", "an NPY array as ntf, glmhmm and ftag take it", input: "fuzz.npy", seeds: [
            "Tests/Fixtures/ntf/planted3.npy", "Tests/Fixtures/glmhmm/poisson_hmm_counts.npy",
        ], body: analysisInputs),
        FuzzTarget("analysis-hdf5", "an HDF5 array file (ntf initial factors; its /factor0) as ntf, glmhmm and ftag take it", input: "fuzz.h5",
                   seeds: ["Tests/Fixtures/ntf/planted3_init.h5"], body: analysisInputs),
        FuzzTarget("analysis-homogenized", "a homogenized file as ntf, glmhmm and ftag take it", input: "fuzz.nc", seeds: [
            "Tests/Fuzz/seeds/homogenized-calcium.nc", "Tests/Fuzz/seeds/homogenized-eeg.nc",
        ], body: analysisInputs),
    ]

    static let roundtrip = "Tests/Fixtures/eeg/roundtrip"
    /// The most values the analysis targets fit models to (a few milliseconds a fit in a fuzz build).
    static let smallData = 20_000
    static let shortTriplet = "Tests/Fuzz/seeds/triplet"
    static let brainVisionSets = ["mne_export", "pybv_int16", "pybv_float32", "brainvision_vectorized", "brainvision_int32_latin1"]

    /// Opens the file with `reader` and reads every block of every recording.
    static func reading(_ reader: String, _ options: [String: String] = [:]) -> @Sendable (String, String) throws -> Void {
        { path, _ in
            let source = try Readers.open(path, reader: reader, options: ReaderOptions(options))
            for index in source.recordingNames.indices {
                let stream = try source.recording(index)
                for block in 0..<stream.blockCount { _ = try stream.readBlock(block) }
            }
        }
    }

    /// Homogenizes the file with the default options (EEG: 256 Hz; calcium: every step at its default)
    /// into the scratch directory.
    static func homogenizing(continuous: Bool) -> @Sendable (String, String) throws -> Void {
        { path, scratch in
            var options = HomogenizeOptions()
            if !continuous { options.calcium.minSamples = 10 }
            _ = try Homogenizer.run(inputs: [HomogenizationInput(path: path)], output: "\(scratch)/out.nc", title: "fuzz",
                                    options: options, provenance: Provenance(toolVersion: "fuzz", commandLine: "fuzz"))
        }
    }

    /// Loads the file as each analysis does: an array or homogenized tensor for `ntf`, sequences for
    /// `glmhmm`, epochs for `ftag`, and when the data are small (at most ``smallData`` values) runs a few
    /// iterations of each analysis on them, whatever values they hold (NaN, infinities, negatives). Each
    /// may refuse; none may crash.
    @Sendable static func analysisInputs(_ path: String, _ scratch: String) throws {
        var refusals: [String] = []
        func attempt(_ body: () throws -> Void) {
            do { try body() } catch { refusals.append(FuzzWorkspace.oneLine(error, target: "analysis")) }
        }
        let homogenized = NTFInput.isHomogenized(path)
        // An HDF5 array file holds several arrays: the loaders are given the first factor by name.
        let location = path.hasSuffix(".h5") ? "\(path):/factor0" : path
        attempt {
            if homogenized {
                _ = try NTFInput.load(path, recipe: .connectome(ConnectomeOptions(window: 5, minWorms: 1)))
                _ = try NTFInput.load(path, recipe: .trials(.windows(seconds: 5), shiftToNonnegative: true))
            } else {
                let input = try NTFInput.load(location, recipe: .array, missingNaN: true)
                guard input.tensor.values.count <= smallData else { return }
                var options = CPOptions(rank: 2)
                options.maxIterations = 3
                _ = try fitCP(input.tensor, weights: input.mask, options: options)
            }
        }
        attempt {
            let data = try GLMHMMInput.load(location)
            guard data.sequences.map({ $0.activity.values.count }).reduce(0, +) <= smallData else { return }
            var options = GLMHMMOptions(states: 2)
            options.iterations = 2
            // Counts get the Poisson emission; anything else (calcium traces, damaged values) the Gaussian.
            if !data.sequences.allSatisfy({ $0.activity.values.allSatisfy { $0 >= 0 && $0 == $0.rounded() } }) {
                options.emission = .gaussian
            }
            _ = try GLMHMMFitter.fit(data.sequences, options: options)
        }
        attempt {
            let epochs = try FTagInput.load(location, rate: 100, epochs: .windows(seconds: 1), lowestTag: 1)
            guard epochs.values.count <= smallData else { return }
            _ = SpectralEstimation.compute(epochs, options: FTagOptions(tags: [1, 2]))
        }
        if let first = refusals.first, refusals.count == 3 { throw FuzzRefusal(text: first) }
    }
}

/// The first of several refusals, when every loader refused the input.
struct FuzzRefusal: Error, CustomStringConvertible {
    let text: String
    var description: String { text }
}
