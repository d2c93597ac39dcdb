import MFACore
import Testing

@Suite struct StoredEncodingTests {
    @Test func timesRoundTripAndGarbageIsRefused() {
        let times = [Timestamp(unixSeconds: 1_767_225_600), Timestamp(unixSeconds: 0), Timestamp(unixSeconds: -5)]
        #expect(StoredEncoding.text(of: times) == "1767225600,0,-5")
        #expect(StoredEncoding.times(from: StoredEncoding.text(of: times)) == times)
        #expect(StoredEncoding.times(from: "") == [])
        #expect(StoredEncoding.times(from: "12,x") == nil)
    }

    @Test func thePolicysSettingsRoundTrip() {
        let policy = EnforcementPolicy(exemptPlans: ["trial", "edu"], graceLogins: 3, graceDays: 7)
        let settings = Dictionary(uniqueKeysWithValues: policy.storedSettings.map { ($0.key, $0.value) })
        #expect(settings == ["exempt_plans": "edu,trial", "grace_logins": "3", "grace_days": "7"])
        var read = EnforcementPolicy()
        read.readStoredSettings { settings[$0] }
        #expect(read == policy)
        var empty = EnforcementPolicy()
        empty.readStoredSettings { _ in nil }
        #expect(empty.exemptPlans.isEmpty && empty.graceLogins == 0 && empty.graceDays == 0)
    }
}
