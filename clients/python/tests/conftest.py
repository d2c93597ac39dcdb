import pytest

from support import Mfad


@pytest.fixture
def mfad():
    """A fresh `mfad --test-mode --seed 1` for one test. Its log is printed at teardown, which
    pytest shows only when the test failed."""
    server = Mfad()
    try:
        yield server
    finally:
        print(f"--- mfad log ---\n{server.log()}")
        server.stop()
