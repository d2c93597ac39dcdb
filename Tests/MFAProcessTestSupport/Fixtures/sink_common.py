"""What both fixture servers do at start: take signals back and follow their parent."""
import os
import signal
import threading
import time


def detach_from_test_process():
    # A child started from a Swift test inherits the blocked-signal mask of the thread that
    # spawned it (Dispatch threads block nearly everything): unblock, so SIGTERM works.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT, signal.SIGHUP})
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parent = os.getppid()

    def watch():
        # Exit when the test process is gone, so that a crashed test leaves no server behind.
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()
