import CCurl

/// libcurl's global state, set up once before the first handle (`curl_global_init` must not run
/// concurrently with itself); a Swift `static let` runs it exactly once, thread-safely.
enum CurlGlobal {
    static let initialisation: CURLcode = ccurl_global_init_default()
}

/// One libcurl easy handle and everything it points to (header lists, the upload), freed
/// together.
///
/// Not `Sendable`: a handle is made, used and freed on one thread, the ``CurlExecutor``'s.
/// Nothing here logs or keeps what it sends; libcurl's verbose mode is never turned on, so
/// credentials and bodies never reach stderr.
final class CurlTransfer {
    private let handle: UnsafeMutableRawPointer
    private var lists: [UnsafeMutablePointer<curl_slist>] = []
    private var upload: UploadBuffer?

    /// A fresh handle that ignores signals (it runs on a worker thread) and discards any
    /// response body (libcurl would otherwise write it to stdout).
    /// - Throws: ``DeliveryError/Kind/transferFailed`` when libcurl cannot make a handle.
    init() throws(DeliveryError) {
        guard CurlGlobal.initialisation == CURLE_OK, let handle = curl_easy_init() else {
            throw .transferFailed("libcurl could not be initialised")
        }
        self.handle = handle
        try set(CURLOPT_NOSIGNAL, 1)
        try check(ccurl_setopt_callback(handle, CURLOPT_WRITEFUNCTION, { _, size, count, _ in size * count }), CURLOPT_WRITEFUNCTION)
    }

    deinit {
        curl_easy_cleanup(handle)
        for list in lists {
            curl_slist_free_all(list)
        }
    }

    /// Sets an option that takes a `long`.
    func set(_ option: CURLoption, _ value: Int) throws(DeliveryError) {
        try check(ccurl_setopt_long(handle, option, value), option)
    }

    /// Sets an option that takes a string (libcurl copies it).
    func set(_ option: CURLoption, _ value: String) throws(DeliveryError) {
        try check(ccurl_setopt_string(handle, option, value), option)
    }

    /// Sets an option that takes a list of strings (`curl_slist`), kept until the handle is freed.
    func set(_ option: CURLoption, _ values: [String]) throws(DeliveryError) {
        var list: UnsafeMutablePointer<curl_slist>?
        for value in values {
            guard let appended = curl_slist_append(list, value) else {
                if let list { curl_slist_free_all(list) }
                throw .transferFailed("out of memory building a libcurl list")
            }
            list = appended
        }
        guard let list else { return }
        lists.append(list)
        try check(ccurl_setopt_slist(handle, option, list), option)
    }

    /// Uploads `bytes` (SMTP `DATA`) through a read callback.
    func setUpload(_ bytes: [UInt8]) throws(DeliveryError) {
        let buffer = UploadBuffer(bytes)
        upload = buffer
        try set(CURLOPT_UPLOAD, 1)
        try set(CURLOPT_INFILESIZE_LARGE, bytes.count)
        try check(ccurl_setopt_pointer(handle, CURLOPT_READDATA, Unmanaged.passUnretained(buffer).toOpaque()), CURLOPT_READDATA)
        try check(ccurl_setopt_callback(handle, CURLOPT_READFUNCTION, { destination, size, count, context in
            guard let destination, let context else { return ccurl_read_abort() }
            return Unmanaged<UploadBuffer>.fromOpaque(context).takeUnretainedValue().read(into: destination, capacity: size * count)
        }), CURLOPT_READFUNCTION)
    }

    /// POSTs `bytes` as the request body (libcurl copies them).
    func setPostBody(_ bytes: [UInt8]) throws(DeliveryError) {
        try set(CURLOPT_POST, 1)
        try set(CURLOPT_POSTFIELDSIZE, bytes.count)
        let code = bytes.withUnsafeBytes { raw in
            ccurl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress))
        }
        try check(code, CURLOPT_COPYPOSTFIELDS)
    }

    /// Runs the transfer to its end (blocking).
    /// - Returns: libcurl's result and the last reply code of the server (SMTP or HTTP; 0 when
    ///   there was none).
    func perform() -> (result: CURLcode, responseCode: Int) {
        let result = curl_easy_perform(handle)
        var responseCode = 0
        _ = ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &responseCode)
        return (result, responseCode)
    }

    /// libcurl's one-line description of a result code (static text, no secrets).
    static func describe(_ code: CURLcode) -> String {
        String(cString: curl_easy_strerror(code))
    }

    private func check(_ code: CURLcode, _ option: CURLoption) throws(DeliveryError) {
        guard code == CURLE_OK else {
            throw .invalidConfiguration("libcurl refused option \(option.rawValue): \(Self.describe(code))")
        }
    }
}

/// The bytes of an upload and how far libcurl has read them.
private final class UploadBuffer {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    func read(into destination: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        let count = min(capacity, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBufferPointer { source in
            UnsafeMutableRawPointer(destination).copyMemory(from: source.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }
}
