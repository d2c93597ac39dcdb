import COpenSSL

/// OpenSSL keeps state per thread that uses it (random generators, error queues) and frees it
/// when the thread exits. A thread that ends while the process is about to exit (a store's
/// worker threads after `close()`) may not have freed it yet, which LeakSanitizer reports as a
/// leak; releasing it explicitly before the thread reports that it finished makes the end
/// deterministic.
public enum CryptoThreadState {
    /// Frees OpenSSL's state for the calling thread (`OPENSSL_thread_stop`). Call it as the last
    /// thing a thread that may have used OpenSSL does; using OpenSSL again on it afterwards simply
    /// makes new state.
    public static func release() {
        OPENSSL_thread_stop()
    }
}
