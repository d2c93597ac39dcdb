# mfad: the two commands a new machine needs are `make run` and `make test`.
SWIFT ?= swift
DB ?= ./mfa.sqlite
ARGS ?=
# Swift Testing only: XCTest adds nothing here and leaks a little under ASan (STACK-NOTES).
TEST_FLAGS = --disable-xctest

.PHONY: run test deps build build-tests test-swift test-asan check-generated generate clean conformance conformance-record load-smoke

## Build a release mfad and start it on the embedded SQLite database ($(DB)).
run: deps
	$(SWIFT) build -c release --product mfad
	$(SWIFT) build -c release --product mfactl
	.build/release/mfad --dev --db $(DB) $(ARGS)

## The whole test suite: generated-code check, Swift tests, conformance replay, a 10-second
## mfa-load smoke run, wire tests under AddressSanitizer.
test: deps check-generated test-swift conformance load-smoke test-asan

deps:
	@scripts/install-deps

build: deps
	$(SWIFT) build

build-tests:
	$(SWIFT) build --build-tests

test-swift: build-tests
	$(SWIFT) test --skip-build $(TEST_FLAGS)

## Replays every recorded exchange against fresh test-mode servers, byte for byte.
conformance: build-tests
	.build/debug/mfa-conformance replay
	.build/debug/mfa-conformance coverage

## Records every conformance scenario again (review the diff: it is the wire's change).
conformance-record: build-tests
	.build/debug/mfa-conformance record

## A 10-second mfa-load run of every scenario against a test-mode mfad (benchmarks: scripts/bench).
load-smoke: build-tests
	scripts/load-smoke .build/debug

## The wire layer (C interop: arena, pack/unpack, free) under AddressSanitizer.
test-asan:
	$(SWIFT) test --scratch-path .build-asan --sanitize=address $(TEST_FLAGS) --filter MFAWireTests

## Fails when Sources/CMFAProto or the generated Swift differ from what proto/ generates.
check-generated:
	scripts/generate-proto --check

generate:
	scripts/generate-proto

clean:
	rm -rf .build .build-asan
