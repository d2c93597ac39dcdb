internal import CProtobufC

/// The protobuf-c descriptor of a generated message: a pointer to an immutable C global.
struct CMessageDescriptor: @unchecked Sendable {
    // @unchecked: the pointee is a `const` global emitted by protoc-c; it is never written.
    /// The descriptor protobuf-c uses for this message type.
    let pointer: UnsafePointer<ProtobufCMessageDescriptor>

    /// Reads the descriptor that a generated `__init` function stores in a fresh message.
    /// - Parameter initialize: the generated `foo__init` function.
    init<Message>(_ initialize: (UnsafeMutablePointer<Message>?) -> Void) {
        let message = UnsafeMutablePointer<Message>.allocate(capacity: 1)
        defer { message.deallocate() }
        initialize(message)
        // Every generated struct starts with its `ProtobufCMessage base`.
        let base = UnsafeRawPointer(message).assumingMemoryBound(to: ProtobufCMessage.self)
        self.pointer = base.pointee.descriptor
    }
}
