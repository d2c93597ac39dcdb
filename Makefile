# mfad: the two commands a new machine needs are `make run` and `make test`.
SWIFT ?= swift
DB ?= ./mfa.sqlite
ARGS ?=
# Swift Testing only: XCTest adds nothing here and leaks a little under ASan (STACK-NOTES).
TEST_FLAGS = --disable-xctest

# The clients in other languages run their live tests against this mfad.
MFAD_BIN ?= $(CURDIR)/.build/debug/mfad
PYTHON_VENV = clients/python/.venv

.PHONY: run test deps build build-tests test-swift test-asan check-generated generate clean \
	conformance conformance-postgres conformance-record build-mfad test-python test-c test-tsan crash-test-short fuzz-smoke load-smoke

## Build a release mfad and start it on the embedded SQLite database ($(DB)).
run: deps
	$(SWIFT) build -c release --product mfad
	$(SWIFT) build -c release --product mfactl
	.build/release/mfad --dev --db $(DB) $(ARGS)

## The whole test suite: generated-code check, Swift tests, conformance replay (on SQLite, then
## on PostgreSQL), a 10-second mfa-load smoke run, the short crash test, every Swift test under
## AddressSanitizer, the Python and C clients.
test: deps check-generated test-swift conformance conformance-postgres load-smoke crash-test-short test-asan test-python test-c

deps:
	@scripts/install-deps

build: deps
	$(SWIFT) build

build-tests:
	$(SWIFT) build --build-tests

## Every Swift test, beside a private PostgreSQL (scripts/with-postgres): the store contract
## suite and the multi-node tests run against it, and fail if it is missing.
test-swift: build-tests
	scripts/with-postgres $(SWIFT) test --skip-build $(TEST_FLAGS)

## Replays every recorded exchange against fresh test-mode servers, byte for byte.
conformance: build-tests
	.build/debug/mfa-conformance replay
	.build/debug/mfa-conformance coverage

## The same replay with every server on a scratch database of a private PostgreSQL
## (scripts/with-postgres; its URL exists only inside it, hence sh -c).
conformance-postgres: build-tests
	scripts/with-postgres sh -c '.build/debug/mfa-conformance replay --postgres "$$MFA_TEST_POSTGRES_URL"'

## Records every conformance scenario again (review the diff: it is the wire's change).
conformance-record: build-tests
	.build/debug/mfa-conformance record

## A 10-second mfa-load run of every scenario against a test-mode mfad (benchmarks: scripts/bench).
load-smoke: build-tests
	scripts/load-smoke .build/debug

## The crash test in its short form: 5 kills -9 under load, each followed by a restart and the
## check of everything acknowledged (bounded: at most 120 s). The full form: scripts/crash-test 20.
crash-test-short: build-tests
	CRASH_TEST_NO_BUILD=1 scripts/crash-test 5 --time-limit 120

## Every Swift test under AddressSanitizer and LeakSanitizer (the C interop must not leak or
## double free; Tests/lsan-suppressions.txt names the toolchain's own long-lived allocations).
test-asan:
	LSAN_OPTIONS=suppressions=$(CURDIR)/Tests/lsan-suppressions.txt \
		scripts/with-postgres $(SWIFT) test --scratch-path .build-asan --sanitize=address $(TEST_FLAGS)

## Every Swift test under ThreadSanitizer (not part of make test: a separate, slow build).
test-tsan:
	scripts/with-postgres $(SWIFT) test --scratch-path .build-tsan --sanitize=thread $(TEST_FLAGS)

build-mfad:
	$(SWIFT) build --product mfad

## The Python client (clients/python): unit, conformance replay, live against mfad.
test-python: deps build-mfad
	MFAD_BIN=$(MFAD_BIN) $(PYTHON_VENV)/bin/python -m pytest -q clients/python/tests

## The C client (clients/c) under AddressSanitizer: unit, conformance replay, live against mfad.
test-c: deps build-mfad
	$(MAKE) -C clients/c test MFAD_BIN=$(MFAD_BIN)

## A short libFuzzer run of each fuzz target (docs/fuzzing.md); CI runs it after make test.
## Builds .build-fuzz (release, libFuzzer + ASan) on first use. Longer: scripts/fuzz TARGET SECONDS.
FUZZ_SECONDS ?= 60
fuzz-smoke: deps
	scripts/fuzz frames $(FUZZ_SECONDS)
	scripts/fuzz dispatch $(FUZZ_SECONDS)

## Fails when Sources/CMFAProto or the generated Swift differ from what proto/ generates.
check-generated:
	scripts/generate-proto --check

generate:
	scripts/generate-proto

clean:
	rm -rf .build .build-asan .build-tsan .build-fuzz
	$(MAKE) -C clients/c clean
