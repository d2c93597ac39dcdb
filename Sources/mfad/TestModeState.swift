import MFACore

/// What test mode carries across restarts of the same database: the manual clock (so time never
/// goes back) and a boot counter mixed into the seed (so a restarted server does not hand out
/// the same ids and tokens again). A fresh database starts exactly at the seed and at
/// 2026-01-01T00:00:00Z, which keeps recorded exchanges repeatable.
struct TestModeState {
    static let bootsSetting = "test_boots"

    let seed: UInt64
    let clockStart: Timestamp

    static func resume(storage: any MFAStorage, seed: UInt64) async throws -> TestModeState {
        let (boots, savedClock) = try await storage.write { tx in
            let boots = UInt64(try await tx.setting(bootsSetting) ?? "0") ?? 0
            try await tx.setSetting(bootsSetting, "\(boots + 1)")
            return (boots, try await tx.setting(MFAService.testClockSetting).flatMap(Int64.init))
        }
        let start = savedClock.map(Timestamp.init(unixSeconds:)) ?? .testModeStart
        return TestModeState(seed: boots == 0 ? seed : mix(seed, boots), clockStart: max(start, .testModeStart))
    }

    /// The `boots`-th output of SplitMix64 started at `seed`.
    private static func mix(_ seed: UInt64, _ boots: UInt64) -> UInt64 {
        var generator = SplitMix64(seed: seed &+ (boots - 1) &* 0x9E37_79B9_7F4A_7C15)
        return generator.next()
    }
}
