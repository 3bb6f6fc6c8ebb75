// swift-tools-version:6.0
// synthscan: privacy and bias risk scanner for synthetic tabular data.
import PackageDescription

let package = Package(
    name: "synthscan",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "synthscan", targets: ["synthscan"]),
        .library(name: "SynthScanCore", targets: ["SynthScanCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // xxHash from Debian's libxxhash-dev (XXH3 64/128). Never vendored.
        .systemLibrary(
            name: "CXXHash",
            pkgConfig: "libxxhash",
            providers: [.apt(["libxxhash-dev"])]
        ),
        // zlib from Debian's zlib1g-dev, for reading .gz inputs.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // The engine: readers, tables, hashing, configuration, checks, reports. No CLI concerns.
        .target(
            name: "SynthScanCore",
            dependencies: ["CXXHash", "CZlib", .product(name: "Yams", package: "Yams")]
        ),
        // Deterministic generator of the bundled clinical example cohort and benchmark data.
        .target(name: "SynthScanExamples"),
        // The command-line tool: argument parsing, wiring, exit codes.
        .executableTarget(
            name: "synthscan",
            dependencies: ["SynthScanCore", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Regenerates Examples/ from SynthScanExamples.
        .executableTarget(name: "synthscan-examples", dependencies: ["SynthScanExamples"]),
        // Prints load/hash throughput and peak memory on generated data (release build).
        .executableTarget(
            name: "synthscan-bench",
            dependencies: ["SynthScanCore", "SynthScanExamples"],
            path: "Benchmarks/SynthScanBench"
        ),
        .testTarget(
            name: "SynthScanCoreTests",
            dependencies: ["SynthScanCore", "SynthScanExamples"],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "SynthScanExamplesTests", dependencies: ["SynthScanExamples"]),
        .testTarget(name: "SynthScanCLITests", dependencies: ["SynthScanCore"]),
    ]
)
