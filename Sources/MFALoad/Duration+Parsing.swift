/// Reads `10`, `10s`, `1.5s`, `500ms` or `2m` as seconds.
/// - Returns: the seconds, or nil when the text is not such a duration.
public func parseSeconds(_ text: String) -> Double? {
    let units: [(suffix: String, factor: Double)] = [("ms", 0.001), ("s", 1), ("m", 60)]
    for unit in units where text.hasSuffix(unit.suffix) {
        return Double(text.dropLast(unit.suffix.count)).map { $0 * unit.factor }
    }
    return Double(text)
}
