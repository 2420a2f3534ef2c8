// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "neurotool",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "neurotool", targets: ["neurotool"]),
        .library(name: "NeuroCore", targets: ["NeuroCore"]),
        .library(name: "NeuroIO", targets: ["NeuroIO"]),
        .library(name: "NeuroStore", targets: ["NeuroStore"]),
        .library(name: "NeuroDSP", targets: ["NeuroDSP"]),
        .library(name: "NeuroHomogenize", targets: ["NeuroHomogenize"]),
        .library(name: "NeuroTensor", targets: ["NeuroTensor"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // MARK: - C system libraries (Debian -dev packages), each imported by exactly one Swift module
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5-serial", providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "CNetCDF", pkgConfig: "netcdf", providers: [.apt(["libnetcdf-dev"])]),
        .systemLibrary(name: "CFFTW", pkgConfig: "fftw3", providers: [.apt(["libfftw3-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CLAPACKE", pkgConfig: "lapacke", providers: [.apt(["liblapacke-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLibDeflate", pkgConfig: "libdeflate", providers: [.apt(["libdeflate-dev"])]),
        /// glibc's vector math library (libmvec, part of libc6-dev): element-wise exp/log over arrays.
        .systemLibrary(name: "CVectorMath"),
        .systemLibrary(name: "CMatio", pkgConfig: "matio", providers: [.apt(["libmatio-dev"])]),

        // MARK: - Libraries (all the logic lives here)
        /// Plain data types (recordings, channels, events, provenance), canonical neuron names, errors.
        .target(name: "NeuroCore"),
        /// Matrices and the BLAS/LAPACK calls the algorithms need, and vector math (libmvec); the only importer of OpenBLAS/LAPACKE/libmvec.
        .target(name: "NeuroLinAlg", dependencies: ["NeuroCore", "COpenBLAS", "CLAPACKE", "CVectorMath"]),
        /// FFT plans and spectra; the only importer of FFTW.
        .target(name: "NeuroSpectral", dependencies: [
            "NeuroCore", "CFFTW", .product(name: "Numerics", package: "swift-numerics"),
        ]),
        /// Signal processing on time series: interpolation, resampling, smoothing, normalisation.
        .target(name: "NeuroDSP", dependencies: ["NeuroCore", "NeuroLinAlg", "NeuroSpectral"]),
        /// The native file layer, an implementation detail (its API is `package`, never `public`): HDF5 and
        /// NetCDF handles, MAT-files of both families, chunk compression, the I/O lock; the only importer of
        /// HDF5/NetCDF/matio/libdeflate.
        .target(name: "NeuroNative", dependencies: ["NeuroCore", "CHDF5", "CMatio", "CNetCDF", "CLibDeflate"]),
        /// What analyses read and write: the common format, result files, array files, NPY, checksums,
        /// atomic output; the only importer of swift-crypto.
        .target(name: "NeuroStore", dependencies: ["NeuroCore", "NeuroNative", .product(name: "Crypto", package: "swift-crypto")]),
        /// The readers: one per format behind one protocol, and their registry.
        .target(name: "NeuroIO", dependencies: ["NeuroCore", "NeuroNative", "NeuroStore"]),
        /// The homogenization pipeline: readers -> label cleaning -> smoothing -> resampling -> common format.
        .target(name: "NeuroHomogenize", dependencies: ["NeuroCore", "NeuroDSP", "NeuroIO", "NeuroPipeline", "NeuroReport", "NeuroSpectral", "NeuroStore"]),
        /// SVG figures (rasters embedded as PNG through zlib) and HTML/Markdown reports.
        .target(name: "NeuroReport", dependencies: ["NeuroCore", "CZlib"]),

        .target(name: "NeuroTensor", dependencies: ["NeuroCore", "NeuroLinAlg"]),
        .target(name: "NeuroGraph", dependencies: ["NeuroCore"]),
        /// The end of every analysis pipeline: provenance parameters, run context, writing the file and the report page.
        .target(name: "NeuroPipeline", dependencies: ["NeuroCore", "NeuroReport"]),
        /// GLM-HMM algorithms (pure): history bases, emissions, HMM inference, EM fitting, evaluation, simulation, state matching.
        .target(name: "NeuroHMM", dependencies: ["NeuroCore", "NeuroLinAlg", "CVectorMath"]),
        /// The `glmhmm` analysis: input, model selection, alignment, connectome comparison, output file and report page.
        .target(name: "NeuroGLMHMM", dependencies: ["NeuroCore", "NeuroHMM", "NeuroPipeline", "NeuroStore", "NeuroReport"]),
        /// Frequency-tagging algorithms (pure): epoched data, spectra, tag statistics, the HFTP test, RSA.
        .target(name: "NeuroTagging", dependencies: ["NeuroCore", "NeuroLinAlg", "NeuroSpectral",
                                                     .product(name: "Numerics", package: "swift-numerics")]),
        /// The `ftag` analysis: input, tag tests, levels, RSA comparison, output file and report page.
        .target(name: "NeuroFTag", dependencies: ["NeuroCore", "NeuroPipeline", "NeuroReport", "NeuroStore", "NeuroTagging"]),
        /// The `ntf` analysis of NeuroTensor: tensors from files, ensembles, communities, output file and report page.
        .target(name: "NeuroNTF", dependencies: ["NeuroCore", "NeuroDSP", "NeuroGraph", "NeuroLinAlg", "NeuroPipeline", "NeuroReport", "NeuroStore", "NeuroTensor"]),
        /// The command-line interface: argument parsing only, calling the libraries.
        .target(name: "NeuroCLI", dependencies: [
            "NeuroCore", "NeuroIO", "NeuroDSP", "NeuroFTag", "NeuroGLMHMM", "NeuroHMM", "NeuroHomogenize", "NeuroLinAlg", "NeuroNTF",
            "NeuroPipeline", "NeuroReport", "NeuroStore", "NeuroTagging", "NeuroTensor",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "neurotool", dependencies: ["NeuroCLI"]),

        // MARK: - Test support and unit test bundles
        .target(name: "NeuroTestSupport", dependencies: ["NeuroCore"], path: "Tests/NeuroTestSupport"),
        /// Fuzz targets (every reader, the homogenization pipeline, the analyses' inputs) and the executable
        /// libFuzzer drives (`make fuzz`) or that replays files through a target (`make test`).
        .target(name: "NeuroFuzzTargets", dependencies: ["NeuroCore", "NeuroFTag", "NeuroGLMHMM", "NeuroHMM", "NeuroHomogenize", "NeuroIO",
                                                     "NeuroNTF", "NeuroStore", "NeuroTagging", "NeuroTensor"],
                path: "Tests/Fuzz/NeuroFuzzTargets"),
        .executableTarget(name: "neurotool-fuzz", dependencies: ["NeuroFuzzTargets"], path: "Tests/Fuzz/neurotool-fuzz"),
        .testTarget(name: "NeuroCoreTests", dependencies: ["NeuroCore", "NeuroTestSupport"]),
        .testTarget(name: "NeuroLinAlgTests", dependencies: ["NeuroLinAlg", "NeuroTestSupport"]),
        .testTarget(name: "NeuroSpectralTests", dependencies: ["NeuroSpectral", "NeuroTestSupport"]),
        .testTarget(name: "NeuroDSPTests", dependencies: ["NeuroDSP", "NeuroTestSupport"]),
        .testTarget(name: "NeuroIOTests", dependencies: ["NeuroIO", "NeuroStore", "NeuroTestSupport"]),
        .testTarget(name: "NeuroHomogenizeTests", dependencies: ["NeuroHomogenize", "NeuroIO", "NeuroStore", "NeuroTestSupport"]),
        .testTarget(name: "NeuroFTagTests", dependencies: ["NeuroFTag", "NeuroTagging", "NeuroPipeline", "NeuroIO", "NeuroStore", "NeuroTestSupport"]),
        .testTarget(name: "NeuroGLMHMMTests", dependencies: ["NeuroGLMHMM", "NeuroHMM", "NeuroPipeline", "NeuroIO", "NeuroStore", "NeuroTestSupport"]),
        .testTarget(name: "NeuroGraphTests", dependencies: ["NeuroGraph", "NeuroTestSupport"]),
        .testTarget(name: "NeuroNTFTests", dependencies: ["NeuroNTF", "NeuroPipeline", "NeuroGraph", "NeuroIO", "NeuroStore", "NeuroTensor", "NeuroTestSupport"]),
        .testTarget(name: "NeuroTensorTests", dependencies: ["NeuroTensor", "NeuroIO", "NeuroStore", "NeuroTestSupport"]),
        .testTarget(name: "NeuroReportTests", dependencies: ["NeuroReport", "NeuroTestSupport"]),
        .testTarget(name: "NeuroCLITests", dependencies: ["NeuroCLI", "NeuroIO", "NeuroStore", "NeuroTestSupport"]),
    ]
)
