import MFACtlSupport
import MFAWire

/// A message `mfactl` can print: it lists its fields, in proto order and under proto names, as an
/// ``OutputRecord``; ``OutputOptions`` renders that for people or as JSON.
///
/// Every message conforms in `Generated/OutputRecords.swift`, made from the proto by
/// `scripts/generate-proto`: fields in proto order under proto names, `*_unix` times shown as
/// dates, bytes as their size. Secrets the user typed (passwords) never appear: only responses
/// are printed, and no response carries one.
protocol OutputRecordConvertible {
    /// The fields to print, in order.
    var outputRecord: OutputRecord { get }
}
